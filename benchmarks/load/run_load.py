"""Load and fault benchmark: `heard serve` on loopback, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/load/run_load.py            # the full run (see README.md)
    .venv/bin/python benchmarks/load/run_load.py --quick    # a smoke run of 500 submissions

For each database: a fresh database and a small example campaign; N complete submissions
from C concurrent virtual respondents; the same client against a bare Flask app doing one
insert per request on the same database (the ratio); then a fault run that kill -9s a
gunicorn worker every few seconds and checks that every confirmed submission is stored
exactly once. Everything listens on 127.0.0.1 only.
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
PG_ADMIN = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BENCH = "heard_bench"


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


def migrate_and_make_campaigns(url: str, slugs: list[str]) -> None:
    """Apply the migrations and create one open campaign per run, as staff would."""
    from flask_migrate import upgrade

    from survey import create_app
    from survey.extensions import db
    from survey.models import Campaign, CampaignStatus, utcnow

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "QUESTIONNAIRE_DIR": str(EXAMPLES)}, env="test"
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "survey" / "migrations"))
        now = utcnow()
        for slug in slugs:
            db.session.add(
                Campaign(
                    slug=slug,
                    title=f"Load test {slug}",
                    questionnaire_id="example-every-type",
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


def stored_references(url: str, slug: str) -> list[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = (
            conn.execute(
                text(
                    "SELECT r.reference FROM response r JOIN campaign c ON c.id = r.campaign_id "
                    "WHERE c.slug = :slug"
                ),
                {"slug": slug},
            )
            .scalars()
            .all()
        )
    engine.dispose()
    return list(rows)


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

    def workers(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def heard_server(url: str, workers: int, log: Path) -> Server:
    env = {
        "DATABASE_URL": url,
        "HEARD_ENV": "development",
        "SECRET_KEY": secrets.token_hex(32),
        "HEARD_QUESTIONNAIRE_DIR": str(EXAMPLES),
        "HEARD_PROXY_HOPS": "1",
        "WEB_CONCURRENCY": str(workers),
    }
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
    server.wait_ready("/healthz")
    return server


def bare_server(url: str, workers: int, log: Path) -> Server:
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
        {"DATABASE_URL": url},
        log,
    )
    server.wait_ready("/insert", method="GET")
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
    server: Server, total: int, concurrency: int, slug: str, every: float
) -> tuple[Any, int]:
    stop, kills = asyncio.Event(), []
    killer = asyncio.create_task(kill_workers(server, every, stop, kills))
    tally = await harness.drive(
        server.url, total, concurrency, harness.respondent, slug=slug, retries=5
    )
    stop.set()
    await killer
    return tally, len(kills)


def verdict(url: str, slug: str, tally: harness.Tally) -> dict[str, Any]:
    result = harness.compare(tally.references, stored_references(url, slug))
    return {
        "confirmed": result.confirmed,
        "stored": result.stored,
        "lost": len(result.lost),
        "duplicated": len(result.duplicated),
        "stored_unconfirmed": len(result.unconfirmed),
        "exact": result.exact,
    }


def progress(report: dict[str, Any], stage: str, args: argparse.Namespace) -> None:
    """Each stage's figures as soon as it ends: a long run stopped later still leaves them."""
    print(f"{report['database']} {stage}: {json.dumps(report[stage])}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


def run_database(kind: str, args: argparse.Namespace, logs: Path) -> dict[str, Any]:
    url = prepare_postgres() if kind == "postgresql" else f"sqlite:///{logs / 'heard-bench.db'}"
    report: dict[str, Any] = {"database": kind, "workers": args.workers}
    try:
        migrate_and_make_campaigns(url, ["bench", "bench-fault"])
        server = heard_server(url, args.workers, logs / f"heard-{kind}.log")
        try:
            tally = asyncio.run(
                harness.drive(
                    server.url,
                    args.submissions,
                    args.concurrency,
                    harness.respondent,
                    slug="bench",
                    address=args.one_address,
                )
            )
        finally:
            server.stop()
        report["heard"] = tally.summary("heard") | verdict(url, "bench", tally)
        progress(report, "heard", args)
        if not args.skip_bare:
            bare = bare_server(url, args.workers, logs / f"bare-{kind}.log")
            try:
                baseline = asyncio.run(
                    harness.drive(
                        bare.url, args.bare_requests, args.concurrency, harness.bare_insert
                    )
                )
            finally:
                bare.stop()
            report["bare"] = baseline.summary("bare flask")
            report["ratio_requests_per_s"] = round(
                report["bare"]["requests_per_s"] / report["heard"]["requests_per_s"], 2
            )
            report["ratio_p50"] = round(report["heard"]["p50_ms"] / report["bare"]["p50_ms"], 2)
            progress(report, "bare", args)
        if not args.skip_fault:
            server = heard_server(url, args.workers, logs / f"heard-fault-{kind}.log")
            try:
                tally, kills = asyncio.run(
                    fault_run(
                        server,
                        args.fault_submissions,
                        args.concurrency,
                        "bench-fault",
                        args.kill_every,
                    )
                )
            finally:
                server.stop()
            report["fault"] = tally.summary("heard, kill -9 a worker") | verdict(
                url, "bench-fault", tally
            )
            report["fault"]["workers_killed"] = kills
            progress(report, "fault", args)
    finally:
        if kind == "postgresql":
            drop_postgres()
    return report


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--submissions", type=int, default=20_000)
    parser.add_argument("--fault-submissions", type=int, default=5_000)
    parser.add_argument("--bare-requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=min(2 * (os.cpu_count() or 1) + 1, 8))
    parser.add_argument("--kill-every", type=float, default=3.0, help="seconds between kill -9s")
    parser.add_argument(
        "--quick", action="store_true", help="500 submissions, 300 in the fault run"
    )
    parser.add_argument(
        "--one-address",
        default=None,
        help="every respondent behind this one address (a school's or children's home's network)",
    )
    parser.add_argument("--skip-bare", action="store_true")
    parser.add_argument("--skip-fault", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if args.quick:
        args.submissions, args.fault_submissions, args.bare_requests = 500, 300, 2_000
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
