"""Closed-question results (for example "do you feel safe at home?") by age band.

Each question is a table: its options down the side, one column per age band (and "all"
when there is more than one band). Every count is suppressed with the totals it adds up
to: each column's total, and each option's row total across the bands, so no hidden cell
can be recovered by subtraction in either direction. A band with fewer answers than the
threshold is hidden whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from analysis.suppress import Key, suppress
from analysis.types import Cell
from survey.library import library

CHOICE_TYPES = ("single_choice", "yes_no_sometimes", "faces")
ALL = "all"


@dataclass(frozen=True)
class Column:
    group: str
    total: Cell
    cells: list[Cell]  # one per option, in option order

    def share(self, i: int) -> float | None:
        cell = self.cells[i]
        if cell.count is None or self.total.count in (None, 0):
            return None
        return cell.count / self.total.count  # type: ignore[operator]


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    text: str
    labels: list[str]
    columns: list[Column]

    @property
    def total(self) -> Cell:
        return self.columns[-1].total

    @property
    def options(self) -> list[tuple[str, Cell]]:
        """The "all" column as (label, cell): what a one-band chart draws."""
        return list(zip(self.labels, self.columns[-1].cells, strict=True))


def _band(questionnaire: Any) -> str:
    return str(questionnaire.age_band or questionnaire.audience or ALL)


def tabulate(rows: Sequence[tuple[str, int, str, Any]], limit: int) -> list[QuestionResult]:
    """``rows``: (questionnaire id, version, question id, answer value) for the selection."""
    counts: dict[Key, int] = {}
    questions: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    bands: set[str] = set()
    for qid, version, question_id, value in rows:
        questionnaire = library().get(qid, version)
        question = questionnaire.question(question_id) if questionnaire else None
        if question is None or question.type not in CHOICE_TYPES or not isinstance(value, str):
            continue
        band = _band(questionnaire)
        bands.add(band)
        options = [(o.value, o.label) for o in question.options]
        questions.setdefault(question_id, (question.text, options))
        for key in (("n", question_id, band), (value, question_id, band)):
            counts[key] = counts.get(key, 0) + 1
    groups = sorted(bands) + ([ALL] if len(bands) > 1 else [])
    lines: list[list[Key]] = []
    for question_id, (_text, options) in questions.items():
        for group in groups:
            for value, _label in options:
                counts.setdefault((value, question_id, group), 0)
            counts.setdefault(("n", question_id, group), 0)
            lines.append(
                [("n", question_id, group), *[(v, question_id, group) for v, _ in options]]
            )
        if len(bands) > 1:
            for kind in ["n", *[v for v, _ in options]]:
                counts[(kind, question_id, ALL)] = sum(
                    counts[(kind, question_id, b)] for b in bands
                )
                lines.append(
                    [(kind, question_id, ALL), *[(kind, question_id, b) for b in sorted(bands)]]
                )
    small = [k for k in counts if counts[("n", k[1], k[2])] < limit]
    cells = suppress(counts, lines, limit, forced=small)
    return [
        QuestionResult(
            question_id,
            text,
            [label for _, label in options],
            [
                Column(
                    g,
                    cells[("n", question_id, g)],
                    [cells[(v, question_id, g)] for v, _ in options],
                )
                for g in groups
            ],
        )
        for question_id, (text, options) in questions.items()
    ]
