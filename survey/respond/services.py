"""The respondent's journey: drafts kept server-side, save-and-return, once-only submit."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app, g, request, session
from flask_babel import get_locale
from sqlalchemy import (
    Select,
    String,
    bindparam,
    case,
    cast,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.sql.elements import ColumnElement

from survey.auth.policy import FRONT_DOOR
from survey.complaints.services import intake_from_response
from survey.extensions import db
from survey.insights.drafts import move_to_response
from survey.insights.services import FREE_TEXT, Sent, response_saved
from survey.library import library
from survey.models import Answer, Campaign, CampaignStatus, Draft, Invitation, Response, utcnow
from survey.models.campaign import accepting
from survey.questionnaire import Questionnaire
from survey.questionnaire.routing import missing_required, relevant_answers
from survey.staff.codes import spellings as code_spellings

from .full_read import analyse_now_if_needed

# No 0/O, 1/I/L, 5/S, 2/Z: codes are read off a screen and typed back on a phone.
CODE_ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"
SESSION_DRAFTS = "drafts"
SESSION_DONE = "done"


class JourneyError(Exception):
    """Why a person cannot go on; ``kind`` picks the page shown to them."""

    def __init__(self, kind: str, opens_at: datetime | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.opens_at = opens_at  # a scheduled campaign's page says when it opens


def now() -> datetime:
    return utcnow()


def short_code(length: int = 8) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def hash_code(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def questionnaire_for(
    campaign: Campaign | OpenCampaign,
    draft: Draft | OpenDraft | None = None,
    *,
    easy_read: bool = False,
) -> Questionnaire:
    """The questionnaire this person answers, in the language of the page.

    The easy-read variant when they chose it (at the start, or recorded on their draft);
    it has the same question ids and answer values, so its answers count with the rest.
    """
    lib = library()
    questionnaire = lib.get(campaign.questionnaire_id, campaign.questionnaire_version)
    if questionnaire is None:
        raise JourneyError("unavailable")
    if easy_read or (draft is not None and draft.questionnaire_id):
        questionnaire = lib.easy_read(questionnaire.id, questionnaire.version) or questionnaire
        # Offered only in the languages the variant itself has been translated into.
        offered = g.get("languages") or current_app.config["LANGUAGES"]
        g.languages = [code for code in offered if code in questionnaire.languages] or ["en"]
    return lib.localised(questionnaire, str(get_locale() or "en"))


def easy_read_for(campaign: Campaign) -> Questionnaire | None:
    return library().easy_read(campaign.questionnaire_id, campaign.questionnaire_version)


def sent_in_easy_read(reference: str) -> bool:
    """Whether the answers sent under ``reference`` were given in an easy-read version."""
    query = select(Response.questionnaire_id).where(Response.reference == reference)
    sent = db.session.scalar(query)
    found = library().get(sent) if sent else None
    return found is not None and found.easy_read_of is not None


def _offer_languages(campaign: Campaign | OpenCampaign) -> None:
    """This campaign's pages are offered in its own languages (the questionnaire's when the
    campaign names none); the locale selector in survey/app.py reads ``g.languages``."""
    own = library().get(campaign.questionnaire_id, campaign.questionnaire_version)
    wanted = campaign.languages or (own.languages if own else ())
    g.languages = [code for code in current_app.config["LANGUAGES"] if code in wanted] or ["en"]


def campaign_by_slug(slug: str) -> Campaign:
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None or campaign.status == "draft":
        raise JourneyError("not_found")
    _offer_languages(campaign)
    return campaign


def open_campaign(slug: str) -> Campaign:
    campaign = campaign_by_slug(slug)
    _check_open(campaign)
    return campaign


def _check_open(campaign: Campaign | OpenCampaign) -> None:
    if not campaign.is_accepting(now()):
        if campaign.opens_at <= now():
            raise JourneyError("closed")
        raise JourneyError("not_yet_open", opens_at=campaign.opens_at)


@dataclass(frozen=True, slots=True)
class OpenCampaign:
    """What a page save reads of its campaign, from one row (no ORM object: making the two
    objects cost about a twentieth of a page save; benchmarks/README.md, sixth pass)."""

    id: int
    slug: str
    title: str
    status: CampaignStatus
    opens_at: datetime
    closes_at: datetime
    anonymous_link: bool
    languages: list[str]
    questionnaire_id: str
    questionnaire_version: int

    def is_accepting(self, now: datetime) -> bool:
        return accepting(self.status, self.opens_at, self.closes_at, now)


@dataclass(frozen=True, slots=True)
class OpenDraft:
    """What the journey reads of a draft; its few writes go through statements by ``id``."""

    id: int
    campaign_id: int
    invitation_id: int | None
    answers: dict[str, Any] | None  # None: a JSON null, no answers yet
    language: str
    questionnaire_id: str | None
    started_at: datetime
    expires_at: datetime
    response_id: int | None
    link_id: int | None


def open_campaign_and_draft(slug: str) -> tuple[Campaign | OpenCampaign, OpenDraft | None]:
    """``open_campaign(slug)`` and its draft, in one round trip when this browser has a
    draft there (every page save does); the same answers and the same journey errors as
    calling ``open_campaign`` and ``current_draft`` in turn, which is what happens
    otherwise."""
    drafts = session.get(SESSION_DRAFTS, {})
    key = drafts.get(slug) if isinstance(drafts, dict) else None
    if isinstance(key, str):
        row = db.session.connection().execute(_campaign_and_draft(), {"slug": slug, "key": key})
        found = row.first()
        if found is not None:
            read = OpenCampaign(*found[: len(_CAMPAIGN_COLUMNS)])
            if read.status != CampaignStatus.DRAFT:
                draft = OpenDraft(*found[len(_CAMPAIGN_COLUMNS) :])
                _offer_languages(read)
                _check_open(read)
                return read, (draft if draft.expires_at >= now() else None)
    campaign = open_campaign(slug)
    return campaign, _open_draft(current_draft(campaign))


def _open_draft(draft: Draft | None) -> OpenDraft | None:
    if draft is None:
        return None
    return OpenDraft(*(getattr(draft, name) for name in _DRAFT_COLUMNS))


_CAMPAIGN_COLUMNS = tuple(OpenCampaign.__dataclass_fields__)
_DRAFT_COLUMNS = tuple(OpenDraft.__dataclass_fields__)


@cache
def _campaign_and_draft() -> Select[Any]:
    """Built once: a statement costs more to build than SQLite takes to run it. Read with
    Core, in the columns' order of ``OpenCampaign`` and ``OpenDraft``."""
    campaign, draft = Campaign.__table__.c, Draft.__table__.c
    return (
        select(
            *(campaign[name] for name in _CAMPAIGN_COLUMNS),
            *(draft[name] for name in _DRAFT_COLUMNS),
        )
        .select_from(Campaign.__table__.join(Draft.__table__, draft.campaign_id == campaign.id))
        .where(campaign.slug == bindparam("slug"), draft.key == bindparam("key"))
    )


def _valid_token(token: str) -> bool:
    return 10 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()


def open_invitation(token: str) -> Invitation:
    # "abcd efgh..." typed from a letter is the same code, and so is one stored as a
    # council typed it before 2026-12-05 ("qgy976vhtqgjwyny"); the exact spelling first.
    spellings = [t for t in code_spellings(token) if _valid_token(t)]
    if not spellings:
        raise JourneyError("bad_link")
    found = db.session.scalars(select(Invitation).where(Invitation.token.in_(spellings))).all()
    invitation = min(found, key=lambda i: spellings.index(i.token), default=None)
    if invitation is None:
        raise JourneyError("bad_link")
    # Only the browser that sent it learns that the link was used; to anyone else a used
    # link looks exactly like one that never existed (checked before anything of the
    # campaign, such as its languages, can reach the page).
    if invitation.used_at is not None and sent_reference(invitation.campaign) is None:
        raise JourneyError("bad_link")
    open_campaign(invitation.campaign.slug)
    if invitation.used_at is not None:
        raise JourneyError("already_answered")
    return invitation


DEFAULT_HOURLY_STARTS = 600


def hourly_starts() -> int:
    """HEARD_CAMPAIGN_HOURLY_STARTS: anonymous starts one campaign takes in an hour."""
    return int(current_app.config.get("CAMPAIGN_HOURLY_STARTS") or DEFAULT_HOURLY_STARTS)


def _over_ceiling(campaign: Campaign) -> bool:
    """A campaign's open link takes at most ``hourly_starts`` new starts an hour, from all
    addresses together: a script cannot fill the safeguarding queue or the complaints
    register through many addresses. Personal links are not counted: each works once."""
    since = now() - timedelta(hours=1)
    started = (
        db.session.scalar(
            select(func.count(Draft.id)).where(
                Draft.campaign_id == campaign.id,
                Draft.invitation_id.is_(None),
                Draft.started_at >= since,
            )
        )
        or 0
    )
    ceiling = hourly_starts()
    if started < ceiling:
        return False
    from survey.models import AuditEvent

    told = db.session.scalar(
        select(AuditEvent.id).where(
            AuditEvent.action == "campaign_ceiling_reached",
            AuditEvent.target == campaign.slug,
            AuditEvent.at >= since,
        )
    )
    if told is None:  # the first refusal this hour: tell the admins once
        from survey.auth.services import record

        record(None, "campaign_ceiling_reached", campaign.slug, f"{ceiling} starts in an hour")
    return True


def start_draft(
    campaign: Campaign,
    invitation: Invitation | None,
    language: str,
    questionnaire_id: str | None = None,
) -> Draft:
    if invitation is None and not campaign.anonymous_link:
        raise JourneyError("needs_invitation")
    if invitation is None and _over_ceiling(campaign):
        raise JourneyError("busy")
    draft = Draft(
        key=secrets.token_urlsafe(32),
        campaign_id=campaign.id,
        invitation_id=invitation.id if invitation else None,
        answers={},
        language=language,
        questionnaire_id=questionnaire_id,
        expires_at=now() + timedelta(days=current_app.config["DRAFT_DAYS"]),
    )
    db.session.add(draft)
    db.session.commit()
    _remember(campaign, draft)
    forget_sent()
    return draft


#: The last save-and-return code issued in this browser: {"slug", "code", "at"}.
SESSION_SAVED = "saved_code"


def forget_sent() -> None:
    """A new answer begun in this browser, or one carried on with a code: what was sent or
    saved before, in any survey (a confirmation and its reference, a save-and-return code),
    is no longer shown here, so the next person on a shared phone, a carer's tablet or a
    school PC (a brother answering another age band's survey) cannot reach it."""
    for key in (SESSION_DONE, SESSION_SENT_AT, SESSION_DONE_SHOWN, SESSION_SAVED):
        session.pop(key, None)


def saved_code(slug: str) -> str | None:
    """The code just issued for ``slug`` in this browser, shown again only within
    ``FIRST_VIEW_SECONDS`` of saving (a reload while writing it down), never later."""
    saved = session.get(SESSION_SAVED)
    if not isinstance(saved, dict) or saved.get("slug") != slug:
        return None
    at, code = saved.get("at"), saved.get("code")
    if not (isinstance(at, int) and 0 <= now().timestamp() - at <= FIRST_VIEW_SECONDS):
        session.pop(SESSION_SAVED, None)
        return None
    return code if isinstance(code, str) else None


def remember_saved(slug: str, code: str) -> None:
    session[SESSION_SAVED] = {"slug": slug, "code": code, "at": int(now().timestamp())}


def _remember(campaign: Campaign, draft: Draft) -> None:
    drafts = dict(session.get(SESSION_DRAFTS, {}))
    drafts[campaign.slug] = draft.key
    session[SESSION_DRAFTS] = drafts


def forget_draft(campaign_slug: str) -> None:
    """This browser no longer holds the campaign's draft: after "save and come back later"
    the answers are reached again only with the code, so the next person to pick up a
    shared phone, a carer's tablet or a school PC cannot open them from its history."""
    drafts = dict(session.get(SESSION_DRAFTS, {}))
    drafts.pop(campaign_slug, None)
    session[SESSION_DRAFTS] = drafts


def draft_or_address() -> str:
    """The rate-limit key for saving pages: the draft, so 30 children in one room (one
    school or children's home address) each have their own allowance; the address only
    for a request with no draft yet."""
    from flask_limiter.util import get_remote_address

    slug = (request.view_args or {}).get("slug", "")
    drafts = session.get(SESSION_DRAFTS, {})
    key = drafts.get(slug) if isinstance(drafts, dict) else None
    return f"draft:{key}" if isinstance(key, str) else get_remote_address()


def current_draft(campaign: Campaign) -> Draft | None:
    key = session.get(SESSION_DRAFTS, {}).get(campaign.slug)
    if not isinstance(key, str):
        return None
    draft = db.session.scalar(select(Draft).where(Draft.key == key))
    if draft is None or draft.campaign_id != campaign.id or draft.expires_at < now():
        return None
    return draft


def save_answers(draft: Draft | OpenDraft, answers: dict[str, Any], page_id: str) -> dict[str, Any]:
    """Merge one page's answers into the draft; returns every answer now in it.

    Two tabs, or a retried POST, may save the same draft at once. The merge is made by the
    database, in the one UPDATE that saves the page (``answers`` patched with this page's
    answers, an answer of None removed), so neither save can overwrite the other's answers
    with an older copy, and a page save costs one round trip. Databases without the JSON
    functions used here take the row lock first and merge in Python (``_save_locked``).
    """
    if any(isinstance(value, dict) for value in answers.values()):
        return _save_locked(draft, answers, page_id)  # a JSON merge patch would nest them
    statement = _save_statement(db.session.get_bind().dialect.name)
    if statement is None:
        return _save_locked(draft, answers, page_id)
    stamp = now()
    saved: dict[str, Any] | None = db.session.execute(
        statement,
        {
            "draft_id": draft.id,
            "patch": json.dumps(answers),
            "page_id": page_id,
            "stamp": stamp,
            "expires": stamp + timedelta(days=current_app.config["DRAFT_DAYS"]),
        },
    ).scalar_one()
    db.session.commit()
    return dict(saved or {})


@cache
def _save_statement(dialect: str) -> Any:
    """The page save's UPDATE ... RETURNING for this database (built once), or None where
    the database has no JSON merge: the draft's answers with the page's ``patch`` merged
    in (a key replaced, a null removing it)."""
    table = Draft.metadata.tables[Draft.__tablename__]
    patch = bindparam("patch", type_=String())
    empty = literal("{}", String())
    if dialect == "sqlite":
        merged: ColumnElement[Any] = func.json_patch(func.coalesce(table.c.answers, empty), patch)
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import JSON, JSONB

        stored = cast(table.c.answers, JSONB)
        # Anything but an object (SQL NULL, a JSON null) is no answers yet: `||` would
        # otherwise make an array of it. (json_patch on SQLite treats it so already.)
        current = case((func.jsonb_typeof(stored) == "object", stored), else_=cast(empty, JSONB))
        # Stored answers never hold a null, so stripping them removes only the page's Nones.
        merged = cast(func.jsonb_strip_nulls(current.op("||")(cast(patch, JSONB))), JSON)
    else:
        return None
    return (
        table.update()
        .where(table.c.id == bindparam("draft_id"))
        .values(
            answers=merged,
            current_page=bindparam("page_id", type_=table.c.current_page.type),
            updated_at=bindparam("stamp", type_=table.c.updated_at.type),
            expires_at=bindparam("expires", type_=table.c.expires_at.type),
        )
        .returning(table.c.answers)
    )


def _save_locked(read: Draft | OpenDraft, answers: dict[str, Any], page_id: str) -> dict[str, Any]:
    """The merge in Python: the row is locked first (an UPDATE: a row lock in PostgreSQL,
    the write lock in SQLite) and re-read inside that lock."""
    db.session.execute(update(Draft).where(Draft.id == read.id).values(updated_at=now()))
    draft = db.session.get(Draft, read.id, populate_existing=True)
    if draft is None:  # deleted meanwhile (the draft sweep): nothing to merge into
        raise JourneyError("no_draft")
    merged = dict(draft.answers or {})
    for question_id, value in answers.items():
        if value is None:
            merged.pop(question_id, None)
        else:
            merged[question_id] = value
    draft.answers = merged
    draft.current_page = page_id
    draft.updated_at = now()
    draft.expires_at = now() + timedelta(days=current_app.config["DRAFT_DAYS"])
    db.session.commit()
    return merged


def switch_language(draft: Draft | OpenDraft, language: str) -> None:
    """The person reads on in another language; the answers they have given stay as they are."""
    if language in (g.get("languages") or current_app.config["LANGUAGES"]):
        session["lang"] = language
        db.session.execute(update(Draft).where(Draft.id == draft.id).values(language=language))
        db.session.commit()


def issue_resume_code(draft: Draft | OpenDraft) -> str:
    """A new code each time; the old one stops working. Only the hash is stored."""
    for _ in range(5):
        code = short_code()
        try:
            db.session.execute(
                # the language read in now, however it was chosen, comes back with the code
                update(Draft)
                .where(Draft.id == draft.id)
                .values(resume_code_hash=hash_code(code), language=str(get_locale() or "en"))
            )
            db.session.commit()
            return code
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError("could not issue a unique save-and-return code")


def resume(code: str) -> Campaign:
    """Find the draft saved under ``code`` and make it this browser's draft again."""
    if not 6 <= len(code) <= 20:
        raise JourneyError("bad_code")
    draft = db.session.scalar(select(Draft).where(Draft.resume_code_hash == hash_code(code)))
    if draft is None or draft.expires_at < now():
        raise JourneyError("bad_code")
    campaign = db.session.get(Campaign, draft.campaign_id)
    assert campaign is not None
    if draft.response_id is not None:
        raise JourneyError("already_answered")
    open_campaign(campaign.slug)
    _remember(campaign, draft)
    forget_sent()
    # Read on in the language saved in (the pages still offer only the campaign's own).
    if draft.language in current_app.config["LANGUAGES"]:
        session["lang"] = draft.language
    return campaign


@dataclass(frozen=True)
class Submitted:
    reference: str
    created: bool


def submit(
    draft: Draft | OpenDraft, campaign: Campaign | OpenCampaign, questionnaire: Questionnaire
) -> Submitted:
    """Store the response exactly once.

    Uniqueness on ``response.draft_id`` and ``response.invitation_id`` is the guard: two
    racing submits (a double click, a retried POST, two tabs) both try to insert, the
    database lets one win, and the loser is shown the winner's reference. SQLite may
    instead refuse the loser's write outright (its read snapshot is stale); that is
    retried, and the retry then meets the unique constraint.
    """
    for attempt in range(5):
        try:
            return _submit_once(draft, campaign, questionnaire)
        except OperationalError:
            db.session.rollback()
            if attempt == 4:
                raise
            draft = _draft_now(draft.id)  # another tab may have saved a page meanwhile
    raise AssertionError("unreachable")


def _draft_now(draft_id: int) -> OpenDraft:
    """The draft as it stands in the database now."""
    found = _open_draft(db.session.get(Draft, draft_id, populate_existing=True))
    if found is None:  # deleted meanwhile (the draft sweep)
        raise JourneyError("no_draft")
    return found


def _submit_once(
    draft: Draft | OpenDraft, campaign: Campaign | OpenCampaign, questionnaire: Questionnaire
) -> Submitted:
    if draft.response_id is not None:
        return _existing(draft)
    answers = relevant_answers(questionnaire, draft.answers or {})
    if missing_required(questionnaire, answers):
        raise JourneyError("incomplete")
    response = Response(
        reference=_new_reference(),
        campaign_id=campaign.id,
        invitation_id=draft.invitation_id,
        draft_id=draft.id,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        language=draft.language,
        started_at=draft.started_at,
        submitted_at=now(),
        link_id=draft.link_id,  # the staff link the draft came by, if any
    )
    db.session.add(response)
    try:
        db.session.flush()
        if answers:  # one executemany, not an INSERT ... RETURNING per answer
            db.session.execute(
                insert(Answer),
                [
                    {
                        "response_id": response.id,
                        "question_id": qid,
                        "answer_type": questionnaire.questions_by_id[qid].type,
                        "value": value,
                    }
                    for qid, value in answers.items()
                ],
            )
        if draft.invitation_id is not None:
            db.session.execute(
                update(Invitation)
                .where(Invitation.id == draft.invitation_id)
                .values(used_at=response.submitted_at)
            )
        db.session.execute(
            update(Draft)
            .where(Draft.id == draft.id)
            .values(response_id=response.id, resume_code_hash=None, answers={})
        )
        move_to_response(draft.id, response.id)  # a flag raised before "send" (insights.drafts)
        response_id, reference = response.id, response.reference  # not read again after commit
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return _existing(draft)
    sent = Sent(
        response_id,
        campaign.id,
        questionnaire.id,
        questionnaire.version,
        tuple(
            (qid, value)
            for qid, value in answers.items()
            if questionnaire.questions_by_id[qid].type == FREE_TEXT and isinstance(value, str)
        ),
    )
    # With a job queue, what only the full read sees is flagged now: the thank-you page
    # offers help for it, as it does when the analysis runs in the request (full_read.py).
    analyse_now_if_needed(sent)
    response_saved(response_id, sent)  # insights and safeguarding flags (survey/insights)
    if questionnaire.id == FRONT_DOOR:  # the compliments and complaints front door
        intake_from_response(response)
    return Submitted(reference, created=True)


def _existing(draft: Draft | OpenDraft) -> Submitted:
    earlier = db.session.scalar(select(Response).where(Response.draft_id == draft.id))
    if earlier is not None:
        return Submitted(earlier.reference, created=False)
    raise JourneyError("already_answered")  # the invitation was used by another draft


def _new_reference() -> str:
    return "HRD-" + format_code(short_code())


def remember_done(slug: str, reference: str) -> None:
    """This browser has sent its answers to the campaign ``slug`` (by the slug: after the
    submission's commit the campaign object would be read from the database again)."""
    forget_draft(slug)
    done = dict(session.get(SESSION_DONE, {}))
    done[slug] = reference
    session[SESSION_DONE] = done
    held = session.get(SESSION_SENT_AT)
    sent = dict(held) if isinstance(held, dict) else {}
    before = sent.get(slug)
    if not (isinstance(before, list) and before[:1] == [reference]):
        # the time it was sent: coming back to it later (Back to a question page) does
        # not open the first view's window again
        sent[slug] = [reference, int(now().timestamp())]
    session[SESSION_SENT_AT] = sent


def sent_reference(campaign: Campaign) -> str | None:
    """The reference this browser already has for this campaign, if it has sent its answers.

    A double click, a retried POST or a second tab then lands on the same confirmation
    instead of an error: the first request may have sent the answers and moved the
    browser's draft to "done" before the second one arrives, or the second one may still
    carry the draft that the first has just sent.
    """
    draft = current_draft(campaign)
    if draft is None:
        return done_reference(campaign)
    if draft.response_id is None:
        return None
    response = db.session.get(Response, draft.response_id)
    return response.reference if response is not None else None


def done_reference(campaign: Campaign) -> str | None:
    value = session.get(SESSION_DONE, {}).get(campaign.slug)
    return value if isinstance(value, str) else None


def disclosed(reference: str) -> str:
    """Whether the response sent under ``reference`` raised a possible-current-risk flag, so
    the confirmation says what happens next and who to call now: "wrote" when words were
    flagged, "told" when only an answer the questionnaire marks was ("No" to feeling safe:
    the child wrote nothing), "" when neither."""
    from survey.insights.services import CHOICE_CATEGORY
    from survey.models import SafeguardingFlag

    categories = set(
        db.session.scalars(
            select(SafeguardingFlag.category)
            .join(Response, Response.id == SafeguardingFlag.response_id)
            .where(Response.reference == reference, SafeguardingFlag.level == "current")
        )
    )
    if not categories:
        return ""
    return "told" if categories == {CHOICE_CATEGORY} else "wrote"


SESSION_DONE_SHOWN = "done_shown"
SESSION_SENT_AT = "sent_at"
#: The confirmation shows what the answers led to only this soon after sending: a carer who
#: opens the tablet's history the next day, before the child ever saw it, learns nothing.
FIRST_VIEW_SECONDS = 15 * 60


def _sent_just_now(slug: str, reference: str) -> bool:
    held = session.get(SESSION_SENT_AT)
    sent = held.get(slug) if isinstance(held, dict) else None
    if not (isinstance(sent, list) and len(sent) == 2 and sent[0] == reference):
        return False
    at = sent[1]
    return isinstance(at, int) and 0 <= now().timestamp() - at <= FIRST_VIEW_SECONDS


def first_view(slug: str, reference: str, again: str | None = None) -> str | None:
    """Whether this view of the confirmation may show what the answers led to (the
    safeguarding box): only the first after sending. A later one (Back, a reload, the
    history, a new tab: the same browser's cookie) is the neutral page everyone gets, so
    the next person on a shared phone, a carer's tablet or a school PC cannot learn that
    this child told us they were not safe.

    Only within ``FIRST_VIEW_SECONDS`` of this browser sending them (the time is kept in its
    session cookie when they are sent): a first view later than that is a plain one too.

    Returns a one-time key when it may, else None. The key goes in the page's language
    switch, so reading the same first view in another language keeps the box once more
    (``again``); the key is then spent, and a new one given.
    """
    held = session.get(SESSION_DONE_SHOWN)
    shown = dict(held) if isinstance(held, dict) else {}
    if not _sent_just_now(slug, reference):  # a view long after sending, or not by sending
        shown[slug] = [reference]
        session[SESSION_DONE_SHOWN] = shown
        return None
    seen = shown.get(slug)
    if isinstance(seen, list) and seen[:1] == [reference]:
        key = seen[1] if len(seen) == 2 and isinstance(seen[1], str) else ""
        if not (key and again and secrets.compare_digest(key.encode(), again.encode())):
            return None
    fresh = secrets.token_urlsafe(12)
    shown[slug] = [reference, fresh]
    session[SESSION_DONE_SHOWN] = shown
    return fresh


@dataclass(frozen=True)
class Disclosure:
    """What the confirmation says after a possible current risk was raised."""

    kind: str  # "told" (only a marked answer, such as "No" to feeling safe) or "wrote"
    read_on: date | None  # None: the same working day; else the next working day
    anonymous: bool  # we do not know who they are: we cannot come to find them


def disclosure(reference: str) -> Disclosure | None:
    """The safeguarding box's facts for the answers sent under ``reference``, or None when
    they raised no possible current risk."""
    kind = disclosed(reference)
    if not kind:
        return None
    response = db.session.scalar(select(Response).where(Response.reference == reference))
    if response is None:
        return None
    return Disclosure(
        kind=kind,
        read_on=safeguarding_read_on(response.submitted_at, current_app.config),
        anonymous=not_traceable(response),
    )


def check_in_reply_by(reference: str) -> date | None:
    """The day by which a check-in asked for with the answers sent under ``reference`` is
    promised (a box kept apart, such as the care leavers' check-in, left filled in): the
    check-in page's "within 5 working days" from the UK day it was sent. The check-in list
    (survey/staff/checkins.py) counts from that day, or from its week's Monday when it
    shows only the week: never later than this. None when none was asked for."""
    from survey.complaints.procedure import add_working_days
    from survey.dates import LONDON
    from survey.insights.flags import check_in_left
    from survey.staff.checkins import REPLY_WORKING_DAYS

    response = db.session.scalar(select(Response).where(Response.reference == reference))
    if response is None:
        return None
    questionnaire = library().get(response.questionnaire_id, response.questionnaire_version)
    if not check_in_left(questionnaire, response, None):
        return None
    return add_working_days(response.submitted_at.astimezone(LONDON).date(), REPLY_WORKING_DAYS)


def safeguarding_read_on(sent_at: datetime, config: Mapping[str, Any]) -> date | None:
    """When a safeguarding worker reads answers sent at ``sent_at``, by UK time: None for
    the same working day (a working day, before the office closes), else the next working
    day (sent at a weekend, on an English bank holiday, or after the office has closed).
    The working days and office hours are the alerts' and complaints' own."""
    from survey.alerts.routing import office_hours
    from survey.complaints.procedure import is_working_day, next_working_day
    from survey.dates import LONDON

    local = sent_at.astimezone(LONDON)
    _opens, closes = office_hours(config)
    if is_working_day(local.date()) and local.time() < closes:
        return None
    return next_working_day(local.date() + timedelta(days=1))


def not_traceable(response: Response) -> bool:
    """Whether we cannot tell who sent ``response``: it came by an open or group link (no
    personal link, which a council can trace to the person it gave it to, nor a conference
    link, which the lead sees on a possible current risk's flag) and holds no name or
    contact box answered (a free-text question marked ``sensitive: false``, such
    as the care leavers' check-in)."""
    if response.invitation_id is not None:
        return False
    if response.link_id is not None:  # a conference link: its chair knows the family
        from survey.insights.flags import conference_of

        if conference_of(response.link_id) is not None:
            return False
    questionnaire = library().get(response.questionnaire_id, response.questionnaire_version)
    if questionnaire is None:
        return False  # unknown: never say we cannot find them when we might
    contact = {q.id for q in questionnaire.questions_by_id.values() if q.contact_box}
    if not contact:
        return True
    given: Sequence[Any] = db.session.scalars(
        select(Answer.value).where(
            Answer.response_id == response.id, Answer.question_id.in_(contact)
        )
    ).all()
    return not any(isinstance(value, str) and value.strip() for value in given)
