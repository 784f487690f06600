"""What every outbox shares (safeguarding alerts, campaign invitations): claiming a row
so two workers never send it together, the back-off after a failure, and starting the
sending without making the person who caused it wait.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import update

from survey.extensions import db

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
#: Minutes before each retry: quickly at first, then hourly (about 6 hours in all).
BACKOFF_MINUTES = (1, 2, 5, 10, 20, 30, 60, 60, 60, 60)
#: How long a claimed row is held by the worker sending it before another may look at it.
CLAIM = timedelta(minutes=2)
UNSENT = ("pending", "retrying")
FAILED = ("retrying", "gave_up")


def claim(model: Any, row_id: int, now: datetime, **values: Any) -> bool:
    """Take one due, unsent row for this worker (a guarded update: only one worker wins).

    Counts the try and holds the row for ``CLAIM``; ``values`` are set with it (an
    invitation is marked "sending" before it goes, so a worker killed mid-send is seen).
    """
    result = db.session.execute(
        update(model)
        .where(model.id == row_id, model.state.in_(UNSENT), model.next_attempt_at <= now)
        .values(next_attempt_at=now + CLAIM, attempts=model.attempts + 1, **values)
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def claimed(model: Any, row_ids: Iterable[int], now: datetime, **values: Any) -> Iterator[Any]:
    """Each row of ``row_ids`` this worker wins the claim for, loaded (see ``claim``)."""
    for row_id in row_ids:
        if not claim(model, row_id, now, **values):
            continue  # another worker has it, or it was sent meanwhile
        row = db.session.get(model, row_id)
        if row is not None:
            yield row


def failed(row: Any, error: BaseException, now: datetime) -> str:
    """Keep the failure on the row and set its next try (or give up); returns the text."""
    text = str(error)[:2000] or type(error).__name__
    row.last_error = text
    if row.attempts >= MAX_ATTEMPTS:
        row.state = "gave_up"
    else:
        row.state = "retrying"
        wait = BACKOFF_MINUTES[min(max(row.attempts, 1), len(BACKOFF_MINUTES)) - 1]
        row.next_attempt_at = now + timedelta(minutes=wait)
    return text


def start(job: str, *args: Any, urgent: bool = False) -> None:
    """Run ``job`` (``"package.module:function"``) as a job on the queue (``urgent``: on the
    queue workers empty first), or else in a thread of this process, so a request never
    waits on a mail server."""
    from survey.jobs import enqueue, queue_url, resolve

    if queue_url() is not None:
        enqueue(job, *args, urgent=urgent)
        return
    resolve(job)  # a typo fails here, in the request
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    threading.Thread(target=_run_in, args=(app, job, args), name="heard-send", daemon=True).start()


def _run_in(app: Flask, job: str, args: tuple[Any, ...]) -> None:
    from survey.jobs import resolve

    with app.app_context():
        try:
            resolve(job)(*args)
        except Exception:  # noqa: BLE001 - logged; the sweep retries what is left
            db.session.rollback()
            log.exception("%s failed; the sweep will retry", job)
        finally:
            db.session.remove()
