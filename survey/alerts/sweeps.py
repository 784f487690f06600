"""Whether ``heard alerts`` is running, and what waits for it when it is not.

New-flag alerts are sent at once by the process that raised the flag, but an alert that
process missed (a crash, a flag raised outside a request such as the demo's), every
escalation and every retry wait for the sweep, which a clock must run each minute (cron, a
systemd timer or ``heard alerts --every 60``). Nothing else notices when that clock is not
running, so each sweep records when it finished (``SweepRun``), and staff who read flags are
warned when it is more than ``STALE_AFTER`` ago and something waits for it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from survey.extensions import db
from survey.models import Alert, Role, RoleGrant, SafeguardingFlag, SweepRun, User, utcnow
from survey.outbox import UNSENT

log = logging.getLogger(__name__)

#: The sweep's name in ``sweep_run``.
ALERTS = "alerts"
#: Run each minute: five minutes without a run means the clock has stopped.
STALE_AFTER = timedelta(minutes=5)


def mark_ran(name: str = ALERTS, at: datetime | None = None) -> None:
    """Record that ``name`` has just run, in a short transaction of its own. Never raises:
    the sweep's work is done and committed, and a missed record only warns too early."""
    at = at or utcnow()
    try:  # each step of the sweep has committed: this transaction holds the record alone
        updated = db.session.execute(
            update(SweepRun).where(SweepRun.name == name).values(last_run_at=at)
        )
        if not updated.rowcount:  # type: ignore[attr-defined]
            try:
                with db.session.begin_nested():
                    db.session.add(SweepRun(name=name, last_run_at=at))
            except IntegrityError:  # another process's first run at the same moment
                pass
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("the %s sweep ran but its time was not recorded", name)


def last_ran(name: str = ALERTS) -> datetime | None:
    return db.session.scalar(select(SweepRun.last_run_at).where(SweepRun.name == name))


@dataclass(frozen=True)
class Sweep:
    last_run_at: datetime | None  # None: it has never run
    stale: bool


def state(now: datetime | None = None) -> Sweep:
    last = last_ran()
    return Sweep(last, last is None or last < (now or utcnow()) - STALE_AFTER)


def waiting(now: datetime | None = None) -> bool:
    """Something only the sweep sends: an alert not sent yet (a retry, or one a process
    planned and never sent), an open possible current risk (an alert missed, and its
    escalation if nobody acknowledges it) or an open flag past the escalation time."""
    from survey.insights.flags import escalate_after

    cutoff = (now or utcnow()) - escalate_after()
    open_flag = SafeguardingFlag.acknowledged_at.is_(None)
    return bool(
        db.session.scalar(
            select(
                exists().where(Alert.state.in_(UNSENT))
                | exists().where(
                    open_flag,
                    (SafeguardingFlag.level == "current") | (SafeguardingFlag.raised_at < cutoff),
                )
            )
        )
    )


def warning(now: datetime | None = None) -> Sweep | None:
    """The sweep's state when staff must be told it is not running: alerts are set up,
    the sweep has never run or is stale, and something waits for it. Otherwise None."""
    from .services import configured

    if not configured():
        return None  # "Alerts are not set up" is said instead
    found = state(now)
    return found if found.stale and waiting(now) else None


Why = Literal["no-lead", "sweep-stopped", "next-sweep"]


def why_no_alert(flag: SafeguardingFlag, now: datetime | None = None) -> Why | None:
    """Why a flag with no alert has none yet, when one is due; None when none is (a past
    harm or distress flag, not overdue, or one acknowledged before any was needed)."""
    from survey.insights.flags import is_escalated

    now = now or utcnow()
    if flag.acknowledged_at is not None:
        return None
    if is_escalated(flag, now):  # an escalation to every admin
        return "sweep-stopped" if state(now).stale else "next-sweep"
    if flag.level != "current":
        return None
    if not _any_lead():
        return "no-lead"
    return "sweep-stopped" if state(now).stale else "next-sweep"


def _any_lead() -> bool:
    return bool(
        db.session.scalar(
            select(
                exists()
                .where(RoleGrant.user_id == User.id)
                .where(RoleGrant.role == Role.SAFEGUARDING, User.active.is_(True))
            )
        )
    )
