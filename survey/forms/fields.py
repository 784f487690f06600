"""WTForms fields the catalogue lacks: a GOV.UK-style date in three boxes; and the
clean-up every typed answer gets."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from wtforms import Field
from wtforms.widgets import TextInput

# Control characters (except tab and newline) and Unicode noncharacters: invisible, never
# meant, and not allowed in an HTML page, so an answer holding them could not be shown back.
_NONCHARACTERS = "".join(chr(plane * 0x10000 + 0xFFFE + i) for plane in range(17) for i in (0, 1))
# Direction embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069): a U+202E
# in a complaint made it read backwards on the staff pages. The zero width space (U+200B)
# shows nothing but splits a word, so a search or a safeguarding word list misses it.
# Kept: the left-to-right and right-to-left marks (U+200E, U+200F), which Urdu writers use
# among digits and Latin words, and the joiners (U+200C, U+200D), which Urdu words and
# emoji need.
_FORMAT_CONTROLS = "\u200b\u202a-\u202e\u2066-\u2069"
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef" + _FORMAT_CONTROLS + _NONCHARACTERS + "]"
)


def visible(value: Any) -> Any:
    """Typed text without invisible characters; anything else unchanged."""
    return _INVISIBLE.sub("", value) if isinstance(value, str) else value


class DatePartsField(Field):  # type: ignore[misc]  # WTForms ships no types
    """Reads ``<name>-day``, ``<name>-month`` and ``<name>-year``.

    Three boxes are easier on a phone than a date picker and need no JavaScript.
    ``data`` is a ``date`` when the parts make one; ``parts`` keeps what was typed so an
    error page shows it back unchanged.
    """

    widget = TextInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parts: dict[str, str] = {"day": "", "month": "", "year": ""}
        self.parse_error: str | None = None

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        self.process_errors: list[str] = []
        self.data = None
        self.parse_error = None
        if formdata is None or not any(f"{self.name}-{k}" in formdata for k in self.parts):
            # Stored answers arrive as a date; anything else (WTForms' "unset") is no date.
            if isinstance(data, date):
                self.data = data
                self.parts = {
                    "day": str(data.day),
                    "month": str(data.month),
                    "year": str(data.year),
                }
            self.raw_data = []
            return
        self.parts = {
            k: visible(str(formdata.get(f"{self.name}-{k}", ""))).strip()[:6] for k in self.parts
        }
        self.raw_data = [v for v in self.parts.values() if v]
        filled = [v for v in self.parts.values() if v]
        if not filled:
            return
        if len(filled) < 3:
            self.parse_error = "date_incomplete"
            return
        try:
            day, month, year = (int(self.parts[k]) for k in ("day", "month", "year"))
        except ValueError:
            self.parse_error = "date_invalid"
            return
        if 0 <= year < 1000:  # "26", "026": the century is not guessed
            self.parse_error = "date_year_digits"
            return
        try:
            if year > 2100:
                raise ValueError("year out of range")
            # How long ago a year may be is the question's check (handlers.py), not a parse error.
            self.data = date(year, month, day)
        except ValueError:
            self.parse_error = "date_invalid"

    def _value(self) -> str:
        return ""
