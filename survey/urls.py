"""Links: where a form may send the browser next (only a path on this site), and the
site's own address for links that leave it in a message.

Browsers drop tabs and line breaks from a URL and read ``\\`` as ``/``, so ``/\\t/evil``
and ``/\\evil`` both leave the site; anything with a scheme, a host, a control character
or a space is refused, as is ``//host``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, url_for


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


def site_address() -> str:
    """Where staff and respondents reach Heard, for a link in a message: HEARD_BASE_URL,
    else SERVER_NAME; "" when neither is set (then no link can leave the site)."""
    config = current_app.config
    return str(config.get("BASE_URL") or config.get("SERVER_NAME") or "")


def absolute_url(endpoint: str, **values: Any) -> str | None:
    """A page's full address for a message that leaves Heard (an alert, an invitation), or
    None when the site's address is not known.

    The address is HEARD_BASE_URL, else SERVER_NAME. Never the request's own Host header:
    anyone answering a survey could set it, and a message would then link to their site.
    """
    base = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    if not base:
        if not site_address():
            return None
        with current_app.app_context():
            return url_for(endpoint, **values, _external=True)
    with current_app.test_request_context(base_url=base):
        return f"{base}{url_for(endpoint, **values)}"


def staff_link(endpoint: str, **values: Any) -> str:
    """A staff page's address for a message; the page needs a staff sign-in, so the link
    itself gives nothing away. With no known site address, the message gives the path."""
    link = absolute_url(endpoint, **values)
    if link is not None:
        return link
    with current_app.test_request_context(base_url="http://localhost"):
        return f"{url_for(endpoint, **values)} (sign in to Heard)"
