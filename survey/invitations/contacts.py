"""Reading a list of invitees from a spreadsheet saved as CSV, and saying what is wrong.

A council's list comes from a case system or a spreadsheet: comma, semicolon or tab
separated, in UTF-8, Windows' own encoding, or the UTF-16 Excel writes for "Unicode text".
Every row is checked before anything is kept, and each problem names the row (as the
spreadsheet numbers it, the header being row 1), the cell and how to fix it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _

MAX_ROWS = 20_000
#: Header words (lower case, letters and digits only) -> the column they mean.
COLUMNS = {
    "name": "name",
    "fullname": "name",
    "firstname": "name",
    "email": "email",
    "emailaddress": "email",
    "mobile": "mobile",
    "mobilenumber": "mobile",
    "phone": "mobile",
    "phonenumber": "mobile",
    "language": "language",
    "preferredlanguage": "language",
    "caseid": "case_id",
    "casenumber": "case_id",
    "casereference": "case_id",
}
#: Language names a spreadsheet may hold instead of the code.
LANGUAGE_NAMES = {
    "english": "en",
    "polish": "pl",
    "polski": "pl",
    "urdu": "ur",
    "اردو": "ur",
}
_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[A-Za-z]{2,}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: What may be trimmed from either end of a cell: white space and control characters.
_ENDS = "".join(chr(c) for c in range(0x21)) + "\x7f"


def _hidden(value: str) -> bool:
    """Whether ``value`` holds a character a reader would not see: a control or format
    character (a zero-width space, say), or the mark of a byte that could not be read."""
    return any(ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Cf") for ch in value)


@dataclass(frozen=True)
class Row:
    line: int
    name: str | None
    email: str | None
    mobile: str | None
    language: str
    case_id: str | None


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def decode(data: bytes) -> str:
    """The file's text: UTF-16 (with its byte-order mark, as Excel writes it), UTF-8, or
    Windows-1252 when it is neither."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    # UTF-16 without a byte-order mark: in its plain-letter text every other byte is NUL (a
    # stray NUL in a UTF-8 file is not enough; that row is then refused for what it holds)
    head = data[:200]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if len(head) >= 4 and odd > len(head) // 4 and even * 4 < odd:
        return data.decode("utf-16-le", errors="replace")
    if len(head) >= 4 and even > len(head) // 4 and odd * 4 < even:
        return data.decode("utf-16-be", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def mobile_number(raw: str) -> str | None:
    """A mobile number in international form (+447700900123), or None if it is not one.

    UK numbers may be written 07700 900123, +44 7700 900123 or 0044...; a spreadsheet that
    dropped the leading 0 (7700900123) is read as a UK mobile too. Other countries' numbers
    need their + and country code.
    """
    digits = re.sub(r"[\s().-]", "", raw)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"07\d{9}", digits):
        return "+44" + digits[1:]
    if re.fullmatch(r"7\d{9}", digits):
        return "+44" + digits
    if re.fullmatch(r"\+?447\d{9}", digits):
        return "+" + digits.lstrip("+")
    if digits.startswith("+44"):
        return None  # a UK landline: text messages cannot reach it
    if re.fullmatch(r"\+[1-9]\d{7,14}", digits):
        return digits
    return None


def _table(text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _header(cells: list[str]) -> tuple[dict[str, int], str | None]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = re.sub(r"[^a-z0-9]", "", cell.strip().lower())
        column = COLUMNS.get(key)
        if column is None:
            return {}, _(
                "The column '%(column)s' is not one Heard reads. The first row must name the "
                "columns: name, email, mobile, language, case id (in any order; leave out "
                "those you do not have). Remove any other column, such as a date of birth: "
                "Heard does not need it.",
                column=cell.strip()[:40] or _("(no name)"),
            )
        if column in found:
            return {}, _("Two columns are called '%(column)s'. Keep one.", column=cell.strip())
        found[column] = index
    if "email" not in found and "mobile" not in found:
        return {}, _(
            "The file has no email or mobile column. The first row must name the columns: "
            "name, email, mobile, language, case id."
        )
    return found, None


def _language(raw: str, languages: Sequence[str]) -> str | None:
    value = raw.strip().lower()
    if not value:
        return languages[0]
    code = str(LANGUAGE_NAMES.get(value, value))
    return code if code in languages else None


def _row(
    line: int, cells: list[str], columns: dict[str, int], languages: Sequence[str]
) -> tuple[Row | None, str | None]:
    """(Row, None) or (None, the problem)."""

    def cell(name: str, keep_control: bool = False) -> str:
        index = columns.get(name)
        value = cells[index] if index is not None and index < len(cells) else ""
        return value.strip().strip(_ENDS) if keep_control else _CONTROL.sub("", value).strip()

    name, phone, case_id = cell("name"), cell("mobile"), cell("case_id")
    # An address with a hidden character inside is refused, not joined up into another
    # address ("a<NUL>b@..." is not "ab@..."); at either end it is only trimmed.
    email = cell("email", keep_control=True)
    if not email and not phone:
        return None, _("Row %(n)d has no email address or mobile number.", n=line)
    if email and (_hidden(email) or not _EMAIL.match(email)):
        return None, _(
            "Row %(n)d: '%(value)s' is not an email address. Write it like name@example.com.",
            n=line,
            value="".join("?" if _hidden(ch) else ch for ch in email)[:60],
        )
    mobile = mobile_number(phone) if phone else None
    if phone and mobile is None:
        return None, _(
            "Row %(n)d: '%(value)s' is not a mobile number. Write a UK mobile like "
            "07700 900123, or another country's with its code, like +48 601 234 567.",
            n=line,
            value=phone[:30],
        )
    language = _language(cell("language"), languages)
    if language is None:
        return None, _(
            "Row %(n)d: the language '%(value)s' is not offered by this campaign. Use one of: "
            "%(codes)s, or leave it empty.",
            n=line,
            value=cell("language")[:30],
            codes=", ".join(languages),
        )
    if len(name) > 120 or len(case_id) > 64:
        return None, _("Row %(n)d: a name or case id is too long.", n=line)
    case_id = case_id.upper()  # case numbers are compared without regard to case
    row = Row(line, name or None, email.lower() or None, mobile, language, case_id or None)
    return row, None


def _duplicate(row: Row, seen: dict[tuple[str, str], int]) -> str | None:
    """The problem if ``row`` repeats an earlier one: the same case id, or (without case
    ids to tell them apart) the same email address or mobile number."""
    keys = [("case", row.case_id)] if row.case_id else []
    if not row.case_id:
        keys += [("email", row.email or ""), ("mobile", row.mobile or "")]
    for kind, value in keys:
        if value and (kind, value) in seen:
            what = {
                "case": _("case id"),
                "email": _("email address"),
                "mobile": _("mobile number"),
            }[kind]
            return str(
                _(
                    "Row %(n)d has the same %(what)s as row %(first)d. Remove one, or give each "
                    "a case id if they are different people (for example, brothers and sisters "
                    "with one carer).",
                    n=row.line,
                    what=what,
                    first=seen[(kind, value)],
                )
            )
    for kind, value in keys:
        if value:
            seen[(kind, value)] = row.line
    return None


def parse(data: bytes, languages: Sequence[str]) -> Parsed:
    """Every row checked; ``problems`` empty means every row can be added."""
    languages = list(languages) or ["en"]
    parsed = Parsed()
    try:
        cells_by_line = _table(decode(data))
    except csv.Error:  # a cell over the csv module's limit (128 KB)
        message = _(
            "Heard cannot read the file as a table: a cell is far too long. Check the file, "
            "save it again as CSV and add it again."
        )
        parsed.problems.append(Problem(0, message))
        return parsed
    table = [
        (line, cells)
        for line, cells in enumerate(cells_by_line, start=1)
        if any(c.strip() for c in cells)
    ]
    if not table:
        parsed.problems.append(Problem(0, _("The file is empty.")))
        return parsed
    if len(table) - 1 > MAX_ROWS:
        message = _(
            "The file has %(n)d rows; Heard takes up to %(max)d at once. Split it into "
            "smaller files and add each.",
            n=len(table) - 1,
            max=MAX_ROWS,
        )
        parsed.problems.append(Problem(0, message))
        return parsed
    columns, error = _header(table[0][1])
    if error:
        parsed.problems.append(Problem(table[0][0], error))
        return parsed
    seen: dict[tuple[str, str], int] = {}
    for line, cells in table[1:]:
        row, problem = _row(line, cells, columns, languages)
        if row is not None:
            problem = _duplicate(row, seen)
        if problem or row is None:
            parsed.problems.append(Problem(line, problem or ""))
        else:
            parsed.rows.append(row)
    return parsed
