"""gunicorn's access log, written only when ``HEARD_ACCESS_LOG`` asks for it, with the
secret part of a link masked.

A personal invitation (``/i/<token>``) and a staff password link (``/set-password/<token>``)
work for whoever holds them, and an invitation ties an address and a time to a named
child: the log gives the kind of page (``/i/…``), never the secret. Imported only where
gunicorn runs (it needs fork and fcntl).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

#: The secret last part of a personal invitation or a password link, up to ``/ ? #``.
SECRET_IN_LINK = re.compile(r"(/(?:i|set-password)/)[^/?#\s]+")


class AccessLog(Logger):  # type: ignore[misc]
    """gunicorn's own logger, with links masked in every atom a log format may name (the
    request line and path, the Referer, the WSGI environ's, a redirect's Location)."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if isinstance(value, str) and "/" in value:
                atoms[key] = SECRET_IN_LINK.sub(r"\1…", value)
        return atoms
