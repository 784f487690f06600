"""Every interface string is marked for translation and the committed catalogue is current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
POT = ROOT / "survey" / "translations" / "messages.pot"


def _extract(target: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--omit-header",
            "--sort-output",
            "--no-location",
            "-o",
            str(target),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def test_committed_catalogue_is_current(tmp_path):
    """`make i18n-extract` must be run and committed after changing interface strings."""
    fresh = tmp_path / "messages.pot"
    _extract(fresh)
    assert POT.exists(), "run `make i18n-extract`"
    assert POT.read_text() == fresh.read_text(), "messages.pot is stale: run `make i18n-extract`"


def test_templates_have_no_bare_text():
    """Text between tags in templates must go through _(): a rough but useful guard."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        source = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", "", path.read_text(), flags=re.S)
        source = re.sub(r"<(script|style)\b.*?</\1>", "", source, flags=re.S)
        for text in re.findall(r">([^<>]+)<", source):
            cleaned = re.sub(r"[\s·:()\-|,.0-9]+", "", text)
            if cleaned and not re.search(r'[\w-]+="', text):  # attribute fragments
                offenders.append(f"{path.relative_to(ROOT)}: {text.strip()!r}")
    assert offenders == []
