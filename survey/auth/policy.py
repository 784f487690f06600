"""Who may do what: the one reviewed table of permissions, and every staff route's permission.

This module is the policy. Views declare their permission with ``permission_required``;
``tests/web/test_staff_access.py`` requests every staff route as every role and compares
the answer with ``ROUTES`` and ``TABLE`` here, so widening a role means editing this file
(and its plain-words copy, ``docs/access.md``, which a test keeps identical).

Two rules cut across routes and live here too:

- the compliments and complaints front door is a campaign like any other to the runner,
  but its answers are a complainant's: only those who handle complaints may open it;
- the text of an answer the safeguarding net flagged is for the safeguarding lead (and
  admins); everyone else is told the answer is with the lead (which answers, and which
  fields of a complaint, are worked out in ``withheld``; its names are re-exported here).
"""

from __future__ import annotations

import enum
from typing import Any

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import ColumnElement, select, true

from survey.extensions import db
from survey.models import Campaign, Role, RoleGrant, User

from .withheld import (
    FRONT_DOOR_FIELDS,
    FlagState,
    flag_states,
    withheld_fields_by_response,
    withheld_record_fields,
)

__all__ = [
    "FRONT_DOOR",
    "FRONT_DOOR_FIELDS",
    "MENU",
    "ROUTES",
    "TABLE",
    "FlagState",
    "Permission",
    "as_markdown",
    "campaign_or_404",
    "campaigns_clause",
    "can",
    "describe",
    "flag_states",
    "is_front_door",
    "may_open",
    "may_run_front_door",
    "menu",
    "one_role_holds",
    "people_who_may",
    "roles_with",
    "survey_campaigns",
    "survey_campaigns_clause",
    "withheld_fields_by_response",
    "withheld_record_fields",
]

#: The questionnaire behind the public compliments and complaints front door.
FRONT_DOOR = "compliments-complaints"


class Permission(enum.StrEnum):
    USE_ACCOUNT = "use-account"
    VIEW_CAMPAIGNS = "view-campaigns"
    RUN_CAMPAIGNS = "run-campaigns"
    READ_ANSWERS = "read-answers"
    READ_FLAGGED_TEXT = "read-flagged-text"
    READ_CONTACT_BOXES = "read-contact-boxes"
    REVIEW_THEMES = "review-themes"
    CORRECT_INSIGHTS = "correct-insights"
    MANAGE_ACTIONS = "manage-actions"
    LINK_COMPLAINT_LEARNING = "link-complaint-learning"
    PUBLISH_LOOP = "publish-loop"
    HANDLE_FLAGS = "handle-flags"
    HANDLE_COMPLAINTS = "handle-complaints"
    READ_COMPLAINT_FIGURES = "read-complaint-figures"
    ADMINISTER = "administer"


_P, _R = Permission, Role

#: Permission -> the roles that hold it, with what it means in plain words.
#: Admins hold every permission; they are listed so the table reads whole.
TABLE: dict[Permission, tuple[frozenset[Role], Any]] = {
    _P.USE_ACCOUNT: (
        frozenset(_R),
        _l("Sign in, see the campaign list and sign out everywhere"),
    ),
    _P.VIEW_CAMPAIGNS: (
        frozenset({_R.ADMIN, _R.PARTICIPATION, _R.QA_REVIEWER}),
        _l("Open a campaign, its return rates and the questionnaires"),
    ),
    _P.RUN_CAMPAIGNS: (
        frozenset({_R.ADMIN, _R.PARTICIPATION}),
        _l("Create, edit, open and close campaigns; links, QR codes, posters and letters"),
    ),
    _P.READ_ANSWERS: (
        frozenset({_R.ADMIN, _R.PARTICIPATION, _R.QA_REVIEWER, _R.SAFEGUARDING}),
        _l("Read and export survey answers (never the complaints front door), every view logged"),
    ),
    _P.READ_FLAGGED_TEXT: (
        frozenset({_R.ADMIN, _R.SAFEGUARDING}),
        _l("Read the words of an answer the safeguarding net flagged"),
    ),
    _P.READ_CONTACT_BOXES: (
        frozenset({_R.ADMIN, _R.PARTICIPATION, _R.SAFEGUARDING}),
        _l(
            "Read a name or contact someone left with their answers, and the check-in requests "
            "(kept apart from the answers), to pass them on"
        ),
    ),
    _P.REVIEW_THEMES: (
        frozenset({_R.ADMIN, _R.PARTICIPATION, _R.QA_REVIEWER}),
        _l("Themed summary, redacted comments, reports, loop measures; add an action from a theme"),
    ),
    _P.CORRECT_INSIGHTS: (
        frozenset({_R.ADMIN, _R.QA_REVIEWER}),
        _l("Correct themes and sentiment, accept new themes, retrain the model"),
    ),
    _P.MANAGE_ACTIONS: (
        frozenset({_R.ADMIN, _R.PARTICIPATION, _R.QA_REVIEWER, _R.COMPLAINTS}),
        _l("The action board: add and update actions"),
    ),
    _P.LINK_COMPLAINT_LEARNING: (
        frozenset({_R.ADMIN, _R.COMPLAINTS}),
        _l("Link an action to the complaint it learns from"),
    ),
    _P.PUBLISH_LOOP: (
        frozenset({_R.ADMIN, _R.PARTICIPATION, _R.QA_REVIEWER}),
        _l('Write, publish and withdraw "you said, we did" and its poster'),
    ),
    _P.HANDLE_FLAGS: (
        frozenset({_R.ADMIN, _R.SAFEGUARDING}),
        _l("The safeguarding queue: read, acknowledge and record outcomes"),
    ),
    _P.HANDLE_COMPLAINTS: (
        frozenset({_R.ADMIN, _R.COMPLAINTS}),
        _l("The complaints and compliments register, front-door answers and subject access"),
    ),
    _P.READ_COMPLAINT_FIGURES: (
        frozenset({_R.ADMIN, _R.COMPLAINTS, _R.QA_REVIEWER}),
        _l("The quarterly complaints report: figures only, no names"),
    ),
    _P.ADMINISTER: (
        frozenset({_R.ADMIN}),
        _l("Staff accounts, roles, the audit log and safeguarding alerts that were not sent"),
    ),
}


def roles_with(permission: Permission) -> frozenset[Role]:
    return TABLE[permission][0]


def people_who_may(permission: Permission) -> list[User]:
    """Active staff whose role holds ``permission``, by name: who a flag can be given to,
    who can own a complaint."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                User.id.in_(
                    select(RoleGrant.user_id).where(RoleGrant.role.in_(roles_with(permission)))
                ),
            )
            .order_by(User.name)
        )
    )


def describe(permission: Permission) -> str:
    return str(TABLE[permission][1])


def can(user: Any, permission: Permission | str) -> bool:
    """True when the signed-in ``user`` holds ``permission`` through any of their roles."""
    roles = getattr(user, "roles", None)
    if not roles or not getattr(user, "is_authenticated", False):
        return False
    return not roles_with(Permission(permission)).isdisjoint(roles)


#: Every staff route and the permission it needs. A route missing here fails the access test.
ROUTES: dict[str, Permission] = {
    "auth.sign_out_all": _P.USE_ACCOUNT,
    "auth.account": _P.USE_ACCOUNT,
    "auth.change_own_password": _P.USE_ACCOUNT,
    "auth.still_here": _P.USE_ACCOUNT,
    "auth.enrol": _P.USE_ACCOUNT,
    "auth.change_two_factor": _P.USE_ACCOUNT,
    "staff.dashboard": _P.USE_ACCOUNT,
    "staff.campaign": _P.VIEW_CAMPAIGNS,
    "staff.invitees": _P.RUN_CAMPAIGNS,
    "staff.confirm_close": _P.RUN_CAMPAIGNS,
    "staff.copy_campaign": _P.RUN_CAMPAIGNS,
    "staff.managed_lists": _P.RUN_CAMPAIGNS,
    "staff.edit_questionnaire": _P.RUN_CAMPAIGNS,
    "staff.add_invitees": _P.RUN_CAMPAIGNS,
    "staff.invitee_schedule": _P.RUN_CAMPAIGNS,
    "staff.send_invitations": _P.RUN_CAMPAIGNS,
    "staff.send_reminders_now": _P.RUN_CAMPAIGNS,
    "staff.test_invitation": _P.RUN_CAMPAIGNS,
    "staff.send_invitation_again": _P.RUN_CAMPAIGNS,
    "staff.questionnaire": _P.VIEW_CAMPAIGNS,
    "staff.preview_questionnaire": _P.VIEW_CAMPAIGNS,
    "staff.questionnaires": _P.VIEW_CAMPAIGNS,
    "staff.return_rate_page": _P.VIEW_CAMPAIGNS,
    "staff.change_campaign_status": _P.RUN_CAMPAIGNS,
    "staff.edit_campaign": _P.RUN_CAMPAIGNS,
    "staff.invitations_csv": _P.RUN_CAMPAIGNS,
    "staff.letter": _P.RUN_CAMPAIGNS,
    "staff.new_campaign": _P.RUN_CAMPAIGNS,
    "staff.new_conference": _P.RUN_CAMPAIGNS,
    "staff.new_group": _P.RUN_CAMPAIGNS,
    "staff.new_invitations": _P.RUN_CAMPAIGNS,
    "staff.personal_letters": _P.RUN_CAMPAIGNS,
    "staff.poster": _P.RUN_CAMPAIGNS,
    "staff.qr_png": _P.RUN_CAMPAIGNS,
    "staff.qr_svg": _P.RUN_CAMPAIGNS,
    "staff.share": _P.RUN_CAMPAIGNS,
    "staff.response": _P.READ_ANSWERS,
    "staff.responses": _P.READ_ANSWERS,
    "staff.responses_csv": _P.READ_ANSWERS,
    "staff.check_ins": _P.READ_CONTACT_BOXES,
    "staff.pass_on_check_in": _P.READ_CONTACT_BOXES,
    "review.responses_xlsx": _P.READ_ANSWERS,
    "review.summary": _P.REVIEW_THEMES,
    "review.comments": _P.REVIEW_THEMES,
    "review.report_docx": _P.REVIEW_THEMES,
    "review.report_pdf": _P.REVIEW_THEMES,
    "review.themes_csv": _P.REVIEW_THEMES,
    "review.themes_xlsx": _P.REVIEW_THEMES,
    "loop.measures_page": _P.REVIEW_THEMES,
    "loop.new_action": _P.REVIEW_THEMES,
    "review.accept_topic": _P.CORRECT_INSIGHTS,
    "review.change_theme": _P.CORRECT_INSIGHTS,
    "review.correct": _P.CORRECT_INSIGHTS,
    "review.dismiss_topic": _P.CORRECT_INSIGHTS,
    "review.model": _P.CORRECT_INSIGHTS,
    "review.topics_page": _P.CORRECT_INSIGHTS,
    "actions.board_page": _P.MANAGE_ACTIONS,
    "actions.edit": _P.MANAGE_ACTIONS,
    "actions.new": _P.MANAGE_ACTIONS,
    "loop.poster_pdf": _P.PUBLISH_LOOP,
    "loop.public_words": _P.PUBLISH_LOOP,
    "loop.publish": _P.PUBLISH_LOOP,
    "loop.withdraw": _P.PUBLISH_LOOP,
    "safeguarding.add_note": _P.HANDLE_FLAGS,
    "safeguarding.assign": _P.HANDLE_FLAGS,
    "safeguarding.flag": _P.HANDLE_FLAGS,
    "safeguarding.queue": _P.HANDLE_FLAGS,
    "complaints.compliment_detail": _P.HANDLE_COMPLAINTS,
    "complaints.compliment_list": _P.HANDLE_COMPLAINTS,
    "complaints.compliment_new": _P.HANDLE_COMPLAINTS,
    "complaints.detail": _P.HANDLE_COMPLAINTS,
    "complaints.index": _P.HANDLE_COMPLAINTS,
    "complaints.letter": _P.HANDLE_COMPLAINTS,
    "complaints.new": _P.HANDLE_COMPLAINTS,
    "complaints.retention": _P.HANDLE_COMPLAINTS,
    "complaints.step_advocate": _P.HANDLE_COMPLAINTS,
    "complaints.step_close": _P.HANDLE_COMPLAINTS,
    "complaints.step_escalate": _P.HANDLE_COMPLAINTS,
    "complaints.step_extend": _P.HANDLE_COMPLAINTS,
    "complaints.step_learning": _P.HANDLE_COMPLAINTS,
    "complaints.step_letter": _P.HANDLE_COMPLAINTS,
    "complaints.step_outcome": _P.HANDLE_COMPLAINTS,
    "complaints.step_owner": _P.HANDLE_COMPLAINTS,
    "complaints.step_people": _P.HANDLE_COMPLAINTS,
    "complaints.step_point": _P.HANDLE_COMPLAINTS,
    "complaints.step_procedure": _P.HANDLE_COMPLAINTS,
    "complaints.step_record": _P.HANDLE_COMPLAINTS,
    "complaints.subject_access": _P.HANDLE_COMPLAINTS,
    "complaints.subject_access_export": _P.HANDLE_COMPLAINTS,
    "complaints.report": _P.READ_COMPLAINT_FIGURES,
    "complaints.report_file": _P.READ_COMPLAINT_FIGURES,
    "alerts.index": _P.ADMINISTER,
    "alerts.send_again": _P.ADMINISTER,
    "staff.audit_csv": _P.ADMINISTER,
    "staff.two_factor_setting": _P.ADMINISTER,
    "staff.audit_log": _P.ADMINISTER,
    "staff.change_user": _P.ADMINISTER,
    "staff.invite_user": _P.ADMINISTER,
    "staff.user": _P.ADMINISTER,
    "staff.users": _P.ADMINISTER,
}

#: The staff menu: each entry shows only to those who may open it.
MENU: tuple[tuple[str, Any], ...] = (
    ("staff.dashboard", _l("Campaigns")),
    ("staff.questionnaires", _l("Questionnaires")),
    ("review.summary", _l("Themes")),
    ("actions.board_page", _l("Actions")),
    ("loop.measures_page", _l("Loop measures")),
    ("safeguarding.queue", _l("Safeguarding")),
    ("staff.check_ins", _l("Check-ins")),
    ("complaints.index", _l("Complaints")),
    ("complaints.report", _l("Complaints report")),
    ("staff.users", _l("Staff accounts")),
    ("staff.audit_log", _l("Audit log")),
    ("alerts.index", _l("Alerts")),
    ("auth.account", _l("Your account")),
)


def menu(user: Any) -> list[tuple[str, str]]:
    """(endpoint, label) for every menu entry ``user`` may open."""
    return [(endpoint, str(label)) for endpoint, label in MENU if can(user, ROUTES[endpoint])]


# -- the complaints front door ---------------------------------------------------------


def is_front_door(campaign: Campaign) -> bool:
    return campaign.questionnaire_id == FRONT_DOOR


def one_role_holds(user: Any, *permissions: Permission) -> bool:
    """True when a single one of the user's roles holds every one of ``permissions``.

    Roles are combined for ordinary pages (a person may open what any of their roles
    allows), but two rules must not be assembled from two hats: a participation worker who
    is also a complaints officer may read survey answers and handle complaints, yet the
    bulk view and export of the complaints front door's answers, which neither role gives
    on its own, stays with the roles that hold both (administrators).
    """
    roles = getattr(user, "roles", None)
    if not roles or not getattr(user, "is_authenticated", False):
        return False
    return any(all(role in roles_with(p) for p in permissions) for role in roles)


def _front_door_open(user: Any) -> bool:
    return one_role_holds(user, Permission.HANDLE_COMPLAINTS, Permission.READ_ANSWERS)


def may_run_front_door(user: Any) -> bool:
    """Whether ``user`` may launch a compliments and complaints front door: only those who
    may open one afterwards (a campaign they could not see, nor close, must not go public)."""
    return _front_door_open(user)


def may_open(user: Any, campaign: Campaign) -> bool:
    """A front-door campaign (its counts, answers and exports) opens only to a role that
    both handles complaints and reads answers; complaints officers use the register."""
    return not is_front_door(campaign) or _front_door_open(user)


def campaigns_clause(user: Any) -> ColumnElement[bool]:
    """A WHERE clause on ``Campaign`` keeping the campaigns ``user`` may see listed (the
    front door for those who handle complaints; opening its answers is ``may_open``)."""
    if can(user, Permission.HANDLE_COMPLAINTS):
        return true()
    return Campaign.questionnaire_id != FRONT_DOOR


def survey_campaigns_clause() -> ColumnElement[bool]:
    """Campaigns whose answers feed themes, reports and the loop: never the front door."""
    return Campaign.questionnaire_id != FRONT_DOOR


def campaign_or_404(slug: str, user: Any = None) -> Campaign:
    """The campaign called ``slug`` if the user may open it; 404 (not 403) hides that it exists."""
    user = current_user if user is None else user
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug[:80]))
    if campaign is None or not may_open(user, campaign):
        abort(404)
    return campaign


def survey_campaigns() -> list[Campaign]:
    """Every campaign that feeds themes and the loop, newest first."""
    query = select(Campaign).where(survey_campaigns_clause()).order_by(Campaign.opens_at.desc())
    return list(db.session.scalars(query))


def as_markdown() -> str:
    """The table in plain words, as ``docs/access.md`` holds it (a test keeps them equal)."""
    roles = list(Role)
    lines = [
        "| What it allows | " + " | ".join(r.label for r in roles) + " |",
        "| --- | " + " | ".join("---" for _ in roles) + " |",
    ]
    for permission, (holders, words) in TABLE.items():
        marks = " | ".join("yes" if r in holders else "no" for r in roles)
        lines.append(f"| {words} (`{permission.value}`) | {marks} |")
    lines += ["", "| Staff page (endpoint) | Needs |", "| --- | --- |"]
    lines += [f"| `{endpoint}` | `{ROUTES[endpoint].value}` |" for endpoint in sorted(ROUTES)]
    return "\n".join(lines) + "\n"
