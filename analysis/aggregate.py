"""Figures for QA groups and boards: per theme, per group, never a person's identity.

Every count passes through small-number suppression (``analysis.suppress``) with the
totals it adds up to, so a hidden cell cannot be worked out from what is shown. Given
each insight's record key, counts are perturbed first (``analysis.perturb``), so that two
selections a user can choose cannot be subtracted to count a few people either. Quotes
are taken only from redacted text, never from flagged answers (those go to the
safeguarding lead, not into a report), and only for themes whose count is published.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from analysis.perturb import cell_key, perturb_counts
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


def _cell_keys(
    insights: Sequence[Insight],
    by_group: dict[str, list[int]],
    themes: list[str],
    hits: dict[tuple[str, str], list[int]],
    keys: Sequence[int],
) -> dict[Key, int]:
    """The cell key of every count ``_counts`` gives: the sum of its records' keys."""
    cells: dict[Key, int] = {}
    for group, idx in by_group.items():
        cells[("n", group)] = cell_key(keys[i] for i in idx)
        for theme in themes:
            found = hits[(group, theme)]
            cells[("count", group, theme)] = cell_key(keys[i] for i in found)
            for label in SENTIMENT_LABELS:
                mood = (keys[i] for i in found if insights[i].sentiment == label)
                cells[(label, group, theme)] = cell_key(mood)
    if len(by_group) > 1:  # the groups do not overlap: a total's key is the sum of theirs
        groups = list(by_group)
        cells[("n", ALL)] = cell_key(cells[("n", g)] for g in groups)
        for theme in themes:
            for kind in ("count", *SENTIMENT_LABELS):
                cells[(kind, ALL, theme)] = cell_key(cells[(kind, g, theme)] for g in groups)
    return cells


def _check_keys(insights: Sequence[Insight], keys: Sequence[int] | None) -> None:
    if keys is not None and len(keys) != len(insights):
        raise ValueError("keys and insights differ in length")


def summarise_themes(
    insights: Sequence[Insight],
    groups: Sequence[str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    quotes: int = 3,
    themes: Sequence[str] | None = None,
    keys: Sequence[int] | None = None,
) -> list[ThemeSummary]:
    """Per group and theme: count, share, mean polarity and sentiment split, suppressed.

    ``groups`` gives each insight's group (campaign, audience, age band, period...); with
    more than one group an ``"all"`` group is added, and suppression accounts for it.
    A group smaller than the threshold is hidden whole. ``keys``, each insight's record
    key, perturbs every count (``analysis.perturb``); shares are then of perturbed counts.
    """
    _check_keys(insights, keys)
    by_group = _index(insights, groups)
    theme_ids = sorted({t for x in insights for t in x.themes}) if themes is None else list(themes)
    hits = _hits(insights, by_group, theme_ids)
    counts, lines = _counts(insights, by_group, theme_ids, hits)
    if keys is not None:
        counts = perturb_counts(
            counts, _cell_keys(insights, by_group, theme_ids, hits, keys), threshold
        )
    if len(by_group) > 1:
        names = list(by_group)
        by_group[ALL] = list(range(len(insights)))
        for theme in theme_ids:
            hits[(ALL, theme)] = sorted(i for g in names for i in hits[(g, theme)])
    # Perturbation never moves a count across the threshold: a small group is still small.
    small = [k for k in counts if k[0] != "n" and counts[("n", k[1])] < threshold]
    cells = suppress(counts, lines, threshold, forced=small)
    out = []
    for group in by_group:
        size = counts[("n", group)]  # the published size, so a share is of published counts
        for theme in theme_ids:
            found = [insights[i] for i in hits[(group, theme)]]
            out.append(_summary(found, size, group, theme, cells, quotes))
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
    share = min(1.0, count.count / size) if shown and count.count is not None and size else None
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
    keys: Sequence[int] | None = None,
) -> dict[str, dict[str, Cell]]:
    """Negative/neutral/positive counts and the total per group, suppressed together
    (and perturbed first, given each insight's record key)."""
    _check_keys(insights, keys)
    by_group = _index(insights, groups)
    counts: dict[Key, int] = {}
    cell_keys: dict[Key, int] = {}
    lines: list[list[Key]] = []
    for group, idx in by_group.items():
        counts[("n", group)] = len(idx)
        cell_keys[("n", group)] = cell_key(keys[i] for i in idx) if keys is not None else 0
        for label in SENTIMENT_LABELS:
            mine = [i for i in idx if insights[i].sentiment == label]
            counts[(label, group)] = len(mine)
            cell_keys[(label, group)] = cell_key(keys[i] for i in mine) if keys is not None else 0
        lines.append([("n", group), *[(s, group) for s in SENTIMENT_LABELS]])
    names = list(by_group)
    if len(names) > 1:
        for kind in ("n", *SENTIMENT_LABELS):
            counts[(kind, ALL)] = sum(int(counts[(kind, g)]) for g in names)
            cell_keys[(kind, ALL)] = cell_key(cell_keys[(kind, g)] for g in names)
            lines.append([(kind, ALL), *[(kind, g) for g in names]])
        lines.append([("n", ALL), *[(s, ALL) for s in SENTIMENT_LABELS]])
        names.append(ALL)
    small = [k for k in counts if counts[("n", k[1])] < threshold]
    if keys is not None:
        counts = perturb_counts(counts, cell_keys, threshold)
    cells = suppress(counts, lines, threshold, forced=small)
    return {g: {kind: cells[(kind, g)] for kind in ("n", *SENTIMENT_LABELS)} for g in names}
