"""Background jobs (see survey/jobs.py): plain ids in, so they run inline or in RQ."""

from __future__ import annotations

from .services import flag_choice_answers, store_insights


def analyse_response(response_id: int) -> int:
    """Store the response's insights, then alert on any flag they raised (or made urgent)."""
    from survey.alerts.services import after_response

    flag_choice_answers(response_id)  # idempotent: with a queue the request raised them too
    stored = store_insights([response_id])
    after_response(response_id)
    return stored


def sweep() -> int:
    """The analysis of responses whose job was lost (``services.sweep``): queued by every
    ``heard worker`` each minute, so nothing sent waits for a person to run ``catch-up``."""
    from .services import sweep as sweep_now

    return sweep_now()
