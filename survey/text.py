"""Staff-typed and respondent text made safe to store and to put in files.

Control characters (a vertical tab pasted from Word, a NUL) break XLSX and Word files and
hide text in CSVs; a leading ``=`` ``+`` ``-`` ``@`` (or a tab or carriage return before
one) runs as a formula when a spreadsheet opens a CSV or XLSX cell.
"""

from __future__ import annotations

import re
from typing import Any

#: C0 controls but tab and line breaks, DEL, and the bidirectional embeddings, overrides and
#: isolates, which make text read differently from what is stored ("Trojan Source"); the
#: right-to-left and left-to-right marks that Urdu text needs are kept.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def strip_control(text: str) -> str:
    """``text`` without control characters (tabs and line breaks are kept)."""
    return CONTROL.sub("", text)


def spreadsheet_cell(value: Any) -> str:
    """One cell for a CSV or XLSX export: no control characters, never a formula."""
    text = strip_control("" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_START) else text
