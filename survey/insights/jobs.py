"""Background jobs (see survey/jobs.py): plain ids in, so they run inline or in RQ."""

from __future__ import annotations

from .services import store_insights


def analyse_response(response_id: int) -> int:
    return store_insights([response_id])
