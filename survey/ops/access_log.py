"""gunicorn's access log, written only when ``HEARD_ACCESS_LOG`` asks for it, with the
secret part of a link masked.

A personal invitation (``/i/<token>``), a staff password link (``/set-password/<token>``)
and a single sign-on answer (``?code=...&state=...``) work for whoever holds them, and an
invitation ties an address and a time to a named child: the log gives the kind of page
(``/i/***``), never the secret. The mask is plain ASCII, for log shippers that take no
other. Imported only where gunicorn runs (it needs fork and fcntl).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

#: The secret part of a personal invitation or a password link, up to ``/ ? #`` (Werkzeug
#: merges slashes, so ``/i//token`` is the same link).
SECRET_IN_PATH = re.compile(r"(/+(?:i|set-password)/+)[^/?#\s]+")
#: An OpenID Connect answer's one-time code and state, in a query string.
SECRET_IN_QUERY = re.compile(r"([?&](?:code|state)=)[^&#\s]+")
MASK = "***"


class AccessLog(Logger):  # type: ignore[misc]
    """gunicorn's own logger, with links masked in every atom a log format may name (the
    request line and path, the Referer, the WSGI environ's, a redirect's Location)."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if isinstance(value, str) and ("/" in value or "=" in value):
                masked = SECRET_IN_PATH.sub(rf"\g<1>{MASK}", value)
                atoms[key] = SECRET_IN_QUERY.sub(rf"\g<1>{MASK}", masked)
        return atoms
