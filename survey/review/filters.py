"""The summary's filters, read from the address and written back into links."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request

from survey.dates import in_range, whole_month

from .summary import Filters


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
