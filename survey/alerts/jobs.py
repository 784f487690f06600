"""Alert jobs (see survey/jobs.py): run by the worker after a flag, and by ``heard alerts``."""

from __future__ import annotations

from . import services


def deliver() -> tuple[int, int]:
    return services.deliver_due()


def sweep() -> dict[str, int]:
    return services.run()
