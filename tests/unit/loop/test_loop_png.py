"""The Word report's chart: a valid PNG drawn from shown figures only."""

from __future__ import annotations

import io

import pytest

from survey.review import png

Image = pytest.importorskip("PIL.Image")


def test_bars_are_a_valid_png_whose_longest_bar_is_the_largest_figure():
    data = png.bars([10, None, 5, 0], width=100, bar_h=10, gap=5)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.size == (100, 4 * 15 + 5)

    def length(i: int) -> int:
        y = 5 + i * 15 + 5
        return sum(1 for x in range(100) if image.getpixel((x, y)) == png.BAR)

    assert length(0) == 90
    assert length(1) == 0  # a suppressed figure draws no bar
    assert length(2) == 45
    assert length(3) == 0
