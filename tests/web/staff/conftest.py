"""Fixtures for the staff side: seeded campaigns, responses and drafts with known times,
and the example questionnaires in two versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

HERE = Path(__file__).parent


@pytest.fixture()
def versioned(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """The library with example-versioned v1 and v2 added (restored after the test)."""
    from survey.library import Library
    from survey.questionnaire import load_directory

    current = app.extensions["heard.library"]
    merged = {**current._all, **load_directory(HERE / "questionnaires")}  # noqa: SLF001
    monkeypatch.setitem(app.extensions, "heard.library", Library(merged))
