"""Load and fault benchmark: `heard serve` on loopback, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/load/run_load.py            # the full run (see README.md)
    .venv/bin/python benchmarks/load/run_load.py --quick    # a smoke run of 300 walks

For each database: a fresh database and one campaign per shipped questionnaire walked
(children's wellbeing 4-7, 8-11 and 11-17, care leavers, the three conference ones); N
complete walks (start, every page the routing shows, send, confirmation) from C concurrent
virtual respondents; the same walks, by the same client, through the bare Flask
questionnaire in bare_app.py on the same database (the ratio of page saves a second);
then a fault run that kill -9s a gunicorn worker every few seconds and checks that every
confirmed submission is stored exactly once. Everything listens on 127.0.0.1 only.

The C clients of the main run never pause (a closed loop): they measure the most a server
sustains, and their latency is set by the queue they keep full (Little's law: C over the
rate). ``--paced 0.5,0.7,0.9`` adds open loops after it: people arriving at random at those
shares of the walk rate Heard sustained, each starting on arrival whatever the server's
state, offered to Heard and then to the bare questionnaire; their latencies are those of a
server under that much load, not of a saturated one.

With ``--jobs N`` the server has a job queue, as production with Redis does: a private
``redis-server`` on loopback and N ``heard worker`` processes on the same machine, so "send"
keeps the safeguarding screen and queues the rest of the analysis. Their CPU is counted in
Heard's; after each of Heard's turns the run waits for the queue to empty (the time is
reported) before the bare questionnaire's turn, and at the end it counts the responses
whose free text has no insights (none may be left once the sweep has run).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT)]

import harness  # noqa: E402

BIN = Path(sys.executable).parent
EXAMPLES = ROOT / "questionnaires" / "examples"
SHIPPED = ROOT / "questionnaires"
#: The shipped questionnaires walked by default: children's wellbeing, care leavers', and
#: the child protection conference ones (easy-read and front-door ones are not walked).
WALKED = (
    "cic-wellbeing-4-7",
    "cic-wellbeing-8-11",
    "cic-wellbeing-11-17",
    "care-leavers-16-25",
    "cp-conference-child",
    "cp-conference-parents",
    "cp-conference-professionals",
)
PG_ADMIN = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BENCH = os.environ.get("HEARD_BENCH_DATABASE", "heard_bench")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_postgres() -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_BENCH}")
    return (
        PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        + "/"
        + PG_BENCH
    )


def drop_postgres() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH} WITH (FORCE)")


def migrate_and_make_campaigns(
    url: str,
    slugs: list[str],
    questionnaires: list[str] | None = None,
    directory: Path = EXAMPLES,
) -> None:
    """Apply the migrations and create one open campaign per slug, as staff would: for the
    example questionnaire, or for ``questionnaires[i]`` (read from ``directory``)."""
    from flask_migrate import upgrade

    from survey import create_app
    from survey.extensions import db
    from survey.models import Campaign, CampaignStatus, utcnow

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "QUESTIONNAIRE_DIR": str(directory)}, env="test"
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "survey" / "migrations"))
        now = utcnow()
        for i, slug in enumerate(slugs):
            db.session.add(
                Campaign(
                    slug=slug,
                    title=f"Load test {slug}",
                    questionnaire_id=questionnaires[i] if questionnaires else "example-every-type",
                    questionnaire_version=1,
                    audience="load test",
                    status=CampaignStatus.OPEN,
                    opens_at=now - timedelta(days=1),
                    closes_at=now + timedelta(days=1),
                    anonymous_link=True,
                )
            )
        db.session.commit()
        db.engine.dispose()


def stored_references(url: str, slug: str, bare: bool = False) -> list[str]:
    """The references stored for a campaign (``slug`` ending in ``%``: every campaign whose
    slug starts so), by Heard or, with ``bare``, by the bare questionnaire."""
    from sqlalchemy import create_engine, text

    query = (
        "SELECT reference FROM bench_bare_response WHERE slug LIKE :slug"
        if bare
        else "SELECT r.reference FROM response r JOIN campaign c ON c.id = r.campaign_id "
        "WHERE c.slug LIKE :slug"
    )
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(query), {"slug": slug}).scalars().all()
    engine.dispose()
    return list(rows)


def shapes(names: list[str]) -> list[Any]:
    """The questionnaires walked, as the app loads them (for the walks' pages and answers)."""
    from survey.questionnaire import load_directory

    found = load_directory(SHIPPED)
    return [found[(name, 1)] for name in names]


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client_cpu() -> float:
    times = os.times()
    return times.user + times.system


class Server:
    """A server process on loopback, stopped however the run ends."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        argv = [a.replace("{port}", str(self.port)) for a in argv]
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            argv, env={**os.environ, **env}, cwd=ROOT, stdout=self.log, stderr=self.log
        )

    def wait_ready(self, path: str, method: str = "GET") -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"server exited with {self.process.returncode}; see {self.log.name}"
                )
            try:
                if httpx.request(method, self.url + path, timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"server not ready; see {self.log.name}")

    def ready(self, path: str, workers: int, method: str = "GET") -> None:
        """``wait_ready`` then ``wait_settled``; stopped if either fails, so nothing is
        left running on the machine."""
        try:
            self.wait_ready(path, method)
            self.wait_settled(workers)
        except BaseException:
            self.stop()
            raise

    def wait_settled(self, workers: int, seconds: float = 90) -> None:
        """Until ``workers`` workers are up and the server is idle (under 5% of a core over
        half a second): the first worker answers while the others still build their
        encoders (1-2 CPU s each), which is start-up, not the run's work."""
        deadline, quiet = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"exited with {self.process.returncode}; see {self.log.name}")
            before = self.cpu_seconds()
            time.sleep(0.5)
            idle = len(self.workers()) >= workers and self.cpu_seconds() - before < 0.025
            quiet = quiet + 1 if idle else 0
            if quiet == 2:  # a second in all, not a pause in the middle of loading
                return
        raise RuntimeError(f"server still busy or short of workers; see {self.log.name}")

    def workers(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server and its live workers: what
        one run costs the machine, whatever else shares it."""
        return sum(_cpu_seconds(pid) for pid in [self.process.pid, *self.workers()])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class JobQueue:
    """A private Redis on loopback and ``heard worker`` processes: the production job queue."""

    def __init__(self, url: str, workers: int, logs: Path, directory: Path) -> None:
        self.redis = Server(
            [
                "redis-server",
                "--port",
                "{port}",
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            {},
            logs / "redis.log",
        )
        self.url = f"redis://127.0.0.1:{self.redis.port}/0"
        self._wait_redis()
        env = {
            "DATABASE_URL": url,
            "HEARD_ENV": "development",
            "SECRET_KEY": secrets.token_hex(32),
            "HEARD_QUESTIONNAIRE_DIR": str(directory),
            "HEARD_JOBS_REDIS_URL": self.url,
        }
        self.workers = [
            Server([str(BIN / "heard"), "worker"], env, logs / f"worker-{i}.log")
            for i in range(workers)
        ]

    def _wait_redis(self) -> None:
        from redis import Redis

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                Redis.from_url(self.url).ping()
                return
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.2)
        raise RuntimeError("redis-server did not start")

    def cpu_seconds(self) -> float:
        return sum(_cpu_seconds(w.process.pid) for w in [self.redis, *self.workers])

    def settle(self) -> None:
        """Until each worker has loaded its models and encoder and waits for jobs."""
        for worker in self.workers:
            worker.wait_settled(0)

    def backlog(self) -> int:
        """Jobs waiting or running."""
        from redis import Redis
        from rq import Queue

        connection = Redis.from_url(self.url)
        waiting = 0
        for name in ("heard", "heard-urgent"):  # analysis, and the alerts' queue
            queue = Queue(name, connection=connection)
            waiting += len(queue) + queue.started_job_registry.count
        return waiting

    def drain(self, limit: float = 900) -> float:
        """Wait until every queued job has run; the seconds it took."""
        start = time.monotonic()
        while self.backlog() and time.monotonic() - start < limit:
            if any(w.process.poll() is not None for w in self.workers):
                raise RuntimeError("a heard worker exited; see its log")
            time.sleep(0.2)
        return round(time.monotonic() - start, 1)

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.redis.stop()


def unanalysed(url: str, slug: str) -> int:
    """Responses of these campaigns with a free-text answer that has no insight (a name or
    contact box, such as the care leavers' check-in, is screened and never analysed, so
    it is not counted)."""
    from sqlalchemy import bindparam, create_engine, text

    from survey.library import Library

    contact = sorted(Library.from_directory(SHIPPED).contact_question_ids()) or [""]
    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(
            text(
                "SELECT COUNT(DISTINCT a.response_id) FROM answer a "
                "JOIN response r ON r.id = a.response_id JOIN campaign c ON c.id = r.campaign_id "
                "LEFT JOIN answer_insight i ON i.answer_id = a.id "
                "WHERE a.answer_type = 'free_text' AND i.id IS NULL AND c.slug LIKE :slug "
                "AND a.question_id NOT IN :contact"
            ).bindparams(bindparam("contact", expanding=True)),
            {"slug": slug, "contact": contact},
        ).scalar_one()
    engine.dispose()
    return int(count)


def sweep_now(url: str) -> int:
    """What ``heard worker``'s minute sweep does, at once (no grace): the analysis of every
    response whose job was lost. Returns how many responses it analysed."""
    from survey import create_app
    from survey.extensions import db
    from survey.insights.services import sweep

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "QUESTIONNAIRE_DIR": str(SHIPPED)}, env="test"
    )
    with app.app_context():
        done = sweep(grace=timedelta(0), limit=100_000)
        db.engine.dispose()
    return done


def heard_server(
    url: str, workers: int, log: Path, directory: Path = EXAMPLES, jobs: JobQueue | None = None
) -> Server:
    env = {
        "DATABASE_URL": url,
        "HEARD_ENV": "development",
        "SECRET_KEY": secrets.token_hex(32),
        "HEARD_QUESTIONNAIRE_DIR": str(directory),
        "HEARD_PROXY_HOPS": "1",
        "WEB_CONCURRENCY": str(workers),
        # Thousands of starts an hour on one campaign's open link are the point here: the
        # ceiling (600 by default) is still counted on every start, never reached.
        "HEARD_CAMPAIGN_HOURLY_STARTS": "1000000",
    }
    if jobs is not None:
        env["HEARD_JOBS_REDIS_URL"] = jobs.url
    env.pop("REDIS_URL", None)
    server = Server(
        [
            str(BIN / "heard"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "{port}",
            "--workers",
            str(workers),
        ],
        env,
        log,
    )
    server.ready("/healthz", workers)
    return server


def bare_server(url: str, workers: int, log: Path) -> Server:
    import bare_app
    from sqlalchemy import create_engine

    engine = create_engine(url)
    bare_app.metadata.create_all(engine)  # once, before the workers start (no race)
    engine.dispose()
    server = Server(
        [
            str(BIN / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            "127.0.0.1:{port}",
            "--pythonpath",
            str(HERE),
            "bare_app:create_app()",
        ],
        {"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32)},
        log,
    )
    server.ready("/insert", workers, method="GET")
    return server


async def kill_workers(server: Server, every: float, stop: asyncio.Event, kills: list[int]) -> None:
    """kill -9 one gunicorn worker (chosen at random) every ``every`` seconds."""
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=every)
        except TimeoutError:
            pids = server.workers()
            if pids:
                victim = random.choice(pids)  # noqa: S311 - not security
                os.kill(victim, signal.SIGKILL)
                kills.append(victim)


async def fault_run(
    server: Server, total: int, concurrency: int, campaigns: list[tuple[str, Any]], every: float
) -> tuple[Any, int]:
    stop, kills = asyncio.Event(), []
    killer = asyncio.create_task(kill_workers(server, every, stop, kills))
    tally = await harness.drive(
        server.url, total, concurrency, harness.walker, campaigns=campaigns, retries=5
    )
    stop.set()
    await killer
    return tally, len(kills)


def verdict(url: str, slug: str, tally: harness.Tally, bare: bool = False) -> dict[str, Any]:
    result = harness.compare(tally.references, stored_references(url, slug, bare))
    return {
        "confirmed": result.confirmed,
        "stored": result.stored,
        "lost": len(result.lost),
        "duplicated": len(result.duplicated),
        "stored_unconfirmed": len(result.unconfirmed),
        "exact": result.exact,
    }


def cpu_per_save(server: float, client: float, tally: harness.Tally) -> dict[str, Any]:
    requests = max(1, len(tally.latencies))
    return {
        "server_cpu_s": round(server, 1),
        "server_cpu_ms_per_request": round(server * 1000 / requests, 2),
        "client_cpu_ms_per_request": round(client * 1000 / requests, 2),
    }


def progress(report: dict[str, Any], stage: str, args: argparse.Namespace) -> None:
    """Each stage's figures as soon as it ends: a long run stopped later still leaves them."""
    print(f"{report['database']} {stage}: {json.dumps(report[stage])}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


def run_database(kind: str, args: argparse.Namespace, logs: Path) -> dict[str, Any]:
    url = prepare_postgres() if kind == "postgresql" else f"sqlite:///{logs / 'heard-bench.db'}"
    names = list(args.questionnaires)
    walked = shapes(names)
    main_run = [(f"bench-{name}", q) for name, q in zip(names, walked, strict=True)]
    faults = [(f"fault-{name}", q) for name, q in zip(names, walked, strict=True)]
    report: dict[str, Any] = {
        "database": kind,
        "workers": args.workers,
        "concurrency": args.concurrency,
        "questionnaires": names,
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "load_before": os.getloadavg()[0],
        "job_workers": args.jobs,
    }
    jobs: JobQueue | None = None
    try:
        migrate_and_make_campaigns(
            url,
            [slug for slug, _ in main_run + faults],
            names + names,
            SHIPPED,
        )
        if args.jobs:
            jobs = JobQueue(url, args.jobs, logs, SHIPPED)
        server = heard_server(url, args.workers, logs / f"heard-{kind}.log", SHIPPED, jobs)
        bare = None if args.skip_bare else bare_server(url, args.workers, logs / f"bare-{kind}.log")
        tallies: dict[str, list[harness.Tally]] = {"heard": [], "bare": []}
        cpu = {"heard": 0.0, "bare": 0.0, "client heard": 0.0, "client bare": 0.0}
        cpu["jobs"], drained, backlogs = 0.0, [], []
        try:
            if jobs is not None:
                jobs.settle()
            # Heard and the bare questionnaire take turns, a share of the walks each round,
            # so both meet the same load from anything else on the machine.
            done = 0
            for turn in range(args.rounds):
                share = (args.walks * (turn + 1)) // args.rounds - done
                for name, target in (("heard", server), ("bare", bare)):
                    if target is None:
                        continue
                    before, client_before = target.cpu_seconds(), client_cpu()
                    jobs_before = jobs.cpu_seconds() if jobs is not None and name == "heard" else 0
                    tallies[name].append(
                        asyncio.run(
                            harness.drive(
                                target.url,
                                share,
                                args.concurrency,
                                harness.walker,
                                campaigns=main_run,
                                address=args.one_address,
                                first=done,
                            )
                        )
                    )
                    if jobs is not None and name == "heard":
                        # The analysis left in the queue runs before the bare app's turn
                        # (not during it), and its CPU is Heard's.
                        backlogs.append(jobs.backlog())
                        drained.append(jobs.drain())
                        cpu["jobs"] += jobs.cpu_seconds() - jobs_before
                    cpu[name] += target.cpu_seconds() - before
                    cpu[f"client {name}"] += client_cpu() - client_before
                done += share
            if args.paced:
                # The open loop: arrivals at shares of the rate Heard just sustained, the
                # same arrivals offered to Heard and then to the bare questionnaire.
                closed = harness.Tally.merged(tallies["heard"])
                sustained = len(closed.references) / closed.seconds()
                if not sustained > 0:
                    raise SystemExit("no walk completed in the closed loop: nothing to pace")
                report["paced"] = []
                for step, fraction in enumerate(args.paced):
                    rate = fraction * sustained
                    stage = {"fraction": fraction, "walks_per_s": round(rate, 2)}
                    for name, target in (("heard", server), ("bare", bare)):
                        if target is None:
                            continue
                        paced = asyncio.run(
                            harness.drive_paced(
                                target.url,
                                args.paced_walks,
                                rate,
                                harness.walker,
                                first=args.walks + step * args.paced_walks,
                                seed=step,
                                campaigns=main_run,
                                address=args.one_address,
                            )
                        )
                        tallies.setdefault(f"paced {name}", []).append(paced)
                        if jobs is not None and name == "heard":
                            jobs.drain()
                        stage[name] = paced.summary(f"{name}, paced")
                    report["paced"].append(stage)
                    progress(report, "paced", args)
        finally:
            server.stop()
            if bare is not None:
                bare.stop()
        tally = harness.Tally.merged(tallies["heard"])
        # Every walk Heard confirmed, paced ones included, against what it stored.
        confirmed = harness.Tally.merged(tallies["heard"] + tallies.get("paced heard", []))
        report["heard"] = tally.summary("heard") | verdict(url, "bench-%", confirmed)
        report["heard"] |= cpu_per_save(cpu["heard"] + cpu["jobs"], cpu["client heard"], tally)
        if jobs is not None:
            requests = max(1, len(tally.latencies))
            report["heard"]["job_worker_cpu_ms_per_request"] = round(
                cpu["jobs"] * 1000 / requests, 2
            )
            report["heard"]["jobs_waiting_at_end_of_turns"] = backlogs
            report["heard"]["seconds_to_empty_the_queue_after_turns"] = drained
        report["heard"]["responses_without_insights"] = unanalysed(url, "bench-%")
        report["heard"]["load_after"] = os.getloadavg()[0]
        progress(report, "heard", args)
        if bare is not None:
            baseline = harness.Tally.merged(tallies["bare"])
            stored = harness.Tally.merged(tallies["bare"] + tallies.get("paced bare", []))
            report["bare"] = baseline.summary("bare flask questionnaire") | verdict(
                url, "bench-%", stored, bare=True
            )
            report["bare"] |= cpu_per_save(cpu["bare"], cpu["client bare"], baseline)
            report["bare"]["load_after"] = os.getloadavg()[0]
            report["ratio_page_saves_per_s"] = round(
                report["heard"]["page_saves_per_s"] / report["bare"]["page_saves_per_s"], 2
            )
            report["ratio_p99"] = round(report["heard"]["p99_ms"] / report["bare"]["p99_ms"], 2)
            report["ratio_server_cpu"] = round(
                report["bare"]["server_cpu_ms_per_request"]
                / report["heard"]["server_cpu_ms_per_request"],
                2,
            )
            progress(report, "bare", args)
        if not args.skip_fault:
            server = heard_server(
                url, args.workers, logs / f"heard-fault-{kind}.log", SHIPPED, jobs
            )
            try:
                tally, kills = asyncio.run(
                    fault_run(
                        server,
                        args.fault_walks,
                        args.concurrency,
                        faults,
                        args.kill_every,
                    )
                )
            finally:
                server.stop()
            report["fault"] = tally.summary("heard, kill -9 a worker") | verdict(
                url, "fault-%", tally
            )
            report["fault"]["workers_killed"] = kills
            if jobs is not None:
                report["fault"]["seconds_to_empty_the_queue"] = jobs.drain()
            # Responses whose analysis never ran (a worker killed between the commit and
            # the analysis, or the queue), then what the sweep left: none may remain.
            report["fault"]["responses_without_insights"] = unanalysed(url, "fault-%")
            report["fault"]["analysed_by_the_sweep"] = sweep_now(url)
            report["fault"]["responses_without_insights_after_sweep"] = unanalysed(url, "fault-%")
            progress(report, "fault", args)
    finally:
        if jobs is not None:
            jobs.stop()
        if kind == "postgresql":
            drop_postgres()
    return report


def shares(text: str) -> list[float]:
    """``--paced``: comma-separated shares of the sustained rate, each above 0."""
    values = [float(share) for share in text.split(",") if share.strip()]
    if not values or any(not value > 0 for value in values):
        raise argparse.ArgumentTypeError("give shares above 0, such as 0.5,0.7,0.9")
    return values


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--questionnaires",
        type=lambda text: [name for name in text.split(",") if name],
        default=list(WALKED),
        help="comma-separated ids of shipped questionnaires to walk, taken in turn",
    )
    parser.add_argument("--walks", type=int, default=3_000, help="complete walks per database")
    parser.add_argument("--fault-walks", type=int, default=1_000)
    parser.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="Heard and the bare questionnaire take turns this many times (the walks shared)",
    )
    parser.add_argument(
        "--bare-requests",
        type=int,
        default=0,
        help="also this many one-insert requests to the bare app (the older baseline)",
    )
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=min(2 * (os.cpu_count() or 1) + 1, 8))
    parser.add_argument("--kill-every", type=float, default=3.0, help="seconds between kill -9s")
    parser.add_argument("--quick", action="store_true", help="300 walks, 150 in the fault run")
    parser.add_argument(
        "--one-address",
        default=None,
        help="every respondent behind this one address (a school's or children's home's network)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        help="a job queue (a private redis-server) with this many `heard worker`s (0: none)",
    )
    parser.add_argument(
        "--paced",
        type=shares,
        default=[],
        help="then open loops, comma-separated: people arriving at these shares of the walks "
        "a second Heard sustained (0.7: 70%%), offered to Heard and to the bare questionnaire",
    )
    parser.add_argument("--paced-walks", type=int, default=1_000, help="walks in each open loop")
    parser.add_argument("--skip-bare", action="store_true")
    parser.add_argument("--skip-fault", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if args.quick:
        args.walks, args.fault_walks = 300, 150
        args.kill_every = min(args.kill_every, 1.0)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on the way out
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    reports = []
    with tempfile.TemporaryDirectory(prefix="heard-bench-") as tmp:
        for kind in kinds:
            report = run_database(kind, args, Path(tmp))
            print(json.dumps(report, indent=2), flush=True)
            reports.append(report)
    if args.json:
        args.json.write_text(json.dumps(reports, indent=2))
    lost = sum(
        r[key]["lost"] + r[key]["duplicated"]
        for r in reports
        for key in ("heard", "fault")
        if key in r
    )
    print(f"Lost submissions (confirmed but not stored exactly once): {lost}")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
