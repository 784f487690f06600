"""Numbers from URLs: a reference, a page of results. Anything that is not a plain, small
positive number (``²``, ``99999999999999999999``, ``-1``) is treated as not found, never
passed to the database, where it would overflow an integer column."""

from __future__ import annotations

from flask import request

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is wider
MAX_PAGE = 100_000


def parse_id(text: str | int | None) -> int | None:
    """The id in ``text``, or None when it is not one."""
    if isinstance(text, int):
        return text if 0 < text <= MAX_ID else None
    if not text or len(text) > 10 or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def page_arg(name: str = "page") -> int:
    """A page number from the query string: 1 when missing or not a number."""
    value = parse_id(request.args.get(name, ""))
    return min(value, MAX_PAGE) if value else 1
