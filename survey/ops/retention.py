"""How long Heard keeps what people typed, per kind of campaign.

The DESIGN brief: personal data is kept only as long as the retention setting says. Free
text is where names, places and disclosures live, so it is what expires; the closed-question
answers (faces, choices, scales) are what the aggregates and year-on-year comparisons are
built from, and they are kept. The settings are data, so a council changes them in a YAML
file reviewed by its data protection officer, not in code.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from survey.paths import QUESTIONNAIRES

#: Answer types that hold a person's own words.
FREE_TEXT_TYPES = frozenset({"free_text"})

#: Months after submission; keyed by the questionnaire's ``kind`` (survey, feedback,
#: complaint). Complaints records are usually kept for six years after closure.
DEFAULT_MONTHS = {"survey": 24, "feedback": 24, "complaint": 72}
DEFAULT_FALLBACK = 24

#: The kinds a questionnaire may be, from its schema, so a misspelt kind is refused here.
KINDS: tuple[str, ...] = tuple(
    json.loads((QUESTIONNAIRES / "schema" / "questionnaire.json").read_text())["properties"][
        "kind"
    ]["enum"]
)


def _mapping(value: Any, where: str) -> dict[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"retention {where}: give names and months, like {{survey: 24}}")
    return value


@dataclass(frozen=True)
class Retention:
    """Months to keep free text, by questionnaire kind, with per-questionnaire overrides."""

    by_kind: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_MONTHS))
    by_questionnaire: dict[str, int] = field(default_factory=dict)
    default: int = DEFAULT_FALLBACK

    def months_for(self, questionnaire_id: str, kind: str | None) -> int:
        if questionnaire_id in self.by_questionnaire:
            return self.by_questionnaire[questionnaire_id]
        return self.by_kind.get(kind or "", self.default)

    def cutoff(
        self,
        now: datetime,
        questionnaire_id: str,
        version: int,
        kind_of: Callable[[str, int], str | None],
    ) -> datetime:
        """Free text of this questionnaire version from before this moment is past its
        date: the one rule for ``heard purge`` and the safeguarding queue's notice."""
        months = self.months_for(questionnaire_id, kind_of(questionnaire_id, version))
        return months_before(now, months)

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Retention:
        """Shape: ``{default: 24, kinds: {survey: 24}, questionnaires: {some-id: 6}}``."""

        def months(value: Any, where: str) -> int:
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 1200:
                raise ValueError(f"retention {where}: months must be a whole number from 1 to 1200")
            return value

        data = _mapping(data, "file")
        unknown = set(data) - {"default", "kinds", "questionnaires"}
        if unknown:
            raise ValueError(f"retention: unknown settings {sorted(map(str, unknown))}")
        given = _mapping(data.get("kinds"), "kinds")
        wrong = sorted(str(k) for k in given if k not in KINDS)
        if wrong:
            raise ValueError(
                f"retention kinds: unknown kind {', '.join(wrong)}; a kind is "
                f"{', '.join(KINDS[:-1])} or {KINDS[-1]}"
            )
        kinds = {k: months(v, f"kinds.{k}") for k, v in given.items()}
        ids = {
            str(k): months(v, f"questionnaires.{k}")
            for k, v in _mapping(data.get("questionnaires"), "questionnaires").items()
        }
        return cls(
            by_kind={**DEFAULT_MONTHS, **kinds},
            by_questionnaire=ids,
            default=months(data.get("default", DEFAULT_FALLBACK), "default"),
        )

    @classmethod
    def load(cls, path: Path | None) -> Retention:
        """The file, or the defaults when there is none (``path`` None). A file named but
        not there is an error, not the defaults: someone meant their own settings."""
        if path is None:
            return cls()
        try:
            text = path.read_text()
        except OSError as error:
            raise ValueError(f"retention file {path}: cannot be read ({error.strerror})") from None
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" near line {mark.line + 1}" if mark is not None else ""
            raise ValueError(f"retention file {path}: not valid YAML{where}") from None
        try:
            return cls.from_mapping(data)
        except ValueError as error:
            raise ValueError(f"{error} (in {path})") from None

    def describe(self) -> str:
        """The months in force, in words, for the person running the purge."""
        kinds = ", ".join(f"{kind} {self.by_kind.get(kind, self.default)} months" for kind in KINDS)
        said = f"Months kept: {kinds}; otherwise {self.default} months"
        if self.by_questionnaire:
            ids = ", ".join(f"{k} {v} months" for k, v in sorted(self.by_questionnaire.items()))
            said += f"; by questionnaire: {ids}"
        return said + "."


def months_before(moment: datetime, months: int) -> datetime:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def settings_file(configured: str | None, instance_path: str) -> Path | None:
    """The retention file in force: HEARD_RETENTION_FILE (which must then exist), else
    instance/retention.yaml when present, else None (the defaults). ``heard purge`` and the
    safeguarding queue must read the same one, or the queue's notice misleads."""
    if configured:
        return Path(configured)
    default = Path(instance_path) / "retention.yaml"
    return default if default.exists() else None
