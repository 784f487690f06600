"""Closed-question results by age band: suppressed down each band and across the bands."""

from __future__ import annotations

from types import SimpleNamespace

import survey.review.questions as questions

YES_NO = (SimpleNamespace(value="yes", label="Yes"), SimpleNamespace(value="no", label="No"))


class FakeLibrary:
    def get(self, qid, version):
        question = SimpleNamespace(
            type="yes_no_sometimes", text="Do you feel safe?", options=YES_NO
        )
        return SimpleNamespace(age_band=qid, audience="", question=lambda _id: question)


def _table(rows, monkeypatch, limit=5):
    monkeypatch.setattr(questions, "library", FakeLibrary)
    [result] = questions.tabulate(rows, limit)
    return {c.group: [c.total.shown, *[x.shown for x in c.cells]] for c in result.columns}


def _rows(band, yes, no):
    return [(band, 1, "feel-safe", "yes")] * yes + [(band, 1, "feel-safe", "no")] * no


def test_a_band_cell_cannot_be_worked_out_from_the_band_or_the_row_total(monkeypatch):
    table = _table(_rows("8-11", 5, 1) + _rows("11-17", 3, 4), monkeypatch)
    assert table["all"] == ["13", "8", "5"]
    assert table["8-11"] == ["6", "hidden", "fewer than 5"]
    assert table["11-17"] == ["7", "fewer than 5", "fewer than 5"]


def test_a_band_too_small_is_hidden_whole_and_not_recoverable_from_all(monkeypatch):
    table = _table(_rows("4-7", 2, 1) + _rows("8-11", 10, 6), monkeypatch)
    assert set(table["4-7"]) <= {"hidden", "fewer than 5"}
    # 4-7 hidden whole: "all" minus "8-11" would give it away, so one of them is hidden too.
    for row in range(3):
        shown = [table[g][row] for g in ("all", "8-11")]
        assert any(not cell.isdigit() for cell in shown), (row, table)


def test_one_band_only_has_no_all_column(monkeypatch):
    table = _table(_rows("8-11", 6, 6), monkeypatch)
    assert table == {"8-11": ["12", "6", "6"]}
