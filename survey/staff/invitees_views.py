"""Invitations and reminders by email and text message: the list of people, when to remind
them, a test message to oneself, sending, a reminder now, and where each invitation stands.

Contact details are personal data: every page and action here needs RUN_CAMPAIGNS, and
viewing the list, adding to it and sending are audited.
"""

from __future__ import annotations

from dataclasses import replace

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.exceptions import RequestEntityTooLarge

from survey.alerts import channels
from survey.alerts.channels import SendError
from survey.auth.decorators import permission_required
from survey.auth.policy import Permission, campaign_or_404
from survey.auth.services import record
from survey.extensions import db
from survey.invitations import importing, reminders, sending, status
from survey.invitations.contacts import Problem, mobile_number
from survey.invitations.forms import ListForm, ScheduleForm, TestMessageForm
from survey.invitations.messages import NoAddress, compose
from survey.models import Campaign, CampaignStatus, Invitee, utcnow
from survey.outbox import start
from survey.templating import language_name
from survey.urls import site_address

from .blueprint import bp

UPLOAD_LIMIT = 8 * 1024 * 1024  # 20,000 rows in Excel's UTF-16 fit with room to spare
PROBLEMS_SHOWN = 50


#: Said when no message can hold a working link (the site's address is not set).
NO_LINKS = _l(
    "Messages cannot be sent until an administrator sets HEARD_BASE_URL, the address the "
    "link in each message leads to: nothing was queued."
)


def _schedule_words(campaign: Campaign) -> str:
    """The reminder schedule for the audit log, in words (the log is English)."""
    days = [str(day) for day in campaign.reminder_days]
    listed = f"{', '.join(days[:-1])} and {days[-1]}" if len(days) > 1 else "".join(days)
    when = f"reminders {listed} days after the invitation" if days else "no reminders"
    return f"{when}; contact details deleted {campaign.contact_days} days after closing"


def _page(campaign: Campaign, **forms: object) -> ResponseReturnValue:
    people, counts = status.standings(campaign)
    languages = importing.campaign_languages(campaign)
    schedule = forms.pop("schedule", None) or ScheduleForm(
        formdata=None,
        reminder_days=", ".join(str(d) for d in campaign.reminder_days),
        contact_days=campaign.contact_days,
    )
    test = forms.pop("test", None) or TestMessageForm(formdata=None, recipient=current_user.email)
    test.language.choices = [(code, language_name(code)) for code in languages]  # type: ignore[attr-defined]
    problems: list[Problem] = forms.pop("problems", None) or []  # type: ignore[assignment]
    return render_template(
        "pages/staff/invitees.html",
        campaign=campaign,
        people=people,
        counts=counts,
        total=sum(counts[key] for key in status.STATUSES),
        links_possible=bool(site_address()),
        shown=status.SHOWN,
        label=status.label,
        reason=status.plain_reason,
        list_form=forms.pop("list_form", None) or ListForm(formdata=None),
        schedule=schedule,
        test=test,
        problems=problems[:PROBLEMS_SHOWN],
        more_problems=max(0, len(problems) - PROBLEMS_SHOWN),
        routes=channels.routes(current_app.config),
        unreachable=_unreachable(campaign),
        accepting=campaign.is_accepting(utcnow()),
        remind=reminders.standing(campaign),
        when_last=reminders.when_last,
        nobody=reminders.nobody,
    ), (400 if request.method == "POST" else 200)


def _unreachable(campaign: Campaign) -> str:
    """What to say when people on the list can be sent nothing yet: they have only a mobile
    number and text messages are not set up, or only an email address and email is not
    ("" when everyone can be sent their invitation, or when nothing at all is set up: the
    page says that on its own)."""
    routes = channels.routes(current_app.config)
    if bool(routes["email"]) == bool(routes["sms"]):
        return ""
    only = Invitee.email.is_(None) if routes["email"] else Invitee.mobile.is_(None)
    n = (
        db.session.scalar(
            select(func.count(Invitee.id)).where(
                Invitee.campaign_id == campaign.id,
                Invitee.contacts_deleted_at.is_(None),
                only,
            )
        )
        or 0
    )
    if not n:
        return ""
    if not routes["sms"]:
        said = ngettext(
            "Text messages are not set up here: %(num)d person on the list has only a mobile "
            "number and will be sent nothing until an administrator sets up GOV.UK Notify. "
            "Add an email address for them if you can.",
            "Text messages are not set up here: %(num)d people on the list have only a mobile "
            "number and will be sent nothing until an administrator sets up GOV.UK Notify. "
            "Add an email address for them if you can.",
            n,
        )
    else:
        said = ngettext(
            "Email is not set up here: %(num)d person on the list has only an email address and "
            "will be sent nothing until an administrator sets up email. Add a mobile number for "
            "them if you can.",
            "Email is not set up here: %(num)d people on the list have only an email address and "
            "will be sent nothing until an administrator sets up email. Add a mobile number for "
            "them if you can.",
            n,
        )
    return str(said)


@bp.route("/campaigns/<slug>/invitees")
@permission_required(Permission.RUN_CAMPAIGNS)
def invitees(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    record(current_user.id, "invitees_viewed", campaign.slug, "")
    return _page(campaign)


@bp.route("/campaigns/<slug>/invitees/list", methods=["POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def add_invitees(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    request.max_content_length = UPLOAD_LIMIT
    try:
        form = ListForm()
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:
        flash(_("The file is larger than 8 MB. Split it into smaller files and add each."))
        return redirect(url_for(".invitees", slug=campaign.slug))
    if not valid:
        return _page(campaign, list_form=form)
    if campaign.status == CampaignStatus.ARCHIVED:
        form.file.errors.append(_("An archived campaign cannot be changed"))
        return _page(campaign, list_form=form)
    result = importing.add_invitees(campaign, form.file.data.read(), current_user)
    if result.problems:
        n = len(result.problems)
        form.file.errors.append(
            _("Nobody was added: %(n)d rows need fixing. Fix them and add the file again.", n=n)
            if result.problems[0].line > 1
            else result.problems[0].message
        )
        return _page(campaign, list_form=form, problems=result.problems)
    record(
        current_user.id,
        "invitees_added",
        campaign.slug,
        f"{result.added} added, {result.already} already on the list",
    )
    flash(
        _(
            "%(added)d people added. %(already)d were already on the list and were skipped.",
            added=result.added,
            already=result.already,
        )
    )
    if result.added and (unreachable := _unreachable(campaign)):
        flash(unreachable)
    return redirect(url_for(".invitees", slug=campaign.slug))


@bp.route("/campaigns/<slug>/invitees/schedule", methods=["POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def invitee_schedule(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    form = ScheduleForm()
    if not form.validate_on_submit() or form.contact_days.data is None:
        return _page(campaign, schedule=form)
    campaign.reminder_days, campaign.contact_days = form.days(), form.contact_days.data
    db.session.commit()
    record(current_user.id, "reminders_set", campaign.slug, _schedule_words(campaign))
    flash(_("Reminders and the deletion of contact details are set."))
    return redirect(url_for(".invitees", slug=campaign.slug))


@bp.route("/campaigns/<slug>/invitees/send", methods=["POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def send_invitations(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    if not campaign.is_accepting(utcnow()):
        flash(_("Invitations can be sent only while the campaign takes answers."))
        return redirect(url_for(".invitees", slug=campaign.slug))
    if not site_address():  # no link to write into a message
        flash(NO_LINKS)
        return redirect(url_for(".invitees", slug=campaign.slug))
    planned = sending.plan_invitations(campaign)
    record(current_user.id, "invitations_sent", campaign.slug, f"{planned} queued")
    if planned:
        start("survey.invitations.sending:deliver", campaign.id)
    flash(_("%(n)d invitations queued. Their status shows below as they go.", n=planned))
    return redirect(url_for(".invitees", slug=campaign.slug))


@bp.route("/campaigns/<slug>/invitees/remind", methods=["POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def send_reminders_now(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    if not site_address():  # no link to write into a message
        flash(NO_LINKS)
        return redirect(url_for(".invitees", slug=campaign.slug))
    outcome = reminders.remind_now(campaign, current_user.id)
    if outcome.queued:
        start("survey.invitations.sending:deliver", campaign.id)
    flash(reminders.said(outcome))
    return redirect(url_for(".invitees", slug=campaign.slug))


@bp.route("/campaigns/<slug>/invitees/test", methods=["POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def test_invitation(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    form = TestMessageForm()
    form.language.choices = [(c, c) for c in importing.campaign_languages(campaign)]
    if not form.validate_on_submit():
        return _page(campaign, test=form)
    recipient = (form.recipient.data or "").strip()
    channel = channels.channel_of(recipient)
    if channel == "sms":
        recipient = mobile_number(recipient) or recipient
    if channel is None:
        form.recipient.errors.append(_("Enter an email address or a mobile number"))
        return _page(campaign, test=form)
    try:
        message = compose(campaign, "TEST-NOT-A-LINK", form.language.data or "en", 0, None)
        message = replace(message, subject=_("Test: %(s)s", s=message.subject))
        via, _id = channels.send_for_id(
            current_app.config, channel, recipient, message, f"heard-test-{campaign.id}"
        )
    except (SendError, NoAddress) as error:
        form.recipient.errors.append(_("The test message was not sent: %(e)s", e=str(error)))
        return _page(campaign, test=form)
    record(current_user.id, "invitation_test_sent", campaign.slug, f"{channel} via {via}")
    flash(_("A test message was sent to %(r)s. Its link opens nothing.", r=recipient))
    return redirect(url_for(".invitees", slug=campaign.slug))


@bp.route("/campaigns/<slug>/invitees/messages/<int:message_id>/send-again", methods=["POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def send_invitation_again(slug: str, message_id: int) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    message = status.message_of(campaign, message_id)
    if message is not None and sending.send_again(message):
        record(current_user.id, "invitation_send_again", campaign.slug, f"message {message.id}")
        start("survey.invitations.sending:deliver", campaign.id)
        flash(_("It will be sent again now."))
    return redirect(url_for(".invitees", slug=campaign.slug))
