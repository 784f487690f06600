"""Staff side of the loop: actions from themes, public words, publishing, the poster."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from survey.actions.services import FORUMS, ActionError
from survey.auth.decorators import permission_required
from survey.auth.policy import Permission, survey_campaigns_clause
from survey.auth.services import record
from survey.dates import today
from survey.extensions import db
from survey.files import download
from survey.forms.staff import choices
from survey.helplines import audience_of
from survey.ids import parse_id
from survey.insights.forms import OUTCOMES
from survey.insights.model import taxonomy_with_custom
from survey.models import Action, Campaign
from survey.outbox import start
from survey.staff.blueprint import refill

from . import measures, poster, services
from .forms import ConfirmForm, PublicWordsForm, PublishForm, ThemeActionForm

bp = Blueprint("loop", __name__, url_prefix="/staff/loop")


def _campaign(slug: str) -> Campaign | None:
    return db.session.scalar(
        select(Campaign).where(Campaign.slug == slug, survey_campaigns_clause())
    )


@bp.route("/measures")
@permission_required(Permission.REVIEW_THEMES)
def measures_page() -> ResponseReturnValue:
    return render_template(
        "pages/loop/measures.html",
        measures=measures.measure(today()),
        flag_measures=measures.flag_measures(),
        outcomes=OUTCOMES,
        names=taxonomy_with_custom(),
    )


@bp.route("/actions/new", methods=["GET", "POST"])
@permission_required(Permission.REVIEW_THEMES)
def new_action() -> ResponseReturnValue:
    campaign = _campaign(request.args.get("campaign", "")[:80])
    theme = request.args.get("theme", "")[:60]
    names = taxonomy_with_custom()
    form = ThemeActionForm()
    form.theme_choices(names)
    quotes, unhappy = services.theme_quotes(campaign, theme)
    if request.method == "GET":
        form.theme_ids.data = [theme] if theme in names else []
        form.public_said.data = unhappy[0] if unhappy else ""
        form.forum.data = campaign.forum if campaign and campaign.forum in FORUMS else ""
    refill(form)
    if form.validate_on_submit():
        words = services.PublicWords(form.public_said.data or "", form.public_text.data or "")
        try:
            action = services.create_from_theme(
                campaign, form.to_input(), words, today=today(), user_id=current_user.id
            )
        except ActionError as error:
            form[error.field].errors = [*form[error.field].errors, error.message]
        else:
            record(current_user.id, "action_created", str(action.id), f"theme {theme}")
            flash(_("Action added"))
            return redirect(url_for("actions.board_page"))
    return render_template(
        "pages/loop/new_action.html",
        form=form,
        campaign=campaign,
        theme_name=names.get(theme, theme),
        quotes=quotes,
        action_url=url_for(
            ".new_action", campaign=campaign.slug if campaign else None, theme=theme or None
        ),
    ), (400 if request.method == "POST" else 200)


@bp.route("/actions/<reference>/public", methods=["GET", "POST"])
@permission_required(Permission.PUBLISH_LOOP)
def public_words(reference: str) -> ResponseReturnValue:
    found = db.session.get(Action, key) if (key := parse_id(reference)) else None
    if found is None:
        flash(_("That action was not found"))
        return redirect(url_for("actions.board_page"))
    form = refill(PublicWordsForm(obj=found if request.method == "GET" else None))
    if form.validate_on_submit():
        services.set_public_words(
            found, services.PublicWords(form.public_said.data or "", form.public_text.data or "")
        )
        record(current_user.id, "action_public_words", str(found.id))
        flash(_("Saved. It goes public only when the page is published again."))
        campaign = db.session.get(Campaign, found.campaign_id) if found.campaign_id else None
        if campaign:
            return redirect(url_for(".publish", slug=campaign.slug))
        return redirect(url_for("actions.board_page"))
    return render_template("pages/loop/public_words.html", form=form, action=found), (
        400 if request.method == "POST" else 200
    )


@bp.route("/<slug>/publish", methods=["GET", "POST"])
@permission_required(Permission.PUBLISH_LOOP)
def publish(slug: str) -> ResponseReturnValue:
    campaign = _campaign(slug)
    if campaign is None:
        flash(_("That campaign was not found"))
        return redirect(url_for("actions.board_page"))
    actions = services.campaign_actions(campaign)
    ready = [a for a in actions if services.publishable(a)]
    form = PublishForm()
    form.action_ids.choices = choices({str(a.id): a.title for a in ready})
    current = services.publication_for(campaign)
    if request.method == "GET":
        form.action_ids.data = [str(a.id) for a in ready]
        form.intro.data = current.intro if current else ""
    details: list[services.Detail] = []
    if form.validate_on_submit():
        chosen = [a for a in ready if str(a.id) in (form.action_ids.data or [])]
        details = services.personal_details(chosen, form.intro.data or "")
        if not chosen:
            form.action_ids.errors = [_("Choose at least one action to publish")]
        elif details and not form.details_checked.data:
            form.details_checked.errors = [
                _(
                    "Some of these words may name or point to someone: check them above, "
                    "change them, or tick the box to say they are safe to publish"
                )
            ]
        else:
            services.publish(campaign, chosen, form.intro.data or "", current_user.id)
            start("survey.loop.contacts:deliver_due")  # care leavers who asked to be told
            checked = f"; checked {len(details)} words the redactor would change" if details else ""
            record(
                current_user.id, "yswd_published", campaign.slug, f"{len(chosen)} actions{checked}"
            )
            flash(_("Published. Anyone with the link can now see the page."))
            return redirect(url_for(".publish", slug=campaign.slug))
    return render_template(
        "pages/loop/publish.html",
        campaign=campaign,
        actions=actions,
        form=form,
        publication=current,
        withdraw_form=ConfirmForm(),
        publishable=services.publishable,
        details=details,
    ), (400 if form.errors else 200)


@bp.route("/<slug>/withdraw", methods=["POST"])
@permission_required(Permission.PUBLISH_LOOP)
def withdraw(slug: str) -> ResponseReturnValue:
    campaign = _campaign(slug)
    current = services.publication_for(campaign) if campaign else None
    if current is not None and ConfirmForm().validate_on_submit():
        services.withdraw(current)
        record(current_user.id, "yswd_withdrawn", slug)
        flash(_("The page is no longer public."))
    return redirect(url_for(".publish", slug=slug) if campaign else url_for("actions.board_page"))


@bp.route("/<slug>/poster.pdf")
@permission_required(Permission.PUBLISH_LOOP)
def poster_pdf(slug: str) -> ResponseReturnValue:
    campaign = _campaign(slug)
    shown = services.public_page(slug) if campaign else None
    if shown is None:
        flash(_("Publish the page first: the poster points to it."))
        return redirect(
            url_for(".publish", slug=slug) if campaign else url_for("actions.board_page")
        )
    link = url_for("you_said_we_did.page", slug=slug, _external=True)
    body = poster.render(shown[1], link, current_app.config["COUNCIL_NAME"], audience_of(shown[0]))
    record(current_user.id, "yswd_poster_downloaded", slug)
    return download(body, f"{slug}-you-said-we-did.pdf")
