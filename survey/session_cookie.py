"""The browser's session cookie: Flask's signed cookie, its signing serializer made once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask.sessions import SecureCookieSessionInterface

if TYPE_CHECKING:
    from flask import Flask
    from itsdangerous import URLSafeTimedSerializer


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, the same cookie signed and read the same way.

    Flask makes the serializer that signs and reads the cookie anew for every request that
    reads or writes it: itsdangerous then tries the JSON serializer on an empty dict to see
    whether it gives text, about 1.5 % of a page save's CPU. The serializer depends only on
    the secret key, its fallbacks and this class's settings, so it is kept while the keys
    stay the same (a new key or fallback, set at run time as in the tests, gets a new one).
    """

    def __init__(self) -> None:
        self._made: tuple[tuple[Any, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        made = self._made
        if made is None or made[0] != keys:
            made = (keys, super().get_signing_serializer(app))
            self._made = made
        return made[1]
