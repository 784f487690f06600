"""The engine is Flask-free and works offline with no NLTK corpora (run in subprocesses)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_analysis_imports_neither_flask_nor_survey() -> None:
    code = (
        "import sys, analysis, analysis.cli, analysis.aggregate, analysis.discover\n"
        "analysis.analyse(['my sw never rings me back'])\n"
        "banned = {'flask', 'survey', 'vaderSentiment'}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in banned)\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stdout + result.stderr


def test_works_with_no_network_and_no_nltk_corpora(tmp_path: Path) -> None:
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    code = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise OSError('network disabled for this test')\n"
        "socket.socket.connect = refuse; socket.socket.connect_ex = refuse\n"
        "socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
        "import analysis\n"
        "from analysis.discover import discover_topics\n"
        "r = analysis.analyse(['Great staff. But she never listens!', 'i want to kill myself'])\n"
        "assert r[0].sentiment in ('negative', 'neutral', 'positive')\n"
        "assert r[1].safeguarding is not None\n"
        "discover_topics(['the portal is broken'] * 12 + ['vapes outside'] * 12, min_size=3)\n"
        "print('ok')\n"
    )
    import os

    env = {**os.environ, "NLTK_DATA": str(empty), "HOME": str(tmp_path)}
    result = _run(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
