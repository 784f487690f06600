"""The demo organisation: staff accounts, a campaign per questionnaire, synthetic responses.

``heard demo`` (and so ``make run``) calls :func:`load_demo`. It is idempotent: accounts
and campaigns are found by their fixed emails and slugs, and anything already there is
reused, so a second run adds nothing and prints the same summary. Answers come from a
seeded random generator (the same seed gives the same answers); dates are laid out
around the hour the demo is loaded, so the campaigns are always open and their return
curves always end today. Each campaign is written in one transaction.
"""

from __future__ import annotations

import math
import os
import random
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.orm import InstrumentedAttribute

from survey.auth.services import hash_password
from survey.complaints.intake import import_front_door
from survey.dates import LONDON, today
from survey.demo.answers import Respondent
from survey.demo.complaints import (
    acknowledge_worked_flags,
    load_complaints_demo,
    work_front_door,
)
from survey.demo.flags import flag_marked_choices, newest_flag, raised_when_sent, screen_drafts
from survey.demo.loop import load_loop_demo
from survey.demo.plans import HOURS, HOURS_OF_VOICE, PLANS, SHOWCASE, TONES, Plan
from survey.extensions import db
from survey.library import library
from survey.models import (
    Answer,
    AuditEvent,
    Campaign,
    CampaignStatus,
    Draft,
    Invitation,
    Response,
    Role,
    User,
    utcnow,
)
from survey.questionnaire import Questionnaire
from survey.questionnaire.routing import visible_pages
from survey.respond.services import format_code, short_code
from survey.staff.codes import random_code

#: Shared by every demo account. The CLI refuses to load the demo in production.
DEMO_PASSWORD = "demo-password-not-secret"  # noqa: S105 - printed; refused in production
DEMO_DOMAIN = "demo.heard.invalid"
STAFF = (
    (Role.ADMIN, "admin", "Alex Admin"),
    (Role.PARTICIPATION, "participation", "Pat Participation"),
    (Role.QA_REVIEWER, "qa", "Quinn Reviewer"),
    (Role.COMPLAINTS, "complaints", "Casey Complaints"),
    (Role.SAFEGUARDING, "safeguarding", "Sam Safeguarding"),
)


def load_demo(seed: int = 2026) -> str:
    """Load what is missing of the demo organisation and return how to use it."""
    anchor = utcnow().replace(minute=0, second=0, microsecond=0)
    users = _staff()
    creator = users[Role.PARTICIPATION]
    drafts: list[int] = []
    for questionnaire in _shipped():
        plan = PLANS.get(questionnaire.id) or _default_plan(questionnaire)
        if db.session.scalar(select(Campaign.id).where(Campaign.slug == plan.slug)) is None:
            drafts += _load_campaign(questionnaire, plan, seed, anchor, creator)
    _assign_teams()
    load_complaints_demo(seed)
    # Front-door answers become records the moment they are sent; the demo's were written
    # straight to the database, so they are recorded here, received on the day they came.
    import_front_door()
    work_front_door(today())
    before = newest_flag()
    load_loop_demo(SHOWCASE)  # the insights, and so the flags, of every answer
    flag_marked_choices()  # and the flags of answers the questionnaire marks
    acknowledge_worked_flags(users[Role.SAFEGUARDING].id)
    raised_when_sent(before)  # as the runner raises them, with their alerts
    screen_drafts(drafts)  # as each page save is screened
    return summary()


#: The team whose work each demo campaign asks about (the QA group filters summaries by it).
TEAMS = {
    "wellbeing-4-7": "Children in care team",
    "wellbeing-8-11": "Children in care team",
    "wellbeing-11-17": "Children in care team",
    "care-leavers": "Leaving care team",
    "conference-parents": "Child protection conference service",
    "conference-children": "Child protection conference service",
    "conference-professionals": "Child protection conference service",
    "foster-carers": "Fostering service",
    "complaints": "Quality and complaints",
}


def _assign_teams() -> None:
    from survey.staff.choices import add, labels

    for campaign in db.session.scalars(select(Campaign).where(Campaign.slug.in_(TEAMS))):
        if not campaign.team:
            campaign.team = TEAMS[campaign.slug]
    db.session.commit()
    # The managed lists start with what the demo's campaigns use (as the migration does).
    for kind in ("team", "audience"):
        used: set[str] = set(db.session.scalars(select(getattr(Campaign, kind)).distinct()))
        for label in sorted(used - set(labels(kind)) - {""}):
            add(kind, label)


def _staff() -> dict[Role, User]:
    users: dict[Role, User] = {}
    shared = ""
    for role, local, name in STAFF:
        email = f"{local}@{DEMO_DOMAIN}"
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            shared = shared or hash_password(DEMO_PASSWORD)  # one argon2 hash: a second each
            user = User(email=email, name=name, password_hash=shared)
            user.roles = frozenset({role})
            db.session.add(user)
            db.session.commit()
        users[role] = user
    return users


def _shipped() -> list[Questionnaire]:
    """The latest version of each questionnaire in the questionnaire folder (not the test
    examples, and not easy-read versions, which are offered within their parent's campaign)."""
    folder = Path(current_app.config["QUESTIONNAIRE_DIR"]).resolve()
    found = [
        q
        for q in library().latest().values()
        if q.source and Path(q.source).resolve().parent == folder and not q.easy_read_of
    ]
    order = list(PLANS)
    return sorted(found, key=lambda q: (order.index(q.id) if q.id in order else len(order), q.id))


def _default_plan(questionnaire: Questionnaire) -> Plan:
    voice = {
        "children-in-care": "child",
        "care-leavers": "care-leaver",
        "foster-carers": "carer",
        "professionals": "professional",
    }
    return Plan(
        questionnaire.id[:80],
        questionnaire.title[:200],
        questionnaire.audience,
        voice.get(questionnaire.audience, "parent"),
        60,
        20,
    )


def _london_time(day: datetime, hour: int, minute: int) -> datetime:
    """``hour``:``minute`` in England on ``day``'s date there, in UTC."""
    local = day.astimezone(LONDON).replace(hour=hour, minute=minute)
    return local.astimezone(UTC)


def _load_campaign(
    questionnaire: Questionnaire, plan: Plan, seed: int, anchor: datetime, creator: User
) -> list[int]:
    """The campaign, its responses and drafts; returns the drafts' ids (to be screened)."""
    # Answers and timings draw from separate generators, so the answers (and the free
    # text) are the same for a seed whatever day the demo is loaded on.
    rngs = Rngs(random.Random(f"{seed}:{plan.slug}"), random.Random(f"{seed}:{plan.slug}:clock"))
    # 9:00 and 23:59 by the clocks in England, whichever side of a clock change
    opens_at = _london_time(anchor - timedelta(weeks=plan.weeks_open), 9, 0)
    closes_at = _london_time(anchor + timedelta(weeks=plan.weeks_left), 23, 59)
    campaign = Campaign(
        slug=plan.slug,
        title=plan.title,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        audience=plan.audience,
        status=CampaignStatus.OPEN,
        opens_at=opens_at,
        closes_at=closes_at,
        anonymous_link=True,
        cohort_size=plan.cohort,
        created_by_id=creator.id,
        created_at=opens_at - timedelta(days=3),
    )
    db.session.add(campaign)
    db.session.flush()
    invitations = [
        Invitation(
            campaign_id=campaign.id,
            token=random_code(),
            created_at=opens_at - timedelta(days=2),
        )
        for _ in range(plan.invitations)
    ]
    db.session.add_all(invitations)
    db.session.add_all(
        [
            AuditEvent(
                at=campaign.created_at,
                user_id=creator.id,
                action="campaign_created",
                target=plan.slug,
            ),
            AuditEvent(at=opens_at, user_id=creator.id, action="campaign_opened", target=plan.slug),
        ]
    )
    db.session.flush()
    _add_responses(campaign, questionnaire, plan, rngs, anchor, invitations)
    drafts = _add_drafts(campaign, questionnaire, plan, rngs, anchor)
    db.session.commit()
    return [draft.id for draft in drafts]


def _add_responses(
    campaign: Campaign,
    questionnaire: Questionnaire,
    plan: Plan,
    rngs: Rngs,
    anchor: datetime,
    invitations: list[Invitation],
) -> None:
    rng, clock = rngs
    unused = list(invitations)
    clock.shuffle(unused)
    rows: list[tuple[Response, dict[str, Any]]] = []
    for _ in range(plan.responses):
        tone = rng.choices(TONES, plan.tones)[0]
        submitted = _submitted_at(plan, clock, campaign.opens_at, anchor)
        answers = Respondent(rng, plan.voice, tone, submitted.date()).answer(questionnaire)
        started = max(submitted - _duration(questionnaire, clock), campaign.opens_at)
        invitation = unused.pop() if unused and clock.random() < 0.6 else None
        if invitation is not None:
            invitation.used_at = submitted
        response = Response(
            reference="HRD-" + format_code(short_code()),
            campaign_id=campaign.id,
            invitation_id=invitation.id if invitation else None,
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            language="en",
            started_at=started,
            submitted_at=submitted,
        )
        rows.append((response, answers))
    db.session.add_all(response for response, _ in rows)
    db.session.flush()
    types = {qid: q.type for qid, q in questionnaire.questions_by_id.items()}
    db.session.execute(
        insert(Answer),
        [
            {"response_id": r.id, "question_id": qid, "answer_type": types[qid], "value": value}
            for r, answers in rows
            for qid, value in answers.items()
        ],
    )


class Rngs(NamedTuple):
    answers: random.Random
    clock: random.Random


def _submitted_at(plan: Plan, rng: random.Random, opens_at: datetime, anchor: datetime) -> datetime:
    """A launch spike, a second spike after the reminder, then a tail; rolling campaigns
    (feedback after each conference, the front door) get a steady weekday trickle."""
    days_open = (anchor - opens_at).total_seconds() / 86400
    hours = HOURS[HOURS_OF_VOICE.get(plan.voice, "adult")]
    for _ in range(50):
        if plan.reminder_day is None:
            day = rng.uniform(0, days_open)
        else:
            kind = rng.choices(("launch", "reminder", "tail"), (0.5, 0.3, 0.2))[0]
            day = (
                rng.expovariate(1 / 2.5)
                if kind == "launch"
                else plan.reminder_day + rng.expovariate(1 / 1.8)
                if kind == "reminder"
                else rng.uniform(0, days_open)
            )
        midnight = opens_at.replace(hour=0) + timedelta(days=math.floor(day))
        hour = rng.choices(list(hours), list(hours.values()))[0]
        when = midnight + timedelta(hours=hour, minutes=rng.randint(0, 59))
        weekend = when.weekday() >= 5
        if weekend and (plan.voice == "professional" or rng.random() < 0.4):
            continue
        if opens_at + timedelta(minutes=30) <= when <= anchor:
            return when
    return anchor - timedelta(hours=rng.randint(1, 48))


def _duration(questionnaire: Questionnaire, rng: random.Random) -> timedelta:
    """Median a little under the questionnaire's own estimate, with a long tail."""
    typical = max(questionnaire.minutes, 2) * 0.75
    minutes = min(max(rng.lognormvariate(math.log(typical), 0.45), 1.5), typical * 5)
    return timedelta(minutes=minutes)


def _add_drafts(
    campaign: Campaign,
    questionnaire: Questionnaire,
    plan: Plan,
    rngs: Rngs,
    anchor: datetime,
) -> list[Draft]:
    """A handful of people who started but have not finished (yet)."""
    rng, clock = rngs
    drafts = []
    keep_days = int(current_app.config.get("DRAFT_DAYS", 30))
    window = min((anchor - campaign.opens_at).days, keep_days - 1)
    for _ in range(max(2, plan.responses // 12)):
        person = Respondent(rng, plan.voice, rng.choices(TONES, plan.tones)[0], anchor.date())
        pages = visible_pages(questionnaire, {})
        done = rng.randint(1, max(1, len(pages) - 2))
        answers = person.answer(questionnaire, stop_after=done)
        shown = visible_pages(questionnaire, answers)
        ago = timedelta(days=clock.uniform(0, window), minutes=clock.randint(5, 600))
        started = max(anchor - ago, campaign.opens_at + timedelta(hours=1))
        updated = started + timedelta(minutes=clock.uniform(1, 8) * done / 3)
        draft = Draft(
            key=secrets.token_urlsafe(32),
            campaign_id=campaign.id,
            answers=answers,
            current_page=shown[min(done, len(shown) - 1)].id,
            language="en",
            started_at=started,
            updated_at=updated,
            expires_at=updated + timedelta(days=keep_days),
        )
        db.session.add(draft)
        drafts.append(draft)
    db.session.flush()
    return drafts


def summary() -> str:
    """How to use the demo: public links, two personal links, staff sign-in, counts."""
    # The site's configured address (HEARD_BASE_URL), else the local server `make run` starts.
    configured = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    base = configured or f"http://127.0.0.1:{os.environ.get('PORT') or '5000'}"
    slugs = [_plan_slug(q) for q in _shipped()]
    found = db.session.scalars(select(Campaign).where(Campaign.slug.in_(slugs))).all()
    campaigns = sorted(found, key=lambda c: slugs.index(c.slug))
    ids = [c.id for c in campaigns]
    responses = _count_by(Response.campaign_id, ids)
    drafts = _count_by(Draft.campaign_id, ids, Draft.response_id.is_(None))
    lines = ["Heard demo organisation", "", "Public questionnaire links:"]
    for c in campaigns:
        cohort = f" of {c.cohort_size} asked" if c.cohort_size else ""
        lines.append(
            f"  {base}/s/{c.slug:<25} {responses.get(c.id, 0):>4} responses{cohort}, "
            f"{drafts.get(c.id, 0)} unfinished"
        )
    lines += ["", "Personal invitation links (each can be used once):"]
    lines += [f"  {base}/i/{token}  ({slug})" for slug, token in _spare_invitations(slugs)]
    lines += [
        "",
        f"Staff sign-in: {base}/staff/sign-in",
        f"  password for every demo account: {DEMO_PASSWORD}",
    ]
    for role, local, _name in STAFF:
        lines.append(f"  {local + '@' + DEMO_DOMAIN:<34} {role.label}")
    lines += [
        "",
        f'"You said, we did", published: {base}/you-said-we-did/{SHOWCASE}',
        f"  its A4 poster (staff): {base}/staff/loop/{SHOWCASE}/poster.pdf",
        f"Complaints (staff): {base}/staff/complaints/",
        "Safeguarding alerts need `heard alerts` running every minute (or `heard alerts "
        "--every 60`): it sends what was missed, escalates and retries.",
        "",
        f"{len(campaigns)} campaigns, {sum(responses.values())} responses, "
        f"{sum(drafts.values())} unfinished.",
    ]
    return "\n".join(lines)


def _spare_invitations(slugs: list[str]) -> list[tuple[str, str]]:
    """Two unused personal links, from the showcase campaign when it has them."""
    rows = db.session.execute(
        select(Campaign.slug, Invitation.token)
        .join(Campaign)
        .where(Campaign.slug.in_(slugs), Invitation.used_at.is_(None))
        .order_by((Campaign.slug == SHOWCASE).desc(), Campaign.slug, Invitation.id)
        .limit(2)
    )
    return [(slug, token) for slug, token in rows]


def _plan_slug(questionnaire: Questionnaire) -> str:
    return (PLANS.get(questionnaire.id) or _default_plan(questionnaire)).slug


def _count_by(
    column: InstrumentedAttribute[int], ids: list[int], *where: ColumnElement[bool]
) -> dict[int, int]:
    rows = db.session.execute(
        select(column, func.count()).where(column.in_(ids), *where).group_by(column)
    )
    return {cid: n for cid, n in rows}
