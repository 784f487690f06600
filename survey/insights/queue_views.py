"""The safeguarding lead's queue: flags oldest first, each acknowledged with what was done."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from survey.alerts import sweeps
from survey.alerts.services import for_flag
from survey.auth.decorators import permission_required
from survey.auth.policy import Permission, can, may_open
from survey.auth.services import record
from survey.auth.stash import restore_formdata
from survey.extensions import db
from survey.forms.staff import person_choices
from survey.models import Campaign, Response, Role, SafeguardingFlag, utcnow
from survey.staff.blueprint import refill

from . import flags, kept
from .forms import OUTCOMES, AcknowledgeForm, AssignForm, NoteForm
from .services import language_name

bp = Blueprint("safeguarding", __name__, url_prefix="/staff/safeguarding")


@bp.app_context_processor
def flag_notices() -> dict[str, Any]:
    """Open flags for the safeguarding lead; flags past the set time for every admin."""

    def counts() -> dict[str, int]:
        roles: frozenset[Role] = getattr(current_user, "roles", frozenset())
        return {
            "open": flags.open_count() if Role.SAFEGUARDING in roles else 0,
            "escalated": flags.escalated_count() if Role.ADMIN in roles else 0,
        }

    def flag_bursts() -> list[tuple[str, int]]:
        roles: frozenset[Role] = getattr(current_user, "roles", frozenset())
        return flags.bursts() if roles & {Role.ADMIN, Role.SAFEGUARDING} else []

    return {"flag_counts": counts, "flag_bursts": flag_bursts}


@bp.route("/")
@permission_required(Permission.HANDLE_FLAGS)
def queue() -> ResponseReturnValue:
    now = utcnow()
    return render_template(
        "pages/safeguarding/queue.html",
        open_flags=sent_times(flags.open_flags()),
        done_flags=flags.done_flags(),
        now=now,
        is_escalated=flags.is_escalated,
        hours=flags.escalate_after().total_seconds() / 3600,
        people={u.id: u.name for u in flags.assignees()},
        outcomes=OUTCOMES,
        kept_past_retention=kept.past_retention(now),
    )


@bp.route("/<reference>", methods=["GET", "POST"])
@permission_required(Permission.HANDLE_FLAGS)
def flag(reference: str) -> ResponseReturnValue:
    found = flags.find(reference)
    if found is None:
        return _missing()
    form = AcknowledgeForm()
    if found.acknowledged_at is None and form.validate_on_submit():
        done = flags.acknowledge(
            found, current_user.id, form.action_taken.data or "", form.outcome.data or "other"
        )
        if done:
            record(current_user.id, "flag_acknowledged", str(found.id), form.outcome.data or "")
            flash(_("Flag acknowledged"))
        else:
            flash(_("Someone else acknowledged this flag first. Their note is shown below."))
        return redirect(url_for(".flag", reference=found.id))
    # The answer's reference, so the audit log finds this view in a search for the answer.
    answer = db.session.get(Response, found.response_id) if found.response_id else None
    shown = f"raw answer shown; answer {answer.reference}" if answer else "raw answer shown"
    record(current_user.id, "flag_viewed", str(found.id), shown)
    return _flag_page(found, form, _assign_form(found))


def may_see_sent(campaign: Campaign | None) -> bool:
    """When an answer was sent is shown where the reader may already see it: to those who
    read that campaign's answers (docs/access.md: a front door's only to administrators)."""
    return (
        campaign is not None
        and can(current_user, Permission.READ_ANSWERS)
        and may_open(current_user, campaign)
    )


def sent_times(rows: list[flags.FlagRow]) -> list[flags.FlagRow]:
    """The queue's rows, each send time kept only where ``may_see_sent``."""
    ids = {row.flag.campaign_id for row in rows if row.sent_at is not None}
    campaigns = {c.id: c for c in db.session.scalars(select(Campaign).where(Campaign.id.in_(ids)))}
    return [
        row
        if row.sent_at is None or may_see_sent(campaigns.get(row.flag.campaign_id))  # type: ignore[arg-type]
        else replace(row, sent_at=None)
        for row in rows
    ]


def _assign_form(found: SafeguardingFlag) -> AssignForm:
    form = AssignForm(formdata=None)
    form.assigned_to.choices = person_choices(flags.assignees(), _("Choose a person"))
    form.assigned_to.data = str(found.assigned_to_id or "")
    return form


def _flag_page(
    found: SafeguardingFlag, form: Any, assign_form: Any, note_form: Any = None
) -> ResponseReturnValue:
    campaign = db.session.get(Campaign, found.campaign_id) if found.campaign_id else None
    note_form = note_form or NoteForm(formdata=None)
    if request.method == "GET":
        _refill_kept(found, form, assign_form, note_form)
    errors = form.errors or assign_form.errors or note_form.errors
    context = flags.context(found)
    alerts = for_flag(found.id)
    # The rest of what they answered (where they live, who was helping) is often all the lead
    # has to go on from an open link: a link to the whole answer for those who may read it.
    all_answers = (
        url_for("staff.response", slug=campaign.slug, reference=context.reference)
        if campaign is not None
        and context.reference
        and can(current_user, Permission.READ_ANSWERS)
        and may_open(current_user, campaign)
        else None
    )
    return render_template(
        "pages/safeguarding/flag.html",
        flag=found,
        answers=flags.answer_texts(found),
        campaign=campaign,
        form=form,
        assign_form=assign_form,
        context=context,
        all_answers=all_answers,
        outcomes=OUTCOMES,
        acknowledged_by=_user_name(found.acknowledged_by_id),
        assigned_to=_user_name(found.assigned_to_id),
        language_name=language_name(found.language),
        escalated=flags.is_escalated(found, utcnow()),
        alerts=alerts,
        no_alert_yet=None if alerts else sweeps.why_no_alert(found),
        sweep=sweeps.state(),
        sent_at=context.sent_at if may_see_sent(campaign) else None,
        notes=[(note, _user_name(note.user_id)) for note in flags.notes(found)],
        note_form=note_form,
    ), (400 if errors else 200)


def _refill_kept(found: SafeguardingFlag, form: Any, assign_form: Any, note_form: Any) -> None:
    """What the lead typed before their session ended comes back in the form it was typed
    in (survey/auth/stash.py). An acknowledgement of a flag someone else acknowledged in
    the meantime comes back in the note box, so the words are not lost."""
    refill(note_form, "safeguarding.add_note")
    refill(assign_form, "safeguarding.assign")
    if found.acknowledged_at is None:
        refill(form, "safeguarding.flag")
        return
    kept = restore_formdata("safeguarding.flag")
    if kept is not None and kept.get("action_taken") and not note_form.text.data:
        note_form.text.data = kept["action_taken"]
        flash(
            _(
                "Someone else acknowledged this flag while you were signed out. What you "
                "typed is in the note box below: add it as a note if it is still needed."
            )
        )


@bp.route("/<reference>/notes", methods=["POST"])
@permission_required(Permission.HANDLE_FLAGS)
def add_note(reference: str) -> ResponseReturnValue:
    """A note on the flag, before or after it is acknowledged (what came of it later)."""
    found = flags.find(reference)
    if found is None:
        return _missing()
    note_form = NoteForm()
    if note_form.validate_on_submit():
        flags.add_note(found, current_user.id, note_form.text.data or "")
        record(current_user.id, "flag_note_added", str(found.id))
        flash(_("Note added"))
        return redirect(url_for(".flag", reference=found.id))
    return _flag_page(found, AcknowledgeForm(formdata=None), _assign_form(found), note_form)


@bp.route("/<reference>/assign", methods=["POST"])
@permission_required(Permission.HANDLE_FLAGS)
def assign(reference: str) -> ResponseReturnValue:
    found = flags.find(reference)
    if found is None:
        return _missing()
    form = _assign_form(found)
    form.process(request.form)
    people = {str(u.id): u for u in flags.assignees()}
    if form.validate() and form.assigned_to.data in people:
        person = people[form.assigned_to.data]
        flags.assign(found, person)
        record(current_user.id, "flag_assigned", str(found.id), person.email)
        flash(_("%(name)s is looking into this flag", name=person.name))
        return redirect(url_for(".flag", reference=found.id))
    form.assigned_to.errors = [_("Choose who is looking into it")]
    return _flag_page(found, AcknowledgeForm(formdata=None), form)


def _missing() -> ResponseReturnValue:
    flash(_("That flag was not found"))
    return redirect(url_for(".queue"))


def _user_name(user_id: int | None) -> str:
    from survey.models import User

    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        return ""
    return user.name if user.active else _("%(name)s (account switched off)", name=user.name)
