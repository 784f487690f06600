"""`heard serve` answers on loopback with gunicorn (several processes) and with waitress."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

HEARD = Path(sys.executable).parent / "heard"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _redis_url() -> str:
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        from tests.conftest import service_missing

        service_missing("Redis at 127.0.0.1:6379")
    return url


def test_several_production_workers_without_shared_limits_refuse_to_start(tmp_path):
    """Each worker would count rate limits alone: n workers, n times every limit."""
    env = {
        **os.environ,
        "HEARD_ENV": "production",
        "SECRET_KEY": "s" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [
            str(HEARD),
            "serve",
            "--server",
            "gunicorn",
            "--port",
            str(_free_port()),
            "--workers",
            "3",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "set REDIS_URL" in done.stderr


def _has_onnxruntime(pid: str) -> bool:
    try:
        return "onnxruntime" in Path(f"/proc/{pid}/maps").read_text()
    except FileNotFoundError:
        return False


def _wait_healthy(url: str, process: subprocess.Popen, seconds: float = 60) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
        try:
            return httpx.get(url, timeout=2)
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


@pytest.mark.slow
def test_both_servers_serve_the_app(tmp_path):
    env = {
        **os.environ,
        "HEARD_ENV": "production",
        "SECRET_KEY": "s" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
    }
    env.pop("REDIS_URL", None)
    servers = {}
    for name in ("gunicorn", "waitress"):
        port = _free_port()
        # Several gunicorn processes must share their rate-limit counts: Redis.
        shared = {"REDIS_URL": _redis_url()} if name == "gunicorn" else {}
        servers[name] = (
            port,
            subprocess.Popen(
                [
                    str(HEARD),
                    "serve",
                    "--server",
                    name,
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--workers",
                    "2",
                ],
                env={**env, **shared},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            ),
        )
    try:
        for name, (port, process) in servers.items():
            response = _wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
            assert response.status_code == 200, (name, response.text)
            assert response.json() == {"status": "ok", "database": "up"}
            assert "Strict-Transport-Security" in response.headers  # production settings
        gunicorn = servers["gunicorn"][1]
        # The first worker may answer before the second has booted on a busy machine (the
        # tests run in parallel): wait for both, up to a minute.
        deadline = time.monotonic() + 60
        while True:
            workers = subprocess.run(
                ["pgrep", "-P", str(gunicorn.pid)], capture_output=True, text=True
            ).stdout.split()
            if len(workers) == 2 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert len(workers) == 2  # two worker processes share the database
        # Each worker builds the sentence encoder (ONNX Runtime, the default) as it starts,
        # so no answer waits seconds for it; the master never imports it: a process forked
        # after that import hangs as it exits, and gunicorn could not stop (checked below).
        if Path(f"/proc/{gunicorn.pid}/maps").exists():
            assert "onnxruntime" not in Path(f"/proc/{gunicorn.pid}/maps").read_text()
            deadline = time.monotonic() + 60
            while not all(_has_onnxruntime(pid) for pid in workers):
                assert time.monotonic() < deadline, "a worker did not load the encoder"
                time.sleep(0.2)
    finally:
        for _, process in servers.values():
            process.terminate()
        for _, process in servers.values():
            process.wait(30)  # workers that hang as they exit fail here


def test_a_worker_whose_encoder_cannot_load_still_boots(monkeypatch):
    """gunicorn stops the whole server when a worker fails to boot: the encoder's load in
    a new worker must never raise (the worker then screens with the rules)."""
    from analysis import encoder
    from survey.ops import serving

    def broken() -> None:
        raise RuntimeError("no encoder here")

    monkeypatch.setattr(encoder, "load", broken)
    serving._worker_started(object())  # no exception
