"""OpenID Connect providers for the single sign-on tests: the real one (oidc-provider-mock,
a provider built on Authlib's server, run in a thread) and a small stand-in for the tokens
a real provider never issues.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import requests
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID = "heard-test"
CLIENT_SECRET = "a-client-secret"  # noqa: S105 - test provider only


def with_query(url: str, **changes: str) -> str:
    """``url`` with some query parameters replaced (a tampered authorisation request)."""
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


@dataclass
class RealProvider:
    """oidc-provider-mock on a free port: a person is chosen by typing a subject id into its
    authorisation form; their claims (email, name, groups) are set with PUT /users/<sub>."""

    issuer: str

    def person(self, sub: str, email: str, groups: list[str], **claims: Any) -> None:
        """Who ``sub`` is at the provider: the claims its ID tokens carry from now on."""
        claims = {"email": email, "name": email.split("@")[0], "groups": groups, **claims}
        answer = requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=10)
        assert answer.status_code == 204, answer.text

    def approve(self, authorize_url: str, sub: str) -> str:
        """The person signs in at the provider: the callback address it sends them to."""
        answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text[:500]
        return answer.headers["Location"]

    def deny(self, authorize_url: str) -> str:
        answer = requests.post(
            authorize_url, data={"action": "deny"}, allow_redirects=False, timeout=10
        )
        assert answer.status_code == 302, answer.text[:500]
        return answer.headers["Location"]


@contextmanager
def real_provider(**options: Any) -> Iterator[RealProvider]:
    import authlib.deprecate  # noqa: F401 - sets its warnings to "always" when first imported

    with warnings.catch_warnings():  # the provider imports Authlib modules Authlib deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(require_nonce=True, **options) as server:
        yield RealProvider(f"http://localhost:{server.server_port}")


@dataclass
class StandInProvider:
    """Discovery, keys, an authorisation endpoint that approves at once, and a token
    endpoint whose ID token the test controls.

    Why a stand-in: a real provider (oidc-provider-mock included) signs every ID token with
    the key it publishes, names itself as issuer and the client as audience, and issues
    each token once. To prove Heard refuses a token signed by another key, naming another
    issuer or audience, or sent a second time, something must issue such a token.
    """

    issuer: str = ""
    published: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "k1"}))
    signing: RSAKey | None = None  # another key: a forged token
    claims: dict[str, Any] = field(default_factory=dict)  # overrides: iss, aud...
    replay: str | None = None  # answer every token request with this ID token
    issued: list[str] = field(default_factory=list)
    _nonces: dict[str, str] = field(default_factory=dict)

    def approve(self, authorize_url: str, sub: str = "") -> str:
        answer = requests.get(authorize_url, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text[:500]
        return answer.headers["Location"]

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        route = {
            "/.well-known/openid-configuration": self._discovery,
            "/jwks": lambda _: _json(KeySet([self.published]).as_dict(private=False)),
            "/authorize": self._authorize,
            "/token": self._token,
        }.get(request.path)
        response = route(request) if route else Response("not found", status=404)
        return response(environ, start_response)

    def _discovery(self, _request: Request) -> Response:
        return _json(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "subject_types_supported": ["public"],
            }
        )

    def _authorize(self, request: Request) -> Response:
        code = secrets.token_urlsafe(16)
        self._nonces[code] = request.args.get("nonce", "")
        target = with_query(request.args["redirect_uri"], code=code, state=request.args["state"])
        return Response(status=302, headers={"Location": target})

    def _token(self, request: Request) -> Response:
        nonce = self._nonces.pop(request.form.get("code", ""), None)
        if nonce is None:
            return _json({"error": "invalid_grant"}, 400)
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "standin-person",
            "email": "standin@example.org",
            "groups": ["heard-admins"],
            "nonce": nonce,
            "iat": now,
            "exp": now + 600,
            **self.claims,
        }
        key = self.signing or self.published
        token = self.replay or jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
        self.issued.append(token)
        body = {"access_token": "at", "token_type": "Bearer", "expires_in": 600, "id_token": token}
        return _json(body)


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


@contextmanager
def stand_in_provider() -> Iterator[StandInProvider]:
    provider = StandInProvider()
    server = make_server("localhost", 0, provider, threaded=True)
    provider.issuer = f"http://localhost:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        thread.join(timeout=5)
