"""CSV and XLSX: the suppressed theme table for anyone who may see summaries, and raw
responses (as the staff side's CSV) only for roles that may read raw answers."""

from __future__ import annotations

import csv
import io

from .summary import Summary

FORMULA = ("=", "+", "-", "@")


def safe(value: str) -> str:
    """A leading = + - @ would run as a formula in a spreadsheet: prefix it."""
    return "'" + value if value[:1] in FORMULA else value


def theme_table(summary: Summary) -> tuple[list[str], list[list[str]]]:
    header = ["theme", "comments", "share", "negative", "neutral", "positive", "change_points"]
    rows = [
        [
            row.name,
            row.current.count.shown,
            "" if row.current.share is None else f"{row.current.share:.4f}",
            row.current.negative.shown,
            row.current.neutral.shown,
            row.current.positive.shown,
            "" if row.change is None else f"{row.change:+.1f}",
        ]
        for row in summary.themes
    ]
    return header, rows


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(header: list[str], rows: list[list[str]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([safe(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
