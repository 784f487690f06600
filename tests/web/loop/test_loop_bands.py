"""Closed-question results per questionnaire and age band, suppressed down each table.

Answers are never pooled across questionnaires (each asks in its own words, for its own age
band), so there is no "all ages" column to difference against a band."""

from __future__ import annotations

from types import SimpleNamespace

import survey.review.questions as questions

YES_NO = (SimpleNamespace(value="yes", label="Yes"), SimpleNamespace(value="no", label="No"))


class FakeLibrary:
    """Questionnaire ids are their age bands; "<band>-easy" is an easy-read version."""

    def get(self, qid, version=None):
        question = SimpleNamespace(
            type="yes_no_sometimes", text=f"Do you feel safe? ({qid})", options=YES_NO
        )
        return SimpleNamespace(
            id=qid,
            title=f"Survey {qid}",
            age_band=qid.removesuffix("-easy"),
            easy_read_of=qid.removesuffix("-easy") if qid.endswith("-easy") else None,
            questions_by_id={"feel-safe": question},
            question=lambda _id: question,
        )


def _tables(rows, monkeypatch, limit=5):
    monkeypatch.setattr(questions, "library", FakeLibrary)
    return {
        r.questionnaire: [r.total.shown, *[cell.shown for _label, cell in r.options]]
        for r in questions.tabulate(rows, limit)
    }


def _rows(band, yes, no):
    return [(band, 1, "feel-safe", "yes")] * yes + [(band, 1, "feel-safe", "no")] * no


def test_each_band_is_its_own_table_youngest_first_with_no_pooled_column(monkeypatch):
    tables = _tables(_rows("11-17", 3, 4) + _rows("8-11", 5, 1), monkeypatch)
    assert list(tables) == ["Survey 8-11", "Survey 11-17"]
    assert tables["Survey 8-11"] == ["6", "hidden", "fewer than 5"]
    assert tables["Survey 11-17"] == ["7", "fewer than 5", "fewer than 5"]


def test_a_small_table_hides_every_answer_given(monkeypatch):
    tables = _tables(_rows("4-7", 2, 1), monkeypatch)
    assert tables["Survey 4-7"] == ["fewer than 5", "fewer than 5", "fewer than 5"]


def test_easy_read_answers_count_with_the_original_in_its_words(monkeypatch):
    monkeypatch.setattr(questions, "library", FakeLibrary)
    [result] = questions.tabulate(_rows("8-11", 3, 3) + _rows("8-11-easy", 3, 3), 5)
    assert result.text == "Do you feel safe? (8-11)"
    assert [c.shown for _label, c in result.options] == ["6", "6"]
    assert result.percent(0) == 0.5
