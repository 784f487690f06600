"""The second validation layer: what JSON Schema cannot say about a questionnaire."""

from __future__ import annotations

from collections import Counter

from .model import Condition, Question, Questionnaire

CHOICE_TYPES = frozenset({"single_choice", "multiple_choice", "yes_no_sometimes", "faces", "scale"})


def meaning_problems(questionnaire: Questionnaire) -> list[str]:
    problems: list[str] = []
    problems += _duplicate_ids(questionnaire)
    problems += _routing_problems(questionnaire)
    problems += _option_problems(questionnaire)
    if not questionnaire.pages or all(p.when for p in questionnaire.pages[:1]):
        problems.append("$.pages[0]: the first page must always be shown (no 'when')")
    return problems


def _duplicate_ids(questionnaire: Questionnaire) -> list[str]:
    page_ids = Counter(p.id for p in questionnaire.pages)
    question_ids = Counter(q.id for p in questionnaire.pages for q in p.questions)
    problems = [f"$.pages: page id {i!r} is used {n} times" for i, n in page_ids.items() if n > 1]
    problems += [
        f"$.pages: question id {i!r} is used {n} times" for i, n in question_ids.items() if n > 1
    ]
    return problems


def _check_condition(condition: Condition, where: str, earlier: dict[str, Question]) -> list[str]:
    problems = []
    for question_id in condition.referenced_questions():
        if question_id not in earlier:
            problems.append(
                f"{where}.when: refers to question {question_id!r}, which is not on an earlier page"
            )
    problems += _values_exist(condition, where, earlier)
    return problems


def _values_exist(condition: Condition, where: str, earlier: dict[str, Question]) -> list[str]:
    problems = []
    for nested in condition.all_of + condition.any_of:
        problems += _values_exist(nested, where, earlier)
    question = earlier.get(condition.question or "")
    if question is None:
        return problems
    if condition.includes is not None and question.type != "multiple_choice":
        problems.append(f"{where}.when: 'includes' only works with a multiple_choice question")
    if question.type not in CHOICE_TYPES:
        return problems
    allowed = {o.value for o in question.options}
    values = [condition.equals] if condition.equals is not None else []
    values += list(condition.in_ or ()) + list(condition.not_in or ())
    values += [condition.includes] if condition.includes is not None else []
    for value in values:
        if str(value) not in allowed:
            quoting = (
                ' (YAML reads unquoted yes/no as true/false: write "yes")'
                if isinstance(value, bool)
                else ""
            )
            problems.append(
                f"{where}.when: {value!r} is not an answer to {question.id!r} "
                f"(choose from {', '.join(sorted(allowed))}){quoting}"
            )
    return problems


def _routing_problems(questionnaire: Questionnaire) -> list[str]:
    problems: list[str] = []
    earlier: dict[str, Question] = {}
    for p_index, page in enumerate(questionnaire.pages):
        where = f"$.pages[{p_index}]"
        if page.when:
            problems += _check_condition(page.when, where, earlier)
        for q_index, question in enumerate(page.questions):
            if question.when:
                problems += _check_condition(
                    question.when, f"{where}.questions[{q_index}]", earlier
                )
        earlier.update({q.id: q for q in page.questions})
    return problems


def _option_problems(questionnaire: Questionnaire) -> list[str]:
    problems = []
    for p_index, page in enumerate(questionnaire.pages):
        for q_index, question in enumerate(page.questions):
            where = f"$.pages[{p_index}].questions[{q_index}]"
            values = Counter(o.value for o in question.options)
            problems += [
                f"{where}.options: value {v!r} is used twice" for v, n in values.items() if n > 1
            ]
            if question.type != "multiple_choice" and any(o.exclusive for o in question.options):
                problems.append(f"{where}.options: 'exclusive' only applies to multiple_choice")
            low, high = question.min_value, question.max_value
            if low is not None and high is not None and low > high:
                problems.append(f"{where}: min ({low}) is greater than max ({high})")
            problems += _flag_problems(question, where)
    return problems


FLAG_TYPES = {"single_choice", "multiple_choice", "yes_no_sometimes", "faces"}


def _flag_problems(question: Question, where: str) -> list[str]:
    """A ``flag`` names answers of the question's own (a misspelt one would never fire)."""
    if not question.flag:
        return []
    if question.type not in FLAG_TYPES:
        return [f"{where}.flag: only a choice question's answers can raise a flag"]
    values = {o.value for o in question.options}
    return [
        f"{where}.flag: {value!r} is not one of this question's answers"
        for value, _ in question.flag
        if value not in values
    ]
