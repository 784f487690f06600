"""Immutable questionnaire types.

A questionnaire file is parsed once into these frozen dataclasses so that the runner, the
form builder and the staff pages share one checked picture of it and nothing can change it
while requests are being served.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Every answer type a questionnaire may use. The form-field registry, the template
#: partials and the JSON Schema files must all cover exactly this set (a test checks).
ANSWER_TYPES: tuple[str, ...] = (
    "single_choice",
    "multiple_choice",
    "yes_no_sometimes",
    "faces",
    "scale",
    "free_text",
    "number",
    "date",
    "consent",
)

#: The fixed labels of the five faces, worst to best. A questionnaire may reword them but
#: every face always carries a text label: a face alone means nothing to a screen reader.
DEFAULT_FACES: tuple[tuple[str, str], ...] = (
    ("1", "Very sad"),
    ("2", "Sad"),
    ("3", "In the middle"),
    ("4", "Happy"),
    ("5", "Very happy"),
)

YES_NO_SOMETIMES: tuple[tuple[str, str], ...] = (
    ("yes", "Yes"),
    ("sometimes", "Sometimes"),
    ("no", "No"),
)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str | None = None
    exclusive: bool = False  # "None of these" in a multiple choice clears the others
    icon: str | None = None  # a picture beside the label (easy read): templates/answers/_icons.html


@dataclass(frozen=True)
class Condition:
    """Show a page or question only when an earlier answer matches.

    Exactly one of ``equals``, ``in_``, ``not_in``, ``includes`` or ``answered`` is set;
    ``all_of``/``any_of`` combine conditions.
    """

    question: str | None = None
    equals: Any = None
    in_: tuple[Any, ...] | None = None
    not_in: tuple[Any, ...] | None = None
    includes: str | None = None
    answered: bool | None = None
    all_of: tuple[Condition, ...] = ()
    any_of: tuple[Condition, ...] = ()

    def referenced_questions(self) -> tuple[str, ...]:
        own = (self.question,) if self.question else ()
        nested = tuple(q for c in self.all_of + self.any_of for q in c.referenced_questions())
        return own + nested


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: str
    help: str | None = None
    optional: bool = False
    when: Condition | None = None
    options: tuple[Option, ...] = ()
    max_length: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    min_label: str | None = None
    max_label: str | None = None
    integer: bool = True
    multiline: bool = True
    # ``false`` marks a name or contact box: screened for safeguarding as every box is (a
    # child may write a disclosure anywhere), never analysed, so its words reach no summary
    # or quote (survey/insights/raising.py ``_screen_contact``).
    sensitive: bool = False
    statement: str | None = None  # consent: what the person agrees to
    past_only: bool = False  # date: must not be in the future
    messages: tuple[tuple[str, str], ...] = ()
    # Choice answers that raise a safeguarding flag when sent: (answer value, level), e.g.
    # ("no", "current") on "Do you feel safe where you live?". A child who ticks it and
    # writes nothing has still told us (survey/insights/raising.py flag_choice_answers).
    flag: tuple[tuple[str, str], ...] = ()
    # Kept apart from the other answers (a check-in request): never shown beside them on the
    # answer pages or in the exports; a contact box kept apart is read on the check-in list
    # (survey/staff/checkins.py) and by the lead on a flag of the same response.
    kept_apart: bool = False
    # Free text that must look like something: "email" (name@example.org).
    format: str | None = None

    @property
    def contact_box(self) -> bool:
        """A name or contact box (free text marked ``sensitive: false``): screened, never
        analysed, and read only by those who pass it on."""
        return self.type == "free_text" and not self.sensitive

    def message(self, key: str) -> str | None:
        return dict(self.messages).get(key)

    def option_label(self, value: str) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        return value


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    questions: tuple[Question, ...]
    intro: str | None = None
    when: Condition | None = None


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: int
    title: str
    audience: str
    age_band: str | None
    languages: tuple[str, ...]
    reading_level: str
    description: str
    privacy: str
    minutes: int
    pages: tuple[Page, ...]
    kind: str = "survey"
    easy_read_of: str | None = None
    source: str = ""  # the file it was loaded from, for messages
    questions_by_id: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)
    page_of_question: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def page(self, page_id: str) -> Page | None:
        for page in self.pages:
            if page.id == page_id:
                return page
        return None

    def question(self, question_id: str) -> Question | None:
        return self.questions_by_id.get(question_id)

    @property
    def kept_apart(self) -> tuple[Question, ...]:
        """The questions kept apart from the other answers, in the questionnaire's order."""
        return tuple(q for q in self.questions_by_id.values() if q.kept_apart)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"
