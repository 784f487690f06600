"""Closed-question results (for example "do you feel safe at home?"), per questionnaire.

Each questionnaire asks in its own words and for its own age band ("Is the child a girl or
a boy?" for 4 to 7 year olds is not "What is your gender?" for 11 to 17), so answers are
never pooled across questionnaires: one table per questionnaire and question, in that
questionnaire's wording, with its age band in the heading. An easy-read version keeps its
original's question ids and answer values, so its answers are counted with the original's.

Every count is suppressed with the total it adds up to (primary and secondary). A count of
1 to threshold - 1 is hidden; zero is shown as zero; a question answered by fewer people
than the threshold has every non-zero count hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from analysis.perturb import cell_key, perturb_counts
from analysis.suppress import Key, suppress
from analysis.types import Cell
from survey.library import library
from survey.questionnaire.model import Questionnaire

CHOICE_TYPES = ("single_choice", "yes_no_sometimes", "faces")
ALL = "all"


@dataclass(frozen=True)
class Column:
    group: str
    total: Cell
    cells: list[Cell]  # one per option, in option order

    def share(self, i: int) -> float | None:
        cell = self.cells[i]
        if cell.count == 0:
            return 0.0  # none of them, however many they were
        if cell.count is None or self.total.count in (None, 0):
            return None
        return cell.count / self.total.count  # type: ignore[operator]


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    text: str
    labels: list[str]
    columns: list[Column]
    questionnaire: str = ""  # the questionnaire's title
    band: str = ""  # its age band ("" when it has none, as for adults)
    questionnaire_id: str = ""  # two questionnaires may share a title: this tells them apart

    @property
    def total(self) -> Cell:
        return self.columns[-1].total

    @property
    def options(self) -> list[tuple[str, Cell]]:
        """(label, cell) for each answer: what a chart draws."""
        return list(zip(self.labels, self.columns[-1].cells, strict=True))

    def percent(self, i: int) -> float | None:
        return self.columns[-1].share(i)


@dataclass
class _Table:
    questionnaire: Questionnaire
    question_id: str
    text: str
    options: list[tuple[str, str]]
    counts: dict[str, int]
    keys: dict[str, int]  # each answer's summed record keys (analysis.perturb)


def _family(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire an easy-read version belongs to (its latest version)."""
    if questionnaire.easy_read_of:
        return library().get(questionnaire.easy_read_of) or questionnaire
    return questionnaire


def _tables(
    rows: Sequence[tuple[str, int, str, Any]], keys: Sequence[int]
) -> dict[tuple[str, str], _Table]:
    tables: dict[tuple[str, str], _Table] = {}
    found: dict[tuple[str, int], Questionnaire | None] = {}
    for (qid, version, question_id, value), key in zip(rows, keys, strict=True):
        if (qid, version) not in found:
            found[(qid, version)] = library().get(qid, version)
        answered = found[(qid, version)]
        question = answered.question(question_id) if answered else None
        if question is None or question.type not in CHOICE_TYPES or not isinstance(value, str):
            continue
        family = _family(answered)  # type: ignore[arg-type]
        name = (family.id, question_id)
        if name not in tables:
            own = family.question(question_id) or question
            options = [(o.value, o.label) for o in own.options]
            tables[name] = _Table(family, question_id, own.text, options, {}, {})
        table = tables[name]
        table.counts[value] = table.counts.get(value, 0) + 1
        table.keys[value] = table.keys.get(value, 0) + key
    return tables


def _result(table: _Table, limit: int, perturbed: bool) -> QuestionResult:
    values = [v for v, _label in table.options]
    total = sum(table.counts.get(v, 0) for v in values)
    counts: dict[Key, int] = {("n",): total, **{(v,): table.counts.get(v, 0) for v in values}}
    # A small question hides every answer given, but an answer nobody gave stays 0.
    small = [k for k, n in counts.items() if total < limit and n > 0]
    if perturbed:
        keys: dict[Key, int] = {(v,): table.keys.get(v, 0) for v in values}
        keys[("n",)] = cell_key(keys.values())
        counts = perturb_counts(counts, keys, limit)
    cells = suppress(counts, [[("n",), *[(v,) for v in values]]], limit, forced=small)
    band = table.questionnaire.age_band or ""
    return QuestionResult(
        table.question_id,
        table.text,
        [label for _value, label in table.options],
        [Column(band or ALL, cells[("n",)], [cells[(v,)] for v in values])],
        questionnaire=table.questionnaire.title,
        band=band,
        questionnaire_id=table.questionnaire.id,
    )


def tabulate(
    rows: Sequence[tuple[str, int, str, Any]], limit: int, keys: Sequence[int] | None = None
) -> list[QuestionResult]:
    """``rows``: (questionnaire id, version, question id, answer value) for the selection;
    ``keys``, each row's record key, perturbs the counts (``analysis.perturb``).

    Tables come grouped by questionnaire (youngest age band first), questions in the
    questionnaire's own order.
    """
    tables = _tables(rows, keys if keys is not None else [0] * len(rows))
    return [_result(t, limit, keys is not None) for t in sorted(tables.values(), key=_order)]


@dataclass(frozen=True)
class QuestionnaireGroup:
    """One questionnaire's tables, as the summary and the reports' appendix show them."""

    title: str
    band: str
    questions: list[QuestionResult]


def by_questionnaire(results: Sequence[QuestionResult]) -> list[QuestionnaireGroup]:
    """``tabulate``'s tables, one group per questionnaire, in its order (youngest first).

    Grouped by id, never by title: "Your life, your say" is the title for 8 to 11 and for
    11 to 17 year olds, and grouping by title put the older ones' answers under the
    younger ones' heading.
    """
    groups: dict[str, QuestionnaireGroup] = {}
    for result in results:
        key = result.questionnaire_id or result.questionnaire
        if key not in groups:
            groups[key] = QuestionnaireGroup(result.questionnaire, result.band, [])
        groups[key].questions.append(result)
    return list(groups.values())


def _order(table: _Table) -> tuple[int, str, str, int]:
    """Youngest age band first (adults' questionnaires last), then the questionnaire's order
    (its id keeps two questionnaires of one title and band apart)."""
    band = table.questionnaire.age_band or ""
    youngest = int(band.split("-")[0]) if band[:1].isdigit() else 999
    ids = list(table.questionnaire.questions_by_id)
    place = ids.index(table.question_id) if table.question_id in ids else len(ids)
    return youngest, table.questionnaire.title, table.questionnaire.id, place
