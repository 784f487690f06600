"""Figures for QA groups and boards: per theme, per group, never a person's identity.

Every count passes through small-number suppression (``analysis.suppress``) with the
totals it adds up to, so a hidden cell cannot be worked out from what is shown. Quotes
are taken only from redacted text, never from flagged answers (those go to the
safeguarding lead, not into a report), and only for themes whose count is published.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from analysis.quotes import representative_quotes
from analysis.suppress import DEFAULT_THRESHOLD, Key, suppress
from analysis.types import SENTIMENT_LABELS, Cell, Insight, ThemeSummary

ALL = "all"


def _index(insights: Sequence[Insight], groups: Sequence[str] | None) -> dict[str, list[int]]:
    if groups is not None and len(groups) != len(insights):
        raise ValueError("groups and insights differ in length")
    by_group: dict[str, list[int]] = defaultdict(list)
    for i in range(len(insights)):
        by_group[groups[i] if groups is not None else ALL].append(i)
    return dict(sorted(by_group.items()))


def _hits(
    insights: Sequence[Insight], by_group: dict[str, list[int]], themes: list[str]
) -> dict[tuple[str, str], list[int]]:
    """The insights carrying each theme, per group: one pass over the insights."""
    wanted = set(themes)
    hits: dict[tuple[str, str], list[int]] = {(g, t): [] for g in by_group for t in themes}
    for group, idx in by_group.items():
        for i in idx:
            for theme in set(insights[i].themes) & wanted:
                hits[(group, theme)].append(i)
    return hits


def _counts(
    insights: Sequence[Insight],
    by_group: dict[str, list[int]],
    themes: list[str],
    hits: dict[tuple[str, str], list[int]],
) -> tuple[dict[Key, int], list[list[Key]]]:
    """Every published count, and the sums that tie them together."""
    counts: dict[Key, int] = {}
    lines: list[list[Key]] = []
    for group, idx in by_group.items():
        counts[("n", group)] = len(idx)
        for theme in themes:
            found = hits[(group, theme)]
            counts[("count", group, theme)] = len(found)
            moods = Counter(insights[i].sentiment for i in found)
            for label in SENTIMENT_LABELS:
                counts[(label, group, theme)] = moods.get(label, 0)
            split: list[Key] = [(s, group, theme) for s in SENTIMENT_LABELS]
            lines.append([("count", group, theme), *split])
    if len(by_group) > 1:
        _add_totals(counts, lines, list(by_group), themes)
    return counts, lines


def _add_totals(
    counts: dict[Key, int], lines: list[list[Key]], groups: list[str], themes: list[str]
) -> None:
    """An "all" row is published too, so each column adds up to it."""
    counts[("n", ALL)] = sum(int(counts[("n", g)]) for g in groups)
    lines.append([("n", ALL), *[("n", g) for g in groups]])
    for theme in themes:
        for kind in ("count", *SENTIMENT_LABELS):
            counts[(kind, ALL, theme)] = sum(int(counts[(kind, g, theme)]) for g in groups)
            lines.append([(kind, ALL, theme), *[(kind, g, theme) for g in groups]])
        lines.append([("count", ALL, theme), *[(s, ALL, theme) for s in SENTIMENT_LABELS]])


def summarise_themes(
    insights: Sequence[Insight],
    groups: Sequence[str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    quotes: int = 3,
    themes: Sequence[str] | None = None,
) -> list[ThemeSummary]:
    """Per group and theme: count, share, mean polarity and sentiment split, suppressed.

    ``groups`` gives each insight's group (campaign, audience, age band, period...); with
    more than one group an ``"all"`` group is added, and suppression accounts for it.
    A group smaller than the threshold is hidden whole.
    """
    by_group = _index(insights, groups)
    theme_ids = sorted({t for x in insights for t in x.themes}) if themes is None else list(themes)
    hits = _hits(insights, by_group, theme_ids)
    counts, lines = _counts(insights, by_group, theme_ids, hits)
    if len(by_group) > 1:
        names = list(by_group)
        by_group[ALL] = list(range(len(insights)))
        for theme in theme_ids:
            hits[(ALL, theme)] = sorted(i for g in names for i in hits[(g, theme)])
    small = [k for k in counts if k[0] != "n" and counts[("n", k[1])] < threshold]
    cells = suppress(counts, lines, threshold, forced=small)
    out = []
    for group, idx in by_group.items():
        for theme in theme_ids:
            found = [insights[i] for i in hits[(group, theme)]]
            out.append(_summary(found, len(idx), group, theme, cells, quotes))
    return out


def _summary(
    hits: list[Insight],
    size: int,
    group: str,
    theme: str,
    cells: dict[Key, Cell],
    quotes: int,
) -> ThemeSummary:
    """One group's figures for one theme; ``hits`` are its insights with the theme, of
    ``size`` in the group."""
    count = cells[("count", group, theme)]
    shown = count.count is not None and not cells[("n", group)].suppressed
    share = count.count / size if shown and count.count is not None and size else None
    mean = sum(x.polarity for x in hits) / len(hits) if shown and hits else None
    chosen = representative_quotes(hits, quotes) if shown and quotes else ()
    return ThemeSummary(
        group=group,
        theme=theme,
        count=count,
        share=None if share is None else round(share, 4),
        mean_polarity=None if mean is None else round(mean, 4),
        negative=cells[("negative", group, theme)],
        neutral=cells[("neutral", group, theme)],
        positive=cells[("positive", group, theme)],
        quotes=chosen,
    )


def sentiment_split(
    insights: Sequence[Insight],
    groups: Sequence[str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> dict[str, dict[str, Cell]]:
    """Negative/neutral/positive counts and the total per group, suppressed together."""
    by_group = _index(insights, groups)
    counts: dict[Key, int] = {}
    lines: list[list[Key]] = []
    for group, idx in by_group.items():
        counts[("n", group)] = len(idx)
        for label in SENTIMENT_LABELS:
            counts[(label, group)] = sum(1 for i in idx if insights[i].sentiment == label)
        lines.append([("n", group), *[(s, group) for s in SENTIMENT_LABELS]])
    names = list(by_group)
    if len(names) > 1:
        for kind in ("n", *SENTIMENT_LABELS):
            counts[(kind, ALL)] = sum(int(counts[(kind, g)]) for g in names)
            lines.append([(kind, ALL), *[(kind, g) for g in names]])
        lines.append([("n", ALL), *[(s, ALL) for s in SENTIMENT_LABELS]])
        names.append(ALL)
    small = [k for k in counts if counts[("n", k[1])] < threshold]
    cells = suppress(counts, lines, threshold, forced=small)
    return {g: {kind: cells[(kind, g)] for kind in ("n", *SENTIMENT_LABELS)} for g in names}
