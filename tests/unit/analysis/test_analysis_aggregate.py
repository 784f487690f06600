"""Aggregation: figures per theme and group, suppression that cannot be undone, quotes."""

from __future__ import annotations

from analysis.aggregate import ALL, sentiment_split, summarise_themes
from analysis.suppress import suppress
from analysis.types import Insight, SafeguardingFlag


def _insight(
    themes: tuple[str, ...],
    sentiment: str = "neutral",
    polarity: float = 0.0,
    text: str = "a comment that is long enough to quote here",
    flag: bool = False,
) -> Insight:
    return Insight(
        polarity=polarity,
        sentiment=sentiment,  # type: ignore[arg-type]
        themes=themes,
        safeguarding=SafeguardingFlag("harm", "r", ("hit me",)) if flag else None,
        redacted=text,
    )


def test_primary_suppression_hides_counts_under_the_threshold() -> None:
    cells = suppress({("a",): 3, ("b",): 0, ("c",): 7}, lines=[])
    assert cells[("a",)].count is None and cells[("a",)].shown == "fewer than 5"
    assert cells[("b",)].count == 0  # a zero identifies nobody
    assert cells[("c",)].count == 7


def test_secondary_suppression_stops_subtraction_from_a_total() -> None:
    counts = {("total",): 20, ("x",): 3, ("y",): 8, ("z",): 9}
    cells = suppress(counts, lines=[[("total",), ("x",), ("y",), ("z",)]])
    assert cells[("x",)].shown == "fewer than 5"
    assert cells[("y",)].suppressed and cells[("y",)].shown == "hidden"
    assert cells[("z",)].count == 9 and cells[("total",)].count == 20


def test_secondary_suppression_cascades_across_lines() -> None:
    counts = {("r1",): 10, ("r2",): 12, ("a1",): 3, ("a2",): 7, ("b1",): 7, ("b2",): 5}
    lines = [[("r1",), ("a1",), ("b1",)], [("r2",), ("a2",), ("b2",)], [("ca",), ("a1",), ("a2",)]]
    counts[("ca",)] = 10
    cells = suppress(counts, lines)
    hidden = {k for k, c in cells.items() if c.suppressed}
    for line in lines:
        assert len([k for k in line if k in hidden]) != 1


def _sample() -> tuple[list[Insight], list[str]]:
    insights = (
        [
            _insight(("communication",), "negative", -0.6, f"nobody rang me back {i} times")
            for i in range(8)
        ]
        + [
            _insight(("communication",), "positive", 0.7, f"she always texts back {i}")
            for i in range(3)
        ]
        + [_insight(("safety",), "negative", -0.8, "i do not feel safe", flag=True)]
        + [
            _insight(("activities",), "positive", 0.5, f"football club is great {i}")
            for i in range(6)
        ]
    )
    groups = ["8-11"] * 11 + ["11-18"] * 7
    return insights, groups


def test_theme_summary_counts_share_and_mean_polarity() -> None:
    insights, _ = _sample()
    rows = {r.theme: r for r in summarise_themes(insights)}
    comm = rows["communication"]
    assert comm.group == ALL and comm.count.count == 11
    assert comm.share == round(11 / 18, 4)
    assert comm.mean_polarity is not None and comm.mean_polarity < 0
    # 3 positive is under 5, so it is hidden; neutral is 0 and shown...
    assert comm.positive.shown == "fewer than 5"
    assert comm.neutral.count == 0
    # ...so the negative count (8) is hidden too, or 11 - 8 - 0 gives the 3 away.
    assert comm.negative.suppressed and comm.negative.shown == "hidden"


def test_small_theme_has_no_share_mean_or_quotes() -> None:
    insights, _ = _sample()
    safety = {r.theme: r for r in summarise_themes(insights)}["safety"]
    assert safety.count.shown == "fewer than 5"
    assert safety.share is None and safety.mean_polarity is None and safety.quotes == ()


def test_groups_get_an_all_row_and_suppression_covers_it() -> None:
    insights, groups = _sample()
    rows = summarise_themes(insights, groups)
    assert {r.group for r in rows} == {"8-11", "11-18", ALL}
    by = {(r.group, r.theme): r for r in rows}
    assert by[("8-11", "communication")].count.count == 11
    # activities: 6 in 11-18 and 0 in 8-11; the "all" row shows 6
    assert by[(ALL, "activities")].count.count == 6


def test_quotes_are_redacted_varied_and_never_flagged() -> None:
    insights, _ = _sample()
    rows = {r.theme: r for r in summarise_themes(insights, quotes=3)}
    quotes = rows["communication"].quotes
    assert 1 <= len(quotes) <= 3
    assert any("texts back" in q for q in quotes) and any("rang me" in q for q in quotes)
    assert all("do not feel safe" not in q for r in rows.values() for q in r.quotes)


def test_sentiment_split_suppresses_small_groups_whole() -> None:
    insights, groups = _sample()
    groups = ["tiny"] * 3 + ["big"] * 15
    split = sentiment_split(insights, groups)
    assert split["tiny"]["n"].suppressed
    assert all(split["tiny"][k].suppressed for k in ("negative", "neutral", "positive") if k)
    assert split[ALL]["n"].count == 18


def test_no_quote_from_an_answer_a_person_must_read_first() -> None:
    """An answer in a language the screen is not validated on (Polish, Urdu) may hold a
    disclosure until someone has read it: counted in its theme, never quoted."""
    from dataclasses import replace

    clear = [
        _insight(("communication",), text=f"my worker never rings me back, week {i}")
        for i in range(6)
    ]
    unread = replace(
        _insight(("communication",), text="mój pracownik nigdy nie oddzwania, nigdy"),
        language="pl",
        needs_reader=True,
    )
    [row] = summarise_themes([unread, *clear], quotes=3)
    assert row.count.count == 7 and row.quotes
    assert all("nigdy" not in quote for quote in row.quotes)
