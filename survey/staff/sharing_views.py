"""Distribution: group and conference links, personal links, QR codes, poster and letters."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import ColumnElement, func, select
from wtforms.fields.choices import SelectChoice

from survey.auth.decorators import permission_required
from survey.auth.policy import Permission, campaign_or_404
from survey.auth.services import record
from survey.dates import LONDON
from survey.extensions import db
from survey.files import download
from survey.helplines import audience_of, help_line
from survey.ids import page_arg
from survey.invitations.importing import campaign_languages
from survey.library import library, title_in
from survey.models import Campaign, CampaignLink, ConferenceType, Invitation, Invitee, LinkKind
from survey.spreadsheets import csv_bytes

from . import printing
from .blueprint import bp, form_with_stash, status_code
from .forms import ConferenceForm, GroupForm, InvitationsForm
from .links import add_conference, add_group
from .services import CampaignError, add_invitations, counts

LETTERS_PER_PDF = 500  # about 11 seconds to make; a bigger batch risks a timeout


def _links(campaign: Campaign) -> list[CampaignLink]:
    return list(
        db.session.scalars(
            select(CampaignLink)
            .where(CampaignLink.campaign_id == campaign.id)
            .order_by(CampaignLink.kind, CampaignLink.conference_date, CampaignLink.label)
        )
    )


def _target(campaign: Campaign) -> tuple[str, CampaignLink | None]:
    """The link a QR code or PDF is for: ?link=<code>, else the campaign's own link."""
    code = request.args.get("link")
    if code:
        link = db.session.scalar(
            select(CampaignLink).where(
                CampaignLink.code == code, CampaignLink.campaign_id == campaign.id
            )
        )
        if link is None:
            abort(404)
        return url_for("links.follow", code=link.code, _external=True), link
    if not campaign.anonymous_link:
        abort(404)
    return url_for("respond.start", slug=campaign.slug, _external=True), None


def _handed_out(campaign: Campaign) -> tuple[ColumnElement[bool], ...]:
    """The campaign's personal links made to hand out: not those sent to someone on the
    invitation list by email or text message (a link handed to another person would
    answer as them)."""
    sent = select(Invitee.invitation_id).where(Invitee.campaign_id == campaign.id)
    return (Invitation.campaign_id == campaign.id, Invitation.id.not_in(sent))


@bp.route("/campaigns/<slug>/share")
@permission_required(Permission.RUN_CAMPAIGNS)
def share(slug: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    figures = counts([found.id])[found.id]
    unused = (
        db.session.scalar(
            select(func.count(Invitation.id)).where(
                *_handed_out(found), Invitation.used_at.is_(None)
            )
        )
        or 0
    )
    invitees = (
        db.session.scalar(select(func.count(Invitee.id)).where(Invitee.campaign_id == found.id))
        or 0
    )
    return render_template(
        "pages/staff/share.html",
        batches=range(1, max(1, -(-unused // LETTERS_PER_PDF)) + 1),
        campaign=found,
        links=_links(found),
        counts=figures,
        invitees=invitees,
        handed_out=figures.invitations - invitees,
        languages=campaign_languages(found)[1:],
    )


@bp.route("/campaigns/<slug>/groups/new", methods=["GET", "POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def new_group(slug: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    form = form_with_stash(GroupForm)
    if form.validate_on_submit():
        try:
            link = add_group(found, form.label.data or "", form.cohort_size.data, current_user)
        except CampaignError as error:
            getattr(form, error.field, form.label).errors.append(str(error))
        else:
            record(current_user.id, "group_link_created", found.slug, link.label)
            return redirect(url_for(".share", slug=found.slug))
    return render_template("pages/staff/new_group.html", form=form, campaign=found), status_code()


@bp.route("/campaigns/<slug>/conferences/new", methods=["GET", "POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def new_conference(slug: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    form = form_with_stash(ConferenceForm)
    if form.validate_on_submit():
        try:
            link = add_conference(
                found,
                form.held_on.data,
                ConferenceType(form.conference_type.data),
                form.chair.data or "",
                current_user,
            )
        except CampaignError as error:
            getattr(form, error.field, form.chair).errors.append(str(error))
        else:
            record(current_user.id, "conference_link_created", found.slug, link.label)
            return redirect(url_for(".share", slug=found.slug))
    return render_template(
        "pages/staff/new_conference.html",
        form=form,
        campaign=found,
        # The link opens this campaign's questionnaire only: the page says for whom.
        audience=audience_of(found),
    ), status_code()


@bp.route("/campaigns/<slug>/invitations/new", methods=["GET", "POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def new_invitations(slug: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    form = form_with_stash(InvitationsForm)
    groups = [link for link in _links(found) if link.kind == LinkKind.GROUP]
    form.group.choices = [SelectChoice("", _("No group"))] + [
        SelectChoice(str(g.id), g.label) for g in groups
    ]
    if form.validate_on_submit():
        try:
            made = add_invitations(
                found,
                form.number.data or 0,
                (form.codes.data or "").splitlines(),
                int(form.group.data) if form.group.data else None,
            )
        except CampaignError as error:
            db.session.rollback()
            getattr(form, error.field, form.codes).errors.append(str(error))
        else:
            record(current_user.id, "invitations_created", found.slug, f"{len(made)} links")
            flash(_("%(n)d personal links added.", n=len(made)))
            return redirect(url_for(".share", slug=found.slug))
    return render_template(
        "pages/staff/new_invitations.html", form=form, campaign=found
    ), status_code()


@bp.route("/campaigns/<slug>/invitations.csv")
@permission_required(Permission.RUN_CAMPAIGNS)
def invitations_csv(slug: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    rows = db.session.execute(
        select(Invitation, CampaignLink.label)
        .outerjoin(CampaignLink, CampaignLink.id == Invitation.link_id)
        .where(*_handed_out(found))
        .order_by(Invitation.id)
    ).all()
    body = [
        [
            number,
            url_for("respond.invitation", token=invitation.token, _external=True),
            invitation.token,
            group or "",
            "yes" if invitation.used_at else "no",
        ]
        for number, (invitation, group) in enumerate(rows, start=1)
    ]
    record(current_user.id, "invitations_exported", found.slug, f"{len(rows)} links")
    header = ["number", "link", "code", "group", "used"]
    return download(csv_bytes(header, body), f"{found.slug}-invitations.csv")


@bp.route("/campaigns/<slug>/qr.svg")
@permission_required(Permission.RUN_CAMPAIGNS)
def qr_svg(slug: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    link, tagged = _target(found)
    name = f"{found.slug}-{tagged.code}" if tagged else found.slug
    return download(
        printing.qr_svg(link, found.title),
        f"{name}-qr.svg",
        inline=request.args.get("inline") == "1",
    )


@bp.route("/campaigns/<slug>/qr.png")
@permission_required(Permission.RUN_CAMPAIGNS)
def qr_png(slug: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    link, tagged = _target(found)
    name = f"{found.slug}-{tagged.code}" if tagged else found.slug
    return download(printing.qr_png(link), f"{name}-qr.png")


def _sheet(campaign: Campaign, link: str, language: str = "en") -> printing.Sheet:
    config = current_app.config
    questionnaire = library().get(campaign.questionnaire_id, campaign.questionnaire_version)
    return printing.Sheet(
        council=config["COUNCIL_NAME"],
        title=title_in(campaign, language),
        link=link,
        closes_at=campaign.closes_at,
        closes_text=format_date(campaign.closes_at.astimezone(LONDON).date(), "d MMMM yyyy"),
        audience=campaign.audience,
        minutes=questionnaire.minutes if questionnaire else None,
        help_line=help_line(audience_of(campaign)),
        contact=_(
            "Questions, or want this letter in another language or format? Contact the "
            "participation team at %(council)s.",
            council=config["COUNCIL_NAME"],
        ),
        address=tuple(
            line.strip()
            for line in str(config.get("COUNCIL_ADDRESS", "")).split(";")
            if line.strip()
        ),
    )


def _words() -> dict[str, str]:
    return {
        "ask": _(
            "Tell us what you think. It takes a few minutes and you do not have to give your name."
        ),
        # {minutes} is filled in from the questionnaire, as its start page says it
        "ask_minutes": _(
            "Tell us what you think. It takes about {minutes} minutes and you do not have to "
            "give your name."
        ),
        "scan": _("Scan the code with your phone's camera, or type the link into your browser."),
        "closes": _("Open until {date}"),
        "greeting": _("Hello,"),
        "intro": _("We would like to know what you think, so that we can make things better."),
        "how": _(
            "To answer, scan the code below with your phone's camera, or type the link into "
            "a web browser on any phone, tablet or computer."
        ),
        "private": _(
            "You do not have to give your name. You can stop at any time and come back "
            "later. Answering or not will not change the help you get."
        ),
    }


@bp.route("/campaigns/<slug>/poster.pdf")
@permission_required(Permission.RUN_CAMPAIGNS)
def poster(slug: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    link, tagged = _target(found)
    body = printing.poster_pdf(_sheet(found, link), _words())
    record(current_user.id, "poster_downloaded", found.slug, tagged.label if tagged else "")
    return download(body, f"{found.slug}-poster.pdf")


def _language(campaign: Campaign) -> str:
    """The letter's language: ?language=pl when the campaign offers it, else its first."""
    offered = campaign_languages(campaign)
    asked = request.args.get("language", "")
    return asked if asked in offered else offered[0]


def _letter(
    campaign: Campaign, link: str, language: str
) -> tuple[printing.Sheet, dict[str, str], str]:
    with force_locale(language):
        return _sheet(campaign, link, language), _words(), link


@bp.route("/campaigns/<slug>/letter.pdf")
@permission_required(Permission.RUN_CAMPAIGNS)
def letter(slug: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    link, tagged = _target(found)
    body = printing.letters_each_pdf([_letter(found, link, _language(found))])
    return download(body, f"{found.slug}-letter-{_language(found)}.pdf")


@bp.route("/campaigns/<slug>/letters.pdf")
@permission_required(Permission.RUN_CAMPAIGNS)
def personal_letters(slug: str) -> ResponseReturnValue:
    """One letter per unused personal link, ready to print and post, LETTERS_PER_PDF at a
    time (``?batch=2`` for the next ones) so a large mailing never times out."""
    found = campaign_or_404(slug)
    batch = page_arg("batch")
    tokens = db.session.scalars(
        select(Invitation.token)
        .where(*_handed_out(found), Invitation.used_at.is_(None))
        .order_by(Invitation.id)
        .limit(LETTERS_PER_PDF)
        .offset((batch - 1) * LETTERS_PER_PDF)
    ).all()
    if not tokens:
        flash(_("There are no unused personal links. Add some first."))
        return redirect(url_for(".share", slug=found.slug))
    chosen = _language(found)
    links = [url_for("respond.invitation", token=t, _external=True) for t in tokens]
    body = printing.letters_each_pdf([_letter(found, link, chosen) for link in links])
    record(current_user.id, "invitations_exported", found.slug, f"{len(links)} letters (PDF)")
    return download(body, f"{found.slug}-letters-{chosen}-{batch}.pdf")
