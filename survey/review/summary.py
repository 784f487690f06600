"""Themed summary for a selection of responses: read stored insights, never re-analyse.

Every figure shown passes through small-number suppression (analysis.suppress), primary
and secondary, with the totals it adds up to. Quotes are redacted text only, never from a
flagged answer; flagged answers are counted (suppressed too) and sent to the safeguarding
lead's queue, so none is lost in an aggregate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import Select, Text, cast, select

from analysis.aggregate import summarise_themes
from analysis.perturb import cell_key, perturb
from analysis.suppress import suppress
from analysis.types import Cell, Insight, SafeguardingFlag, ThemeSummary
from survey.auth.policy import survey_campaigns_clause
from survey.dates import LONDON, months_before, next_month
from survey.extensions import db
from survey.library import library
from survey.models import Answer, AnswerInsight, Campaign, CampaignLink, Response
from survey.models.insights import reviewed_or_computed_sentiment

from .cell_keys import perturbing, record_keys
from .questions import CHOICE_TYPES, QuestionResult, tabulate
from .wording import date_range

_FLAGGED = SafeguardingFlag(category="flagged", reason="", matched=())


@dataclass(frozen=True)
class Filters:
    campaigns: tuple[str, ...] = ()
    questionnaire: str = ""
    audience: str = ""
    team: str = ""
    conference_type: str = ""
    start: date | None = None
    end: date | None = None

    def is_empty(self) -> bool:
        return not (
            self.campaigns or self.questionnaire or self.audience or self.team or self.start
        )


@dataclass(frozen=True)
class ThemeRow:
    theme: str
    name: str
    current: ThemeSummary
    previous: ThemeSummary | None
    change: float | None  # percentage points of comments, when both shares are shown


@dataclass
class Summary:
    threshold: int
    responses: Cell
    comments: Cell
    flagged: Cell
    themes: list[ThemeRow] = field(default_factory=list)
    questions: list[QuestionResult] = field(default_factory=list)
    previous_label: str = ""
    left_out: list[str] = field(default_factory=list)  # months trimmed by ``trimmed``
    return_rate: float | None = None  # of the people invited, where every cohort is known
    selection: Filters = field(default_factory=Filters)  # the filters after ``trimmed``
    perturbed: bool = False  # counts moved by up to 2 (analysis.perturb)


def threshold() -> int:
    return int(current_app.config.get("SUPPRESSION_THRESHOLD") or 5)


def _since(day: date) -> datetime:
    """Midnight at the start of ``day`` in UK time: a period is the council's days, so an
    answer sent at 00:30 on 1 April (BST, 23:30 UTC on 31 March) belongs to April."""
    return datetime.combine(day, time.min, tzinfo=LONDON)


def selected_responses(filters: Filters) -> Select[tuple[int]]:
    """The ids of the responses a selection holds (never a front-door complaint's)."""
    query = select(Response.id).join(Campaign, Campaign.id == Response.campaign_id)
    # Complaints are for the complaints team: the front door never feeds a summary.
    query = query.where(survey_campaigns_clause())
    if filters.campaigns:
        query = query.where(Campaign.slug.in_(filters.campaigns))
    if filters.questionnaire:
        query = query.where(Campaign.questionnaire_id == filters.questionnaire)
    if filters.audience:
        query = query.where(Campaign.audience == filters.audience)
    if filters.team:
        query = query.where(Campaign.team == filters.team)
    if filters.conference_type:
        query = query.join(CampaignLink, CampaignLink.id == Response.link_id).where(
            CampaignLink.conference_type == filters.conference_type
        )
    if filters.start:
        query = query.where(Response.submitted_at >= _since(filters.start))
    if filters.end:
        query = query.where(Response.submitted_at < _since(filters.end + timedelta(days=1)))
    return query


def previous(filters: Filters) -> tuple[Filters, str] | None:
    """The campaign before this one (same questionnaire), or the period just before."""
    if len(filters.campaigns) == 1:
        current = db.session.scalar(select(Campaign).where(Campaign.slug == filters.campaigns[0]))
        if current is None:
            return None
        before = db.session.scalar(
            select(Campaign)
            .where(
                Campaign.questionnaire_id == current.questionnaire_id,
                Campaign.opens_at < current.opens_at,
            )
            .order_by(Campaign.opens_at.desc())
            .limit(1)
        )
        return (Filters(campaigns=(before.slug,)), before.title) if before else None
    if filters.start and filters.end:
        length = filters.end - filters.start + timedelta(days=1)
        if filters.start.day == 1 and next_month(filters.end) == filters.end + timedelta(days=1):
            # Whole months (as the summary's filters are): the same number of months before.
            months = (filters.end.year - filters.start.year) * 12
            months += filters.end.month - filters.start.month + 1
            length = filters.start - months_before(filters.start, months)
        earlier = Filters(
            campaigns=filters.campaigns,
            questionnaire=filters.questionnaire,
            audience=filters.audience,
            team=filters.team,
            conference_type=filters.conference_type,
            start=filters.start - length,
            end=filters.start - timedelta(days=1),
        )
        return earlier, date_range(earlier.start, earlier.end)
    return None


def _count_between(filters: Filters, start: date, end: date) -> int:
    query = selected_responses(filters).where(
        Response.submitted_at >= _since(start), Response.submitted_at < _since(end)
    )
    return db.session.scalar(select(db.func.count()).select_from(query.subquery())) or 0


def trimmed(filters: Filters, limit: int) -> tuple[Filters, list[str]]:
    """The selection without a first or last month holding fewer than ``limit`` answers.

    Two date ranges that differ by a day must not give away that day's one answer by
    subtraction. Figures are counted in whole months at the ends: whenever the first or
    the last month with answers in a selection has fewer than ``limit``, that month is left
    out (and the page says so). Any two selections shown then differ by months that each
    hold at least ``limit`` answers at their edge, so no difference a user can form names
    fewer than ``limit`` people. A selection within one month is left whole: its own
    figures are already suppressed when it is small.
    """
    notes: list[str] = []
    for _ in range(48):
        bounds = db.session.execute(
            select(db.func.min(Response.submitted_at), db.func.max(Response.submitted_at)).where(
                Response.id.in_(selected_responses(filters))
            )
        ).one()
        if bounds[0] is None:
            break
        first, last = (b.astimezone(LONDON).date().replace(day=1) for b in bounds)
        if first == last:
            break
        if 0 < _count_between(filters, last, next_month(last)) < limit:
            filters = replace(filters, end=last - timedelta(days=1))
            notes.append(last.strftime("%B %Y"))
            continue
        if 0 < _count_between(filters, first, next_month(first)) < limit:
            filters = replace(filters, start=next_month(first))
            notes.append(first.strftime("%B %Y"))
            continue
        break
    return filters, notes


def stored_insights(filters: Filters) -> list[Insight]:
    """The selection's insights as the engine's type, with reviewers' corrections applied."""
    return _stored(filters)[0]


def _stored(filters: Filters) -> tuple[list[Insight], list[int]]:
    """The selection's insights (``stored_insights``) and, in the same order, their ids.

    Columns, not ORM objects, through the Core connection: building an ``AnswerInsight``
    per row was half the time of a summary of 50,000 answers. Theme lists come as JSON
    text and each distinct text is parsed once: most answers share a handful of theme
    combinations (benchmarks/summary_scale.py).
    """
    query = (
        select(
            AnswerInsight.id,
            AnswerInsight.polarity,
            AnswerInsight.sentiment,
            AnswerInsight.reviewed_sentiment,
            cast(AnswerInsight.themes, Text).label("themes"),
            cast(AnswerInsight.reviewed_themes, Text).label("reviewed_themes"),
            AnswerInsight.flagged,
            AnswerInsight.redacted,
            AnswerInsight.needs_reader,
        )
        .where(AnswerInsight.response_id.in_(selected_responses(filters)))
        .order_by(AnswerInsight.id)
    )
    parsed: dict[str | None, tuple[str, ...] | None] = {None: None, "null": None}

    def themes(raw: str | None) -> tuple[str, ...] | None:
        if raw not in parsed:
            parsed[raw] = tuple(json.loads(raw))  # type: ignore[arg-type]
        return parsed[raw]

    rows = db.session.connection().execute(query).all()
    insights = [
        Insight(
            polarity=row.polarity,
            sentiment=reviewed_or_computed_sentiment(row.reviewed_sentiment, row.sentiment),  # type: ignore[arg-type]
            # A reviewer's themes win when given (reviewed_or_computed_themes, on tuples).
            themes=given
            if (given := themes(row.reviewed_themes)) is not None
            else themes(row.themes) or (),
            safeguarding=_FLAGGED if row.flagged else None,
            redacted=row.redacted,
            needs_reader=row.needs_reader,  # no quote from it (analysis.quotes); not flagged
        )
        for row in rows
    ]
    return insights, [row[0] for row in rows]


def _single(count: int, limit: int, keys: list[int] | None) -> Cell:
    """One count, perturbed by its records' keys (when counts are perturbed), suppressed."""
    if keys is not None:
        count = perturb(count, cell_key(keys), limit)
    return suppress({("n",): count}, [], limit)[("n",)]


def _keys(kind: str, ids: list[int]) -> list[int] | None:
    return record_keys(kind, ids) if perturbing() else None


def _theme_rows(
    now: list[Insight],
    before: list[Insight] | None,
    limit: int,
    names: dict[str, str],
    keys: tuple[list[int] | None, list[int] | None] = (None, None),
) -> list[ThemeRow]:
    theme_ids = sorted({t for x in [*now, *(before or [])] for t in x.themes})
    if not theme_ids:
        return []
    # Each period is summarised and suppressed on its own: an empty or small earlier period
    # never hides this one's figures, and no total across the two is shown to difference.
    current = {
        s.theme: s for s in summarise_themes(now, None, limit, themes=theme_ids, keys=keys[0])
    }
    earlier = (
        {s.theme: s for s in summarise_themes(before, None, limit, themes=theme_ids, keys=keys[1])}
        if before
        else {}
    )
    rows = []
    for theme in theme_ids:
        this, then = current.get(theme), earlier.get(theme)
        if this is None:  # no comment at all in this period: nothing to show or compare
            continue
        change = None
        if then and this.share is not None and then.share is not None:
            change = round((this.share - then.share) * 100, 1)
        rows.append(ThemeRow(theme, names.get(theme, theme), this, then, change))
    return sorted(rows, key=lambda r: (-(r.current.count.count or 0), r.name))


def _questions(filters: Filters, limit: int) -> list[QuestionResult]:
    rows = db.session.execute(
        select(
            Response.questionnaire_id,
            Response.questionnaire_version,
            Answer.question_id,
            Answer.value,
            Response.id,
        )
        .join(Answer, Answer.response_id == Response.id)
        .where(Response.id.in_(selected_responses(filters)), Answer.answer_type.in_(CHOICE_TYPES))
    ).all()
    apart = {qid: library().kept_apart_ids(qid) for qid in {r[0] for r in rows}}
    rows = [r for r in rows if r[2] not in apart[r[0]]]  # a check-in is on no report
    keys = _keys("response", [r[4] for r in rows])
    return tabulate([tuple(r[:4]) for r in rows], limit, keys)


def _return_rate(filters: Filters, responses: Cell, limit: int) -> float | None:
    """Responses (as shown) over the invited cohorts of the campaigns answered, when each
    campaign has a cohort size (and the count itself is shown: never a rate of a hidden
    count)."""
    if responses.count is None or responses.count < limit:
        return None
    answered = select(Response.campaign_id).where(Response.id.in_(selected_responses(filters)))
    sizes = list(db.session.scalars(select(Campaign.cohort_size).where(Campaign.id.in_(answered))))
    if not sizes or any(not size for size in sizes):
        return None
    return min(1.0, responses.count / sum(sizes))  # type: ignore[arg-type]


def summarise(filters: Filters, names: dict[str, str]) -> Summary:
    """The themed summary of a selection. Every count is perturbed (when counts are, the
    default: ``analysis.perturb``) and then suppressed."""
    limit = threshold()
    filters, left_out = trimmed(filters, limit)
    now, now_ids = _stored(filters)
    now_keys = _keys("answer", now_ids)
    response_ids: list[int] = [int(i) for i in db.session.scalars(selected_responses(filters))]  # type: ignore[call-overload]
    responses = len(response_ids)
    earlier = previous(filters)
    before, before_ids = _stored(trimmed(earlier[0], limit)[0]) if earlier else ([], [])
    flagged_at = [i for i, x in enumerate(now) if x.safeguarding is not None]
    flagged_keys = None if now_keys is None else [now_keys[i] for i in flagged_at]
    small = responses < limit
    shown_responses = _single(responses, limit, _keys("response", response_ids))
    return Summary(
        threshold=limit,
        responses=shown_responses,
        comments=Cell(None, True, f"fewer than {limit}")
        if small and now
        else _single(len(now), limit, now_keys),
        flagged=Cell(None, True, f"fewer than {limit}")
        if small and flagged_at
        else _single(len(flagged_at), limit, flagged_keys),
        themes=_theme_rows(
            now,
            before if before else None,
            limit,
            names,
            (now_keys, _keys("answer", before_ids) if before else None),
        ),
        questions=_questions(filters, limit),
        previous_label=earlier[1] if earlier and before else "",
        left_out=left_out,
        return_rate=_return_rate(filters, shown_responses, limit),
        selection=filters,
        perturbed=perturbing(),
    )
