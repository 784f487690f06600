"""CSV and XLSX: the suppressed theme table for anyone who may see summaries, and raw
responses (as the staff side's CSV) only for roles that may read raw answers."""

from __future__ import annotations

from survey.spreadsheets import csv_bytes, xlsx_bytes

from .summary import Summary

__all__ = ["csv_bytes", "theme_table", "xlsx_bytes"]


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
