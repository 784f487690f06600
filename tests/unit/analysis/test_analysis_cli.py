"""``heard analyse FILE.csv --text-column NAME`` through click's test runner."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from analysis.cli import OUTPUT_COLUMNS, analyse_command
from analysis.sentiment import SentimentModel


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "feedback.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "comment"])
        writer.writerow(["1", "my sw Kayleigh never rings me back"])
        writer.writerow(["2", "I want to kill myself"])
        writer.writerow(["3", "Nothing was too much trouble, thank you"])
    return path


def test_writes_one_row_per_comment_with_every_column(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        analyse_command, [str(_csv(tmp_path)), "--text-column", "comment", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 3
    assert set(OUTPUT_COLUMNS) <= set(rows[0])
    assert rows[0]["sentiment"] == "negative" and "communication" in rows[0]["themes"]
    assert rows[0]["redacted_text"] == "my sw [NAME] never rings me back"
    assert rows[1]["safeguarding_flag"] == "self_harm"
    assert rows[2]["sentiment"] == "positive" and rows[2]["safeguarding_flag"] == ""
    assert "1 flagged for safeguarding" in result.output


def test_writes_to_standard_output_by_default(tmp_path: Path) -> None:
    result = CliRunner().invoke(analyse_command, [str(_csv(tmp_path)), "--text-column", "comment"])
    assert result.exit_code == 0
    assert "redacted_text" in result.output


def test_missing_column_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(analyse_command, [str(_csv(tmp_path)), "--text-column", "text"])
    assert result.exit_code == 2
    assert "no column called 'text'" in result.output
    assert "id, comment" in result.output


def test_trained_sentiment_model_can_be_given(tmp_path: Path) -> None:
    model_path = tmp_path / "sentiment.json"
    SentimentModel().fit(
        ["grim", "dire", "ace", "mint"] * 3, ["negative"] * 6 + ["positive"] * 6
    ).save(model_path)
    result = CliRunner().invoke(
        analyse_command,
        [str(_csv(tmp_path)), "--text-column", "comment", "--sentiment-model", str(model_path)],
    )
    assert result.exit_code == 0, result.output
