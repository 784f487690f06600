"""Where a respondent's request spends its time: SQL statements per request, and a profile.

    .venv/bin/python benchmarks/load/profile_walk.py                       # SQLite, care leavers
    .venv/bin/python benchmarks/load/profile_walk.py --walks 50 --profile /tmp/walk.prof
    .venv/bin/python benchmarks/load/profile_walk.py --database-url postgresql+psycopg://...
    .venv/bin/python benchmarks/load/profile_walk.py --redis-url redis://127.0.0.1:6379/0
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/walk.cg \
        .venv/bin/python benchmarks/load/profile_walk.py --walks 20 --callgrind

Walks shipped questionnaires in one process through Flask's test client (no HTTP server,
no other clients), as run_load.py's respondents do: start, every page, send, confirmation.
After the warm-up what is loaded is frozen out of the garbage collector's reach, as in each
web worker.
Prints, per kind of request, the mean SQL statements and the mean milliseconds; with
``--profile`` also writes a cProfile of the walks (read it with ``python -m pstats``). The
measured walks give other answers than the warm-up's, so no cache hides the analysis.
With ``--redis-url`` "send" queues the analysis (on a queue of its own, deleted after) as
production with a job queue does; the jobs are then run in this process, and their cost
printed apart.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT)]

import harness  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--questionnaire", action="append", default=None)
    parser.add_argument("--walks", type=int, default=20)
    parser.add_argument("--profile", type=Path, default=None)
    parser.add_argument("--redis-url", default=None, help="queue the analysis here")
    parser.add_argument(
        "--show-sql", default=None, help="print the SQL of the last request of this kind"
    )
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="run under valgrind --tool=callgrind --instr-atstart=no: count the instructions "
        "of the measured walks alone (the same code gives the same count, whatever else the "
        "machine is doing)",
    )
    args = parser.parse_args(argv)
    questionnaires = args.questionnaire or ["care-leavers-16-25"]

    from flask_migrate import upgrade
    from sqlalchemy import event

    from survey import create_app
    from survey.extensions import db
    from survey.library import library
    from survey.models import Campaign, CampaignStatus, utcnow
    from survey.ops.serving import freeze_loaded

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/profile.db"
        config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32)}
        config |= {"PROXY_HOPS": 1, "JOBS_REDIS_URL": args.redis_url}
        config["JOBS_QUEUE"] = f"heard-profile-{secrets.token_hex(4)}"
        app = create_app(config, env="development")
        counts: dict[str, list[int]] = defaultdict(list)
        times: dict[str, list[float]] = defaultdict(list)
        cpus: dict[str, list[float]] = defaultdict(list)
        statements = [0]
        address = ["10.0.0.1"]
        seen: list[str] = []
        last: dict[str, list[str]] = {}
        with app.app_context():
            upgrade(directory=str(ROOT / "survey" / "migrations"))
            now = utcnow()
            for qid in questionnaires:
                db.session.add(
                    Campaign(
                        slug=f"p-{qid}",
                        title=qid,
                        questionnaire_id=qid,
                        questionnaire_version=1,
                        audience="profile",
                        status=CampaignStatus.OPEN,
                        opens_at=now - timedelta(days=1),
                        closes_at=now + timedelta(days=1),
                        anonymous_link=True,
                    )
                )
            db.session.commit()

            def count(_conn, _cursor, statement, *_):  # type: ignore[no-untyped-def]
                statements[0] += 1
                seen.append(" ".join(statement.split())[:160])

            event.listen(db.engine, "before_cursor_execute", count)
            shapes = {qid: library().get(qid, 1) for qid in questionnaires}

        client = app.test_client()

        def call(kind: str, method: str, path: str, expect: int, **kw: object) -> str:
            statements[0] = 0
            seen.clear()
            began, cpu = time.perf_counter(), time.process_time()
            response = client.open(
                path, method=method, headers={"X-Forwarded-For": address[0]}, **kw
            )
            times[kind].append(time.perf_counter() - began)
            cpus[kind].append(time.process_time() - cpu)
            counts[kind].append(statements[0])
            last[kind] = list(seen)
            if response.status_code != expect:
                raise SystemExit(f"{method} {path}: {response.status_code}")
            return response.get_data(as_text=True)

        def walks(first: int = 0) -> None:
            for number in range(first, first + args.walks):
                qid = questionnaires[number % len(questionnaires)]
                slug = f"p-{qid}"
                client._cookies.clear()  # noqa: SLF001 - a fresh browser
                address[0] = f"10.1.{number >> 8 & 255}.{number & 255}"
                token = harness.csrf_token(call("GET start", "GET", f"/s/{slug}", 200))
                call("POST start", "POST", f"/s/{slug}", 302, data={"csrf_token": token})
                for page_id, data in harness.walk(shapes[qid], number):
                    call(
                        "POST page",
                        "POST",
                        f"/s/{slug}/q/{page_id}",
                        302,
                        data={"csrf_token": token, "action": "continue", **data},
                    )
                call(
                    "POST check (send)", "POST", f"/s/{slug}/check", 302, data={"csrf_token": token}
                )
                call("GET done", "GET", f"/s/{slug}/done", 200)

        walks()  # warm: first-use caches, the analysis models
        freeze_loaded()  # as each web worker does once it has loaded (survey/ops/serving.py)
        for kind in list(counts):
            counts[kind].clear()
            times[kind].clear()
            cpus[kind].clear()
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        if args.callgrind:
            callgrind("on")
        walks(args.walks)
        if args.callgrind:
            callgrind("off")
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(args.profile))
        if args.redis_url and args.callgrind:
            drop_queues(app)  # the jobs, under valgrind, would take half an hour
        elif args.redis_url:
            run_jobs(app, args.profile.with_suffix(".jobs.prof") if args.profile else None)
        print(
            f"{'request':<20} {'n':>5} {'SQL mean':>9} {'SQL max':>8} {'ms mean':>8} "
            f"{'ms p50':>7} {'CPU ms mean':>12}"
        )
        for kind in counts:
            ms = [t * 1000 for t in times[kind]]
            print(
                f"{kind:<20} {len(ms):>5} {statistics.fmean(counts[kind]):>9.1f} "
                f"{max(counts[kind]):>8} {statistics.fmean(ms):>8.2f} "
                f"{statistics.median(ms):>7.2f} {statistics.fmean(cpus[kind]) * 1000:>12.2f}"
            )
        if args.show_sql:
            print(f"\nSQL of the last {args.show_sql!r}:")
            for statement in last.get(args.show_sql, []):
                print("  " + statement)
    return 0


def callgrind(state: str) -> None:
    """Turn callgrind's counting on or off in this process (``callgrind_control`` talks to
    the valgrind running it; valgrind reads the request at its next check, so wait a moment
    for it)."""
    subprocess.run(["callgrind_control", "-i", state, str(os.getpid())], check=True)
    time.sleep(0.5)


def drop_queues(app: object) -> None:
    from survey import jobs

    with app.app_context():  # type: ignore[attr-defined]
        for made in (jobs.queue(), jobs.queue(urgent=True)):
            made.empty()
            made.delete(delete_jobs=True)


def run_jobs(app: object, profile: Path | None) -> None:
    """Run the queued analysis jobs here, timed (and profiled, to ``profile``); then
    delete the queue."""
    from analysis.encoder import embed
    from survey import jobs

    embed(["the encoder loaded before the jobs are timed"])
    with app.app_context():  # type: ignore[attr-defined]
        queue, urgent = jobs.queue(), jobs.queue(urgent=True)
    waiting = len(queue) + len(urgent)
    profiler = cProfile.Profile() if profile else None
    began, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    jobs.work(app, burst=True)  # type: ignore[arg-type]
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(profile))
    wall, used = time.perf_counter() - began, time.process_time() - cpu
    print(
        f"{waiting} queued jobs (the second pass's analyses and the warm-up's, and a sweep) "
        f"run afterwards: {wall * 1000 / max(1, waiting):.1f} ms, "
        f"{used * 1000 / max(1, waiting):.1f} CPU ms each"
    )
    for made in (queue, urgent):
        made.empty()
        made.delete(delete_jobs=True)


if __name__ == "__main__":
    sys.exit(main())
