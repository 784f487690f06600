"""``heard analyse FILE.csv --text-column NAME``: the engine on a spreadsheet export.

Participation workers often have feedback in a CSV (an old survey, a complaints log).
This command adds sentiment, themes, safeguarding flags and redacted text to every row
without the web app. Registered in the ``heard`` CLI by the survey package; it only uses
click and the analysis package itself.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import click

from analysis.engine import analyse
from analysis.sentiment import SentimentModel
from analysis.themes import ThemeModel
from analysis.types import Insight

OUTPUT_COLUMNS = (
    "sentiment",
    "polarity",
    "themes",
    "safeguarding_flag",
    "safeguarding_level",
    "safeguarding_reason",
    "safeguarding_matched",
    "redacted_text",
    "language",
    "needs_reader",
)
BATCH = 500


def _columns(insight: Insight) -> list[str]:
    flag = insight.safeguarding
    return [
        insight.sentiment,
        f"{insight.polarity:.3f}",
        ";".join(insight.themes),
        flag.category if flag else "",
        flag.level if flag else "",
        flag.reason if flag else "",
        "; ".join(flag.matched) if flag else "",
        insight.redacted,
        insight.language,
        "yes" if insight.needs_reader else "",
    ]


def _batches(rows: list[list[str]], size: int) -> Iterator[list[list[str]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _read(path: Path, text_column: str) -> tuple[list[str], list[list[str]], int]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise click.BadParameter("the file is empty", param_hint="FILE")
        if text_column not in header:
            raise click.BadParameter(
                f"no column called {text_column!r}; the columns are: {', '.join(header)}",
                param_hint="--text-column",
            )
        rows = [row + [""] * (len(header) - len(row)) for row in reader]
    return header, rows, header.index(text_column)


def _write(
    out: TextIO,
    header: list[str],
    rows: list[list[str]],
    column: int,
    models: tuple[ThemeModel | None, SentimentModel | None],
) -> int:
    writer = csv.writer(out)
    writer.writerow([*header, *OUTPUT_COLUMNS])
    flagged = 0
    with click.progressbar(
        length=len(rows), label="Analysing", file=sys.stderr, show_pos=True
    ) as bar:
        for batch in _batches(rows, BATCH):
            insights = analyse([r[column] for r in batch], themes=models[0], sentiment=models[1])
            for row, insight in zip(batch, insights, strict=True):
                writer.writerow([*row, *_columns(insight)])
                flagged += insight.safeguarding is not None
            bar.update(len(batch))
    return flagged


@click.command("analyse")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--text-column", required=True, help="Name of the column holding the comments.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="CSV to write (default: standard output).",
)
@click.option(
    "--themes-model",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A trained ThemeModel saved with ThemeModel.save (default: the shipped taxonomy).",
)
@click.option(
    "--sentiment-model",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A trained SentimentModel saved with SentimentModel.save (default: the rules).",
)
def analyse_command(
    file: Path,
    text_column: str,
    output: Path | None,
    themes_model: Path | None,
    sentiment_model: Path | None,
) -> None:
    """Add sentiment, themes, safeguarding flags and redacted text to each row of FILE."""
    header, rows, column = _read(file, text_column)
    models = (
        ThemeModel.load(themes_model) if themes_model else None,
        SentimentModel.load(sentiment_model) if sentiment_model else None,
    )
    if output is None:
        flagged = _write(sys.stdout, header, rows, column, models)
    else:
        with output.open("w", newline="", encoding="utf-8") as handle:
            flagged = _write(handle, header, rows, column, models)
    click.echo(f"Analysed {len(rows)} rows; {flagged} flagged for safeguarding.", err=True)
    if flagged:
        click.echo("Flagged rows need a safeguarding lead to read them today.", err=True)


if __name__ == "__main__":  # pragma: no cover
    analyse_command()
