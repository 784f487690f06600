"""Cell-key perturbation (analysis.perturb): stable, bounded, and no good for differencing."""

from __future__ import annotations

import random
from collections import Counter

from analysis.aggregate import summarise_themes
from analysis.perturb import ADJUSTMENTS, cell_key, perturb, perturb_counts, record_key
from analysis.types import Insight

SECRET = b"a secret for the tests, 32 bytes"


def test_the_table_has_mean_zero_and_moves_by_at_most_two():
    assert len(ADJUSTMENTS) == 256
    assert sum(ADJUSTMENTS) == 0
    assert Counter(ADJUSTMENTS) == {0: 102, -1: 51, 1: 51, -2: 26, 2: 26}
    # Shuffled: no long run of one adjustment, so one more record moves it unpredictably.
    runs = max(len(run) for run in "".join("x" if a == 0 else "." for a in ADJUSTMENTS).split("."))
    assert runs < 10


def test_record_keys_are_stable_spread_and_need_the_secret():
    keys = [record_key(SECRET, f"answer:{i}") for i in range(5000)]
    assert keys == [record_key(SECRET, f"answer:{i}") for i in range(5000)]
    assert all(0 <= k < 256 for k in keys)
    assert min(Counter(keys).values()) > 5  # every key is drawn
    other = [record_key(b"another secret entirely, 32 byte", f"answer:{i}") for i in range(5000)]
    assert sum(a == b for a, b in zip(keys, other, strict=True)) < 5000 * 0.02


def test_zero_and_small_counts_are_kept_and_large_ones_never_fall_below_the_threshold():
    for key in range(256):
        assert perturb(0, key, 5) == 0
        for small in range(1, 5):
            assert perturb(small, key, 5) == small  # suppression hides it
        for count in (5, 6, 7, 40, 1000):
            shown = perturb(count, key, 5)
            assert shown >= 5
            assert abs(shown - count) <= 2
    assert {perturb(100, key, 5) for key in range(256)} == {98, 99, 100, 101, 102}


def test_the_same_records_give_the_same_figure_in_any_order():
    keys = [record_key(SECRET, f"answer:{i}") for i in range(40)]
    shuffled = keys[:]
    random.Random(1).shuffle(shuffled)
    assert cell_key(keys) == cell_key(shuffled)
    assert perturb(40, cell_key(keys), 5) == perturb(40, cell_key(shuffled), 5)


def test_subtracting_two_selections_does_not_tell_how_many_people_separate_them():
    """The attack: a selection, and the same with one to four more people. Unperturbed,
    the difference names them exactly; perturbed, it is right about as often as a guess
    and says nothing certain."""
    rng = random.Random(7)
    exact = 0
    seen: dict[int, set[int]] = {}
    trials = 2000
    for trial in range(trials):
        size = rng.randint(20, 300)
        extra = rng.randint(1, 4)
        ids = [f"answer:{trial}:{i}" for i in range(size + extra)]
        keys = [record_key(SECRET, i) for i in ids]
        small = perturb(size, cell_key(keys[:size]), 5)
        large = perturb(size + extra, cell_key(keys), 5)
        exact += large - small == extra
        seen.setdefault(large - small, set()).add(extra)
    assert exact / trials < 0.35
    # Every difference an attacker sees could have come from several true differences.
    assert all(len(extras) > 1 for diff, extras in seen.items() if 0 <= diff <= 4)


def test_perturb_counts_moves_each_count_by_its_own_key():
    counts = {("n",): 50, ("yes",): 30, ("no",): 20, ("maybe",): 3, ("never",): 0}
    keys = {k: n * 7 for n, k in enumerate(counts)}
    out = perturb_counts(counts, keys, 5)
    assert out[("maybe",)] == 3 and out[("never",)] == 0
    assert all(abs(out[k] - counts[k]) <= 2 for k in counts)


def test_theme_figures_are_perturbed_with_keys_and_exact_without():
    insights = [
        Insight(
            polarity=-0.5, sentiment="negative", themes=("contact",), safeguarding=None, redacted=""
        )
        for _ in range(23)
    ] + [Insight(polarity=0.5, sentiment="positive", themes=(), safeguarding=None, redacted="")] * 9
    plain = summarise_themes(insights, None, 5)
    assert plain[0].count.count == 23
    found = set()
    for s in range(40):
        secret = f"secret {s:02d} for the tests, 32 bytes".encode()
        keys = [record_key(secret, f"answer:{i}") for i in range(len(insights))]
        row = summarise_themes(insights, None, 5, keys=keys)[0]
        assert abs(row.count.count - 23) <= 2
        assert row.share is not None and row.share <= 1.0
        found.add(row.count.count)
    assert len(found) >= 4  # the secret decides the adjustment


def test_groups_and_their_total_are_each_perturbed_within_two():
    insights = [
        Insight(
            polarity=0.0, sentiment="neutral", themes=("school",), safeguarding=None, redacted=""
        )
    ] * 30
    groups = ["8-11"] * 12 + ["11-17"] * 18
    keys = [record_key(SECRET, f"answer:{i}") for i in range(30)]
    rows = {s.group: s for s in summarise_themes(insights, groups, 5, keys=keys)}
    assert set(rows) == {"8-11", "11-17", "all"}
    for group, true in (("8-11", 12), ("11-17", 18), ("all", 30)):
        assert abs(rows[group].count.count - true) <= 2  # type: ignore[operator]
