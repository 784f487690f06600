"""Reviewers' side: correct comments, retrain the theme model, decide on emerging topics."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from survey.auth.decorators import permission_required
from survey.auth.policy import Permission, survey_campaigns, survey_campaigns_clause
from survey.auth.services import record
from survey.extensions import db
from survey.forms.staff import choices
from survey.ids import parse_id
from survey.insights.model import taxonomy_with_custom
from survey.models import Campaign, CustomTheme
from survey.text import strip_control

from . import corrections, topics, training
from .blueprint import bp
from .forms import CorrectionForm, DecisionForm, RenameForm, TopicForm


def _campaign() -> Campaign | None:
    slug = request.args.get("campaign", "")[:80]
    query = select(Campaign).where(Campaign.slug == slug, survey_campaigns_clause())
    return db.session.scalar(query) if slug else None


def _campaigns() -> list[Campaign]:
    return survey_campaigns()


@bp.route("/comments")
@permission_required(Permission.REVIEW_THEMES)
def comments() -> ResponseReturnValue:
    campaign = _campaign()
    theme = request.args.get("theme", "")[:60]
    search = strip_control(request.args.get("q", "")).strip()[:100]
    campaigns = _campaigns()
    return render_template(
        "pages/review/comments.html",
        campaign=campaign,
        campaigns=campaigns,
        titles={c.id: c.title for c in campaigns},
        theme=theme,
        search=search,
        comments=corrections.comments(campaign, theme, search),
        names=taxonomy_with_custom(),
    )


@bp.route("/comments/<reference>", methods=["GET", "POST"])
@permission_required(Permission.CORRECT_INSIGHTS)
def correct(reference: str) -> ResponseReturnValue:
    found = corrections.find(reference)
    if found is None:
        flash(_("That comment was not found"))
        return redirect(url_for(".comments"))
    names = taxonomy_with_custom()
    form = CorrectionForm()
    form.themes.choices = choices(names)
    if request.method == "GET":
        form.themes.data = found.current_themes
        form.sentiment.data = found.current_sentiment
        form.revision.data = found.revision
    stale = False
    if form.validate_on_submit():
        try:
            corrections.correct(
                found,
                form.themes.data or [],
                form.sentiment.data,
                form.revision.data or 0,
                current_user.id,
            )
        except corrections.StaleCorrection:
            stale = True
            db.session.refresh(found)
            form.revision.data = found.revision
        else:
            record(current_user.id, "comment_corrected", str(found.id))
            flash(_("Correction saved"))
            return redirect(url_for(".correct", reference=found.id))
    status = 409 if stale else (400 if form.errors else 200)
    return render_template(
        "pages/review/correct.html",
        insight=found,
        form=form,
        names=names,
        theme_names=lambda ids: ", ".join(names.get(t, t) for t in ids),
        stale=stale,
        history=corrections.history(found),
    ), status


@bp.route("/model", methods=["GET", "POST"])
@permission_required(Permission.CORRECT_INSIGHTS)
def model() -> ResponseReturnValue:
    form = DecisionForm(key="retrain")
    if form.validate_on_submit():
        try:
            run = training.retrain(current_user.id)
        except training.NotEnough as short:
            flash(
                _(
                    "Correct at least %(n)s comments first (%(have)s so far).",
                    n=training.MIN_EXAMPLES,
                    have=short.args[0],
                )
            )
        else:
            record(
                current_user.id, "theme_model_retrained", str(run.id), f"{run.examples} corrections"
            )
            flash(_("The theme model was retrained. New comments will use it."))
        return redirect(url_for(".model"))
    texts, _labels = training.examples()
    return render_template(
        "pages/review/model.html",
        runs=training.runs(),
        corrected=len(texts),
        form=form,
        minimum=training.MIN_EXAMPLES,
    )


@bp.route("/topics")
@permission_required(Permission.CORRECT_INSIGHTS)
def topics_page() -> ResponseReturnValue:
    campaign = _campaign()
    return render_template(
        "pages/review/topics.html",
        campaign=campaign,
        campaigns=_campaigns(),
        possible=topics.possible(campaign) if campaign else [],
        custom=topics.custom_themes(),
    )


@bp.route("/topics/accept", methods=["POST"])
@permission_required(Permission.CORRECT_INSIGHTS)
def accept_topic() -> ResponseReturnValue:
    campaign = _campaign()
    form = TopicForm()
    if campaign is not None and form.validate_on_submit():
        terms = [t for t in (form.terms.data or "").split("|") if t]
        theme = topics.accept(campaign, form.key.data, terms, form.name.data or "", current_user.id)
        if theme is None:
            flash(_("That topic has already been decided: see the themes below."))
        else:
            record(current_user.id, "theme_added", theme.theme_id, theme.name)
            flash(_('Theme "%(name)s" added', name=theme.name))
    elif form.errors:
        flash(_("Enter a name for the theme"))
    return redirect(url_for(".topics_page", campaign=campaign.slug if campaign else None))


@bp.route("/topics/dismiss", methods=["POST"])
@permission_required(Permission.CORRECT_INSIGHTS)
def dismiss_topic() -> ResponseReturnValue:
    campaign = _campaign()
    form = DecisionForm()
    if form.validate_on_submit():
        topics.dismiss(form.key.data, current_user.id)
        record(current_user.id, "topic_dismissed", form.key.data[:120])
        flash(_("Topic dismissed"))
    return redirect(url_for(".topics_page", campaign=campaign.slug if campaign else None))


@bp.route("/themes/<reference>", methods=["POST"])
@permission_required(Permission.CORRECT_INSIGHTS)
def change_theme(reference: str) -> ResponseReturnValue:
    """Rename (with a name) or delete (``delete=1``) a theme the QA group added."""
    theme = db.session.get(CustomTheme, key) if (key := parse_id(reference)) else None
    form = RenameForm()
    if (
        theme is not None
        and request.form.get("delete") == "1"
        and DecisionForm(key="x").validate_on_submit()
    ):
        record(current_user.id, "theme_deleted", theme.theme_id, theme.name)
        topics.delete(theme)
        flash(_("Theme deleted. Actions that point at it keep their words."))
    elif theme is not None and form.validate_on_submit():
        topics.rename(theme, form.name.data or "")
        record(current_user.id, "theme_renamed", theme.theme_id, theme.name)
        flash(_("Theme renamed"))
    return redirect(url_for(".topics_page", campaign=request.args.get("campaign") or None))
