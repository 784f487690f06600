"""How long Heard keeps what people typed, per kind of campaign.

The DESIGN brief: personal data is kept only as long as the retention setting says. Free
text is where names, places and disclosures live, so it is what expires; the closed-question
answers (faces, choices, scales) are what the aggregates and year-on-year comparisons are
built from, and they are kept. The settings are data, so a council changes them in a YAML
file reviewed by its data protection officer, not in code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

#: Answer types that hold a person's own words.
FREE_TEXT_TYPES = frozenset({"free_text"})

#: Months after submission; keyed by the questionnaire's ``kind`` (survey, feedback,
#: complaint). Complaints records are usually kept for six years after closure.
DEFAULT_MONTHS = {"survey": 24, "feedback": 24, "complaint": 72}
DEFAULT_FALLBACK = 24


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

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Retention:
        """Shape: ``{default: 24, kinds: {survey: 24}, questionnaires: {some-id: 6}}``."""

        def months(value: Any, where: str) -> int:
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"retention {where}: months must be a whole number above 0")
            return value

        unknown = set(data) - {"default", "kinds", "questionnaires"}
        if unknown:
            raise ValueError(f"retention: unknown settings {sorted(unknown)}")
        kinds = {k: months(v, f"kinds.{k}") for k, v in (data.get("kinds") or {}).items()}
        ids = {
            k: months(v, f"questionnaires.{k}")
            for k, v in (data.get("questionnaires") or {}).items()
        }
        return cls(
            by_kind={**DEFAULT_MONTHS, **kinds},
            by_questionnaire=ids,
            default=months(data.get("default", DEFAULT_FALLBACK), "default"),
        )

    @classmethod
    def load(cls, path: Path | None) -> Retention:
        """The file if there is one, else the defaults."""
        if path is None or not path.exists():
            return cls()
        return cls.from_mapping(yaml.safe_load(path.read_text()) or {})


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
