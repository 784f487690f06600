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

from tests.conftest import COUNCIL_NUMBERS

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
        **{f"HEARD_{name}": number for name, number in COUNCIL_NUMBERS.items()},
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
        **{f"HEARD_{name}": number for name, number in COUNCIL_NUMBERS.items()},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
    }
    env.pop("REDIS_URL", None)
    subprocess.run([str(HEARD), "init-db"], env=env, check=True, capture_output=True, timeout=120)
    servers = {}
    for name in ("gunicorn", "waitress"):
        port = _free_port()
        # Several gunicorn processes must share their rate-limit counts: Redis.
        shared = {"REDIS_URL": _redis_url()} if name == "gunicorn" else {}
        if name == "gunicorn":  # and an access log, asked for
            shared["HEARD_ACCESS_LOG"] = str(tmp_path / "access.log")
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
        invitation = httpx.get(f"http://127.0.0.1:{servers['gunicorn'][0]}/i/qgy976vhtqgjwyny")
        assert invitation.status_code == 404  # no such invitation
        # The worker writes the line after the response has gone: wait for it.
        deadline, logged = time.monotonic() + 10, ""
        while '"GET /i/*** HTTP/1.1" 404' not in logged and time.monotonic() < deadline:
            time.sleep(0.1)
            logged = (tmp_path / "access.log").read_text()
        assert '"GET /healthz HTTP/1.1" 200' in logged
        assert '"GET /i/*** HTTP/1.1" 404' in logged and "qgy976" not in logged
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
    monkeypatch.setattr(serving, "freeze_loaded", lambda: None)  # not this test process
    serving._worker_started(object())  # no exception


def test_no_access_log_unless_asked_for(app, monkeypatch):
    """Off by default: the proxy in front keeps one, and gunicorn's lines would hold every
    personal link; HEARD_ACCESS_LOG names where to write it ("-": standard output)."""
    from survey.ops import serving

    monkeypatch.setitem(app.config, "ACCESS_LOG", None)  # as HEARD_ACCESS_LOG unset gives
    quiet = serving.gunicorn_settings(app, "127.0.0.1", 8000, 2)
    assert quiet["accesslog"] is None
    monkeypatch.setitem(app.config, "ACCESS_LOG", "-")
    logged = serving.gunicorn_settings(app, "127.0.0.1", 8000, 2)
    assert logged["accesslog"] == "-"
    assert logged["logger_class"] == "survey.ops.access_log.AccessLog"
    assert logged["bind"] == "127.0.0.1:8000" and logged["workers"] == 2


def test_the_access_log_masks_the_secret_in_a_link():
    """A personal invitation, a staff password link and a single sign-on answer work for
    whoever holds them: the access log gives the kind of page, never the secret part."""
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from survey.ops.access_log import AccessLog

    log = AccessLog(Config())
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])

    def atoms(raw_uri: str, referer: str = "-") -> dict:  # type: ignore[type-arg]
        path = raw_uri.partition("?")[0]
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": raw_uri,
            "PATH_INFO": path,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_REFERER": referer,
        }
        return log.atoms(response, SimpleNamespace(headers=[]), environ, timedelta())  # type: ignore[no-any-return]

    invited = atoms(
        "/i/qgy976vhtqgjwyny?version=easy-read",
        "https://heard.example/staff/set-password/Zx9_k-3Lw?next=/staff",
    )
    assert invited["r"] == "GET /i/***?version=easy-read HTTP/1.1"
    assert invited["U"] == "/i/***"
    assert invited["f"] == "https://heard.example/staff/set-password/***?next=/staff"
    for value in invited.values():  # the environ's and headers' copies too
        assert "qgy976" not in str(value) and "Zx9_k" not in str(value)
    # Werkzeug merges slashes, so "/i//token" is the same invitation.
    assert atoms("/i//qgy976vhtqgjwyny")["U"] == "/i//***"
    sso = atoms("/staff/sign-in/council/callback?code=SplxlOBeZQ&state=af0ifjsldkj&x=1")
    assert sso["r"] == "GET /staff/sign-in/council/callback?code=***&state=***&x=1 HTTP/1.1"
    assert atoms("/s/wellbeing/q/home?return=check")["r"] == (
        "GET /s/wellbeing/q/home?return=check HTTP/1.1"
    )


def test_a_new_worker_puts_what_it_loaded_out_of_the_collectors_reach(monkeypatch):
    """What a worker loads lives as long as it: a full collection must not walk (and, after
    the fork, copy) it on every round."""
    import gc

    from analysis import encoder
    from survey.ops import serving

    loaded: list[list[int]] = []
    monkeypatch.setattr(encoder, "load", lambda: loaded.append([1, 2, 3]))
    gc.unfreeze()
    try:
        serving._worker_started(object())
        # get_objects() leaves out what is frozen: the encoder's list is not among them.
        assert loaded and not any(found is loaded[0] for found in gc.get_objects())
    finally:
        gc.unfreeze()
