"""Where a form may send the browser next: only a path on this site.

Browsers drop tabs and line breaks from a URL and read ``\\`` as ``/``, so ``/\\t/evil``
and ``/\\evil`` both leave the site; anything with a scheme, a host, a control character
or a space is refused, as is ``//host``.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` if it is a same-site path, else ``fallback``."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ord(c) < 0x21 or ord(c) == 0x7F for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
