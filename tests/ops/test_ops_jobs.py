"""Background jobs: inline without Redis; through a real RQ queue and worker with it."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import select

from survey import jobs
from tests.conftest import service_missing

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture()
def redis_queue(app, monkeypatch):
    """The test app pointed at the real Redis, on a queue of its own (deleted afterwards)."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except RedisDown:
        service_missing(f"no Redis at {REDIS_URL}: the RQ path is not tested here")
    monkeypatch.setitem(app.config, "JOBS_REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "JOBS_QUEUE", f"heard-test-{uuid.uuid4().hex}")
    with app.app_context():
        queue = jobs.queue()
    yield queue
    with app.app_context():
        urgent = jobs.queue(urgent=True)
    for made in (queue, urgent):
        made.empty()
        made.delete(delete_jobs=True)


def _events(app, action):
    from survey.extensions import db
    from survey.models import AuditEvent

    with app.app_context():
        return [
            e.target
            for e in db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        ]


def test_without_a_queue_the_job_runs_at_once(app):
    with app.app_context():
        assert app.config["JOBS_REDIS_URL"] is None
        jobs.enqueue("survey.auth.services:record", None, "job_ran", "inline")
    assert _events(app, "job_ran") == ["inline"]


def test_with_redis_a_worker_runs_the_job_in_its_own_app_context(app, redis_queue):
    with app.app_context():
        job = jobs.enqueue("survey.auth.services:record", None, "job_ran", "queued")
    assert job.get_status() == "queued"
    assert _events(app, "job_ran") == []  # nothing happens until a worker takes it

    assert jobs.work(app, burst=True)
    job.refresh()
    assert job.get_status() == "finished"
    assert _events(app, "job_ran") == ["queued"]
    assert len(redis_queue) == 0


def test_a_failing_job_is_kept_for_a_person_to_see(app, redis_queue):
    with app.app_context():
        job = jobs.enqueue("survey.ops.retention:months_before", "not a date", 1)
    jobs.work(app, burst=True)
    job.refresh()
    assert job.get_status() == "failed"
    assert "AttributeError" in (job.latest_result().exc_string or "")


@pytest.mark.parametrize("path", ["nothing", "survey.jobs:no_such_job", "no.such.module:job"])
def test_a_misnamed_job_fails_in_the_caller_not_later(app, path):
    with app.app_context(), pytest.raises((ValueError, AttributeError, ModuleNotFoundError)):
        jobs.enqueue(path)


def test_each_worker_queues_the_analysis_sweep_once_at_a_time(app, redis_queue):
    from rq.job import Job

    jobs.queue_periodic(redis_queue)
    jobs.queue_periodic(redis_queue)  # a second worker's clock: still one waiting
    job_ids = [jobs.periodic_id(redis_queue, name) for name in jobs.PERIODIC]
    assert redis_queue.job_ids == job_ids  # the analysis sweep and the idle drafts' read
    assert jobs.work(app, burst=True)
    for job_id in job_ids:
        assert Job.fetch(job_id, connection=redis_queue.connection).get_status() == "finished"


def test_a_worker_takes_urgent_jobs_before_those_queued_earlier(app, redis_queue):
    """A burst's analysis jobs must not hold back a safeguarding alert's sending."""
    with app.app_context():
        jobs.enqueue("survey.auth.services:record", None, "job_ran", "analysis")
        jobs.enqueue("survey.auth.services:record", None, "job_ran", "alert", urgent=True)
    assert len(redis_queue) == 1  # the urgent job is on a queue of its own
    assert jobs.work(app, burst=True)
    assert _events(app, "job_ran") == ["alert", "analysis"]


def test_alerts_are_sent_from_the_urgent_queue(app, redis_queue):
    from survey.alerts.services import start_delivery

    with app.app_context():
        start_delivery()
        urgent = jobs.queue(urgent=True)
    assert len(urgent) == 1 and len(redis_queue) == 0
    assert urgent.jobs[0].args[0] == "survey.alerts.jobs:deliver"


@pytest.mark.parametrize(("asked", "gained"), [(7, 7), (0, 0), (-3, 0)])
def test_a_worker_can_yield_the_cpu_to_the_web_processes(asked, gained):
    """``heard worker`` lowers its own priority by HEARD_WORKER_NICE (never raises it)."""
    import os
    import subprocess
    import sys

    code = f"from survey.jobs import lower_priority; print(lower_priority({asked}))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert int(out.stdout) == min(os.nice(0) + gained, 19)


def test_a_worker_lowers_the_threads_it_already_runs_too():
    """A priority is a thread's on Linux: a maths library's pool started before is lowered."""
    import os
    import subprocess
    import sys

    if not os.path.isdir("/proc/self/task"):
        pytest.skip("no /proc: per-thread priorities are not read here")
    code = (
        "import os, threading, time\n"
        "ready = threading.Event(); tid = []\n"
        "def pool():\n"
        "    tid.append(threading.get_native_id()); ready.set(); time.sleep(5)\n"
        "threading.Thread(target=pool, daemon=True).start(); ready.wait()\n"
        "from survey.jobs import lower_priority\n"
        "now = lower_priority(5)\n"
        "print(now, os.getpriority(os.PRIO_PROCESS, tid[0]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    main, pool = out.stdout.split()
    assert int(pool) == int(main) == min(os.nice(0) + 5, 19)


def test_a_workers_control_channel_stops_within_seconds(redis_queue):
    """RQ's control-channel thread waited up to 60 s per read, and redis-py 8 made stopping
    it wait for that read: when the thread had gone back to waiting before it was stopped,
    a burst (and a worker's shutdown) took a minute more. The bound is a third of that
    minute, far above what stopping costs."""
    worker = jobs.new_worker([redis_queue], redis_queue.connection)
    worker.subscribe()
    worker.pubsub.unsubscribe()
    time.sleep(0.5)  # the thread has read the reply and waits on a silent channel again
    started = time.monotonic()
    worker.pubsub_thread.stop()
    assert time.monotonic() - started < 20
    worker.pubsub.close()
