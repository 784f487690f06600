"""Background work: RQ on Redis when configured, in the request otherwise.

Callers name the job by its import path (``"survey.insights.jobs:analyse_response"``) and pass
plain arguments (ids, not ORM objects), so the same call works inline and in a worker
process that shares nothing with the web process but the database. Without
``JOBS_REDIS_URL`` (a laptop, the tests, a council without Redis) the job runs at once,
in the caller's application context: slower for the person waiting, but nothing is lost.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from flask import Flask, current_app, has_app_context

log = logging.getLogger(__name__)

_worker_app: Flask | None = None

#: Jobs that every worker queues on a clock, by name (at most one of each waits on a queue
#: at a time): the analysis of responses whose job was lost (a web worker killed between
#: its commit and the queue, or Redis down), which may also raise a safeguarding flag.
PERIODIC = {
    "insights-sweep": "survey.insights.jobs:sweep",
    # Drafts left idle, read in full as a sent response is (the request screens less).
    "drafts-read": "survey.insights.drafts:read_idle_drafts",
    # Staff forms kept after a session ended hold children's details: an hour at most.
    "kept-forms": "survey.auth.stash:forget_stale",
}
PERIODIC_SECONDS = 60
#: The queue a worker empties first: sending safeguarding alerts, which must not wait
#: behind a burst's analysis jobs (``enqueue(..., urgent=True)``).
URGENT_SUFFIX = "-urgent"


def resolve(func_path: str) -> Callable[..., Any]:
    """``"package.module:function"`` (or ``"package.module.function"``) to the function."""
    module_name, sep, name = func_path.partition(":")
    if not sep:
        module_name, _, name = func_path.rpartition(".")
    if not module_name or not name:
        raise ValueError(f"a job is named 'module:function', not {func_path!r}")
    func = getattr(importlib.import_module(module_name), name)
    if not callable(func):
        raise TypeError(f"{func_path} is not callable")
    return func  # type: ignore[no-any-return]


def queue_url(app: Flask | None = None) -> str | None:
    app = app or current_app
    return app.config.get("JOBS_REDIS_URL") or None


def queue(app: Flask | None = None, urgent: bool = False) -> Any:
    """The RQ queue this app sends jobs to (None when jobs run inline); ``urgent``: the one
    every worker empties before the other."""
    app = app or current_app
    url = queue_url(app)
    if url is None:
        return None
    name = app.config.get("JOBS_QUEUE", "heard")
    return _shared_queue(url, name + URGENT_SUFFIX if urgent else name)


def _new_queue(url: str, name: str) -> Any:
    from redis import Redis
    from rq import Queue

    return Queue(name, connection=Redis.from_url(url))


#: What web processes send jobs with: one queue, and one Redis connection pool, per
#: process, not a new client (connect, say hello, ask the server's version) on every
#: "send". redis-py's pool notices a fork and opens new connections in the child. A worker
#: makes its own (``work``): RQ sets its own timeouts on the connection it listens on.
_shared_queue = lru_cache(maxsize=8)(_new_queue)


def enqueue(func_path: str, *args: Any, urgent: bool = False) -> Any:
    """Run ``func_path(*args)`` in the background if a queue is configured, else now.

    Returns the RQ job when queued, or the function's result when run inline. The name is
    resolved first in both cases, so a typo fails in the request, not later in a worker.
    An ``urgent`` job goes to the queue workers take from first.
    """
    func = resolve(func_path)
    jobs = queue(urgent=urgent)
    if jobs is None:
        return func(*args)
    job = jobs.enqueue(run, func_path, *args, job_timeout=600, failure_ttl=7 * 86400)
    log.info("queued %s as job %s", func_path, job.id)
    return job


def run(func_path: str, *args: Any) -> Any:
    """What the worker executes: the job inside an application context, as inline jobs are."""
    if has_app_context():
        return resolve(func_path)(*args)
    with _app().app_context():
        return resolve(func_path)(*args)


def _app() -> Flask:
    """One app per worker process, made on first use (loading it per job would be slow)."""
    global _worker_app
    if _worker_app is None:
        from . import create_app

        _worker_app = create_app()
    return _worker_app


def work(app: Flask, burst: bool = False) -> bool:
    """Process jobs until stopped (or, with ``burst``, until the queue is empty).

    A SimpleWorker runs each job in this process: the app, its database pool and the
    analysis models are loaded once; a job that crashes the process is retried after the
    supervisor (systemd, the container runtime) restarts the worker.
    """
    global _worker_app
    _worker_app = app
    url = queue_url(app)
    if url is None:
        raise RuntimeError("No job queue: set REDIS_URL or HEARD_JOBS_REDIS_URL")
    name = app.config.get("JOBS_QUEUE", "heard")
    jobs = _new_queue(url, name)
    if burst:
        queue_periodic(jobs)
    else:
        clock = _new_queue(url, name)
        threading.Thread(target=_clock, args=(clock,), name="heard-periodic", daemon=True).start()
    # RQ takes the next job from the first queue that has one: alerts before analysis.
    urgent = _new_queue(url, name + URGENT_SUFFIX)
    worker = new_worker([urgent, jobs], jobs.connection)
    return bool(worker.work(burst=burst, with_scheduler=False))


#: How long the worker's control-channel thread waits for a message before it looks again.
PUBSUB_WAIT_SECONDS = 1.0


def new_worker(queues: list[Any], connection: Any) -> Any:
    """RQ's SimpleWorker, with a control-channel thread that stops within a second.

    RQ listens for "stop" and "kill" commands on a Redis channel in a thread that waits up
    to 60 seconds per read; redis-py 8 made stopping that thread wait for the read to end,
    so a worker's shutdown (and a burst) could take a minute more. A message still wakes
    the thread at once: the shorter wait only bounds how long stopping takes.
    """
    from rq import SimpleWorker

    class Worker(SimpleWorker):
        def subscribe(self) -> None:
            self.pubsub = self.connection.pubsub()
            self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
            self.pubsub_thread = self.pubsub.run_in_thread(  # type: ignore[assignment]
                sleep_time=PUBSUB_WAIT_SECONDS,
                daemon=True,
                exception_handler=self._pubsub_exception_handler,
            )

    return Worker(queues, connection=connection)


def lower_priority(niceness: int) -> int:
    """Make this process (a job worker) yield the CPU to the web processes when both want
    it: on a small server the children's page saves come first, and the analysis of what
    they sent catches up as soon as the burst eases. Returns the niceness now in force."""
    import os

    if niceness <= 0:
        return os.nice(0)
    try:
        now = os.nice(niceness)
    except OSError:  # not allowed here (a container's seccomp policy): carry on as is
        log.warning("could not lower the worker's CPU priority")
        return os.nice(0)
    # On Linux a priority is a thread's: threads already running (a maths library's pool)
    # are lowered too; those started later inherit it.
    tasks = "/proc/self/task"
    for tid in os.listdir(tasks) if os.path.isdir(tasks) else []:
        try:
            if os.getpriority(os.PRIO_PROCESS, int(tid)) < now:
                os.setpriority(os.PRIO_PROCESS, int(tid), now)
        except OSError:  # the thread ended meanwhile
            continue
    return now


def queue_periodic(jobs: Any) -> None:
    """Queue each ``PERIODIC`` job unless it is already waiting or running."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    for name, func_path in PERIODIC.items():
        job_id = periodic_id(jobs, name)
        try:
            status = Job.fetch(job_id, connection=jobs.connection).get_status()
        except NoSuchJobError:
            status = None
        if status in (JobStatus.QUEUED, JobStatus.STARTED):
            continue
        jobs.enqueue(run, func_path, job_id=job_id, job_timeout=600, failure_ttl=7 * 86400)


def periodic_id(jobs: Any, name: str) -> str:
    """The job's id: one per queue, so deployments sharing a Redis do not meet."""
    return f"{jobs.name}-{name}"


def _clock(jobs: Any) -> None:
    """In each worker process: queue the periodic jobs now and then every minute."""
    while True:
        try:
            queue_periodic(jobs)
        except Exception:  # noqa: BLE001 - Redis away for a moment: try at the next tick
            log.exception("periodic jobs not queued")
        time.sleep(PERIODIC_SECONDS)
