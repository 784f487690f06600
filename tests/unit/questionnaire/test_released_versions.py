"""A released questionnaire version never changes in place (tools/questionnaire_lock.py):
answers to it are shown with its own questions, so a change goes in the next version."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tools"))

import questionnaire_lock  # noqa: E402

SAMPLE = ROOT / "questionnaires" / "cp-conference-parents.yaml"


def test_every_shipped_version_is_pinned_and_unchanged():
    assert questionnaire_lock.problems() == []


def test_a_changed_question_in_a_released_version_is_refused(tmp_path):
    copy = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, copy)
    lock = tmp_path / "released.json"
    assert questionnaire_lock.record(tmp_path, lock) == ["cp-conference-parents@1"]
    assert questionnaire_lock.problems(tmp_path, lock) == []

    text = copy.read_text(encoding="utf-8")
    copy.write_text("# a comment and a blank line change nothing\n\n" + text, encoding="utf-8")
    assert questionnaire_lock.problems(tmp_path, lock) == []

    copy.write_text(text.replace("title:", "title: Changed -", 1), encoding="utf-8")
    found = questionnaire_lock.problems(tmp_path, lock)
    assert len(found) == 1 and "cp-conference-parents@1 changed after it was released" in found[0]
    assert "cp-conference-parents.v2.yaml" in found[0]
    assert questionnaire_lock.record(tmp_path, lock) == []  # never re-pins a changed one
    assert questionnaire_lock.problems(tmp_path, lock) == found


def test_a_new_version_must_be_pinned_and_a_pinned_one_cannot_vanish(tmp_path):
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    lock = tmp_path / "released.json"
    questionnaire_lock.record(tmp_path, lock)
    newer = tmp_path / "cp-conference-parents.v2.yaml"
    newer.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("\nversion: 1\n", "\nversion: 2\n"),
        encoding="utf-8",
    )
    assert questionnaire_lock.problems(tmp_path, lock) == [
        "cp-conference-parents@2 is shipped but not pinned: run tools/questionnaire_lock.py "
        "--record"
    ]
    (tmp_path / SAMPLE.name).unlink()
    questionnaire_lock.record(tmp_path, lock)
    assert questionnaire_lock.problems(tmp_path, lock) == [
        "cp-conference-parents@1 is pinned but no longer shipped"
    ]
