"""The QA group's themed summary: filters in the address, figures from stored insights."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from survey.auth.decorators import permission_required
from survey.auth.policy import Permission, survey_campaigns
from survey.dates import in_range, whole_month
from survey.insights.model import taxonomy_with_custom
from survey.models import ConferenceType

from .chart import bar_chart
from .summary import Filters, summarise

bp = Blueprint("review", __name__, url_prefix="/staff/review")


def _day(name: str) -> date | None:
    try:
        return in_range(date.fromisoformat(request.args.get(name, "")[:10]))
    except ValueError:
        return None


def filter_args(filters: Filters) -> dict[str, Any]:
    """The filters as query arguments for links (exports, reports), and nothing else."""
    found: dict[str, Any] = {
        "campaign": list(filters.campaigns),
        "questionnaire": filters.questionnaire,
        "audience": filters.audience,
        "team": filters.team,
        "conference_type": filters.conference_type,
        "start": filters.start.isoformat() if filters.start else "",
        "end": filters.end.isoformat() if filters.end else "",
    }
    return {k: v for k, v in found.items() if v}


def filters_from_request() -> Filters:
    return Filters(
        campaigns=tuple(s for s in request.args.getlist("campaign") if s)[:20],
        questionnaire=request.args.get("questionnaire", "")[:60],
        audience=request.args.get("audience", "")[:120],
        team=request.args.get("team", "")[:120],
        conference_type=request.args.get("conference_type", "")[:10],
        start=whole_month(_day("start"), end=False),
        end=whole_month(_day("end"), end=True),
    )


@bp.route("/")
@permission_required(Permission.REVIEW_THEMES)
def summary() -> ResponseReturnValue:
    filters = filters_from_request()
    campaigns = survey_campaigns()
    result = summarise(filters, taxonomy_with_custom())
    chart = bar_chart(
        [(row.name, row.current.count) for row in result.themes],
        _("Comments per theme"),
        _("Number of comments about each theme; the table below gives the same figures."),
        "themes-chart",
    )
    return render_template(
        "pages/review/summary.html",
        filters=filters,
        campaigns=campaigns,
        questionnaires=sorted({c.questionnaire_id for c in campaigns}),
        audiences=sorted({c.audience for c in campaigns if c.audience}),
        teams=sorted({c.team for c in campaigns if c.team}),
        conference_types=[t.value for t in ConferenceType],
        summary=result,
        filter_args=filter_args(filters),
        chart=chart,
        actions_url=_actions_url(filters),
        question_chart=lambda q, i: bar_chart(
            q.options,
            q.text,
            _("Answers to this question; the table gives the same figures."),
            f"q{i}",
        ),
    )


def _actions_url(filters: Filters) -> Callable[[str], str] | None:
    """Actions are made for one campaign's theme, so the link shows for one campaign only."""
    if len(filters.campaigns) != 1:
        return None
    slug = filters.campaigns[0]
    return lambda theme: url_for("loop.new_action", campaign=slug, theme=theme)


# Their routes join this blueprint.
from . import views_reports, views_review  # noqa: E402, F401
