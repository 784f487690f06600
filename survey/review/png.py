"""A bar chart as a PNG, with no imaging library: for the Word report, which cannot show SVG.

Bars only; the labels and figures are in the table printed beside the chart, and the
chart is drawn from the same suppressed cells (a hidden figure draws no bar).
"""

from __future__ import annotations

import struct
import zlib

BAR = (29, 112, 184)
AXIS = (11, 12, 11)
WHITE = (255, 255, 255)


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def encode(pixels: list[list[tuple[int, int, int]]]) -> bytes:
    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def bars(values: list[int | None], width: int = 600, bar_h: int = 18, gap: int = 8) -> bytes:
    """Horizontal bars, one per value, top to bottom; None or 0 draws no bar."""
    rows = max(len(values), 1)
    height = rows * (bar_h + gap) + gap
    top = max((v or 0 for v in values), default=0) or 1
    pixels = [[WHITE] * width for _ in range(height)]
    for y in range(height):
        pixels[y][0] = pixels[y][1] = AXIS
    for i, value in enumerate(values):
        length = int((width - 10) * (value or 0) / top)
        y0 = gap + i * (bar_h + gap)
        for y in range(y0, y0 + bar_h):
            row = pixels[y]
            for x in range(2, 2 + length):
                row[x] = BAR
    return encode(pixels)
