"""The demo's safeguarding flags, raised as the runner raises them.

The demo writes answers and drafts straight to the database, so the runner's hooks never
see them: the loop demo stores the insights (and so the flags) of sent answers later, and
nothing screened the drafts until ``heard alerts`` read them in full. Here each draft's
pages are screened as a page save screens them, at the time each page was saved, and each
sent answer's flag is raised when the answer was sent; both have their alerts planned as
the runner plans them (sent at once when alerts are set up, or by ``heard alerts``).
"""

from __future__ import annotations

from sqlalchemy import select

from survey.alerts.services import after_response
from survey.extensions import db
from survey.insights.drafts import screen_page
from survey.insights.services import flag_choice_answers
from survey.library import library
from survey.models import Campaign, Draft, Response, SafeguardingFlag, utcnow
from survey.questionnaire.routing import visible_pages


def newest_flag() -> int:
    """The id of the newest flag (0 for none): those raised after it are the demo's."""
    return db.session.scalar(select(SafeguardingFlag.id).order_by(SafeguardingFlag.id.desc())) or 0


def raised_when_sent(after_id: int) -> int:
    """Flags raised on sent answers since ``after_id`` are raised at the moment their answer
    was sent, as the analysis after a send raises them, and their alerts are planned (one
    acknowledged meanwhile has none). Returns how many flags."""
    rows = db.session.execute(
        select(SafeguardingFlag, Response.submitted_at)
        .join(Response, Response.id == SafeguardingFlag.response_id)
        .where(SafeguardingFlag.id > after_id)
    ).all()
    for flag, sent in rows:
        flag.raised_at = sent
    db.session.commit()
    for response_id in sorted({flag.response_id for flag, _ in rows if flag.response_id}):
        after_response(response_id)
    return len(rows)


def flag_marked_choices() -> int:
    """The flags the send raises for answers the questionnaire marks ("No" to "Do you feel
    safe where you live?"), for every sent answer: the demo wrote them straight to the
    database, so the send never saw them. Call between ``newest_flag`` and
    ``raised_when_sent``, which dates them. Returns how many flags were raised."""
    pairs = db.session.execute(
        select(Response.questionnaire_id, Response.questionnaire_version).distinct()
    ).all()
    marked = set()
    for questionnaire_id, version in pairs:
        questionnaire = library().get(questionnaire_id, version)
        if questionnaire and any(q.flag for q in questionnaire.questions_by_id.values()):
            marked.add((questionnaire_id, version))
    raised = 0
    for response_id, questionnaire_id, version in db.session.execute(
        select(Response.id, Response.questionnaire_id, Response.questionnaire_version).order_by(
            Response.id
        )
    ).all():
        if (questionnaire_id, version) in marked:
            raised += flag_choice_answers(response_id)
    return raised


def screen_drafts(draft_ids: list[int]) -> int:
    """Each draft's pages through the page save's screen (``screen_page``), in order, each
    at the time it was saved (spread between the draft's start and its last save): a
    disclosure typed and never sent is on the queue, "not sent yet", with its alerts.
    Returns how many page saves found a possible current risk."""
    found = 0
    for draft_id in draft_ids:
        draft = db.session.get(Draft, draft_id)
        campaign = db.session.get(Campaign, draft.campaign_id) if draft else None
        if draft is None or campaign is None:
            continue
        questionnaire = library().get(campaign.questionnaire_id, campaign.questionnaire_version)
        if questionnaire is None:
            continue
        answers = dict(draft.answers or {})
        started, updated = draft.started_at, draft.updated_at
        pages = [
            page
            for page in visible_pages(questionnaire, answers)
            if any(q.id in answers for q in page.questions)
        ]
        saved: dict[str, object] = {}
        for number, page in enumerate(pages, start=1):
            given = {q.id: answers[q.id] for q in page.questions if q.id in answers}
            at = min(started + (updated - started) * number / len(pages), utcnow())
            found += screen_page(draft, questionnaire, given, dict(saved), at=at)
            saved.update(given)
    return found
