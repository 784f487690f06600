"""Small-number suppression for published tables, including secondary suppression.

A count under the threshold (default 5) is shown as "fewer than 5". That alone is not
enough: when a row or column total is published, one hidden cell can be worked out by
subtraction, so a second cell in the same line is hidden too ("hidden"). This is the
standard rule in official statistics; see the ONS and DfE guidance on disclosure control.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from analysis.types import Cell

DEFAULT_THRESHOLD = 5

# A cell is named by a tuple such as ("count", group, theme).
Key = tuple[str, ...]


def primary(count: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """Counts from 1 to threshold - 1 identify too few people to publish."""
    return 0 < count < threshold


def suppress(
    counts: Mapping[Key, int],
    lines: Iterable[Iterable[Key]],
    threshold: int = DEFAULT_THRESHOLD,
    forced: Iterable[Key] = (),
) -> dict[Key, Cell]:
    """Cells to publish, given the sums that tie them together.

    Each of ``lines`` is a total's key followed by the keys of the parts that add up to it
    (a column and its total, the negative/neutral/positive split of a theme's count).
    Wherever a line has exactly one hidden member, that member could be worked out by
    subtraction, so the smallest other non-zero member is hidden too; this repeats until
    no line gives a hidden cell away. ``forced`` keys are hidden whatever their size (for example
    every cell of a group that is itself too small to report).
    """
    hidden_primary = {k for k, v in counts.items() if primary(v, threshold)}
    hidden_primary |= {k for k in forced if k in counts}
    hidden = set(hidden_primary)
    line_list = [[k for k in line if k in counts] for line in lines]
    changed = True
    while changed:
        changed = False
        for line in line_list:
            inside = [k for k in line if k in hidden]
            if len(inside) != 1:
                continue
            others = sorted((counts[k], str(k)) for k in line if k not in hidden and counts[k] > 0)
            if not others:
                continue
            pick = next(k for k in line if str(k) == others[0][1] and k not in hidden)
            hidden.add(pick)
            changed = True
    return {k: _cell(v, k, hidden, hidden_primary, threshold) for k, v in counts.items()}


def _cell(value: int, key: Key, hidden: set[Key], first: set[Key], threshold: int) -> Cell:
    if key not in hidden:
        return Cell(value)
    if key in first and value < threshold:
        return Cell(None, True, f"fewer than {threshold}")
    return Cell(None, True, "hidden")
