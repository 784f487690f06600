"""Sign in with the council account: OpenID Connect's authorisation code flow with PKCE
(S256), through Authlib's Flask client. Every refusal is a 4xx page and an audit entry."""

from __future__ import annotations

from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from flask import abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError

from survey.extensions import limiter
from survey.urls import safe_next

from . import sessions, sso
from .blueprint import bp
from .flow import complete_sign_in
from .sso import Refusal
from .sso_settings import LEEWAY, SAFE_ALGORITHMS, SsoSettings

NEXT_KEY = "sso_next"
#: The provider cannot be reached, or answers with something that is not its discovery
#: document (requests' JSON errors are RequestExceptions; a document without keys is a
#: RuntimeError in Authlib).
PROVIDER_DOWN = (requests.RequestException, RuntimeError)
_CLAIM_REASONS = {"nonce": "wrong_nonce", "iss": "wrong_issuer", "aud": "wrong_audience"}


def _settings() -> SsoSettings:
    settings = sso.current_settings()
    if settings is None:
        abort(404)
    return settings


@bp.app_template_global("council_sign_in")
def council_sign_in_state() -> dict[str, bool]:
    """For the sign-in page: is the council button shown, are passwords break-glass only."""
    settings = sso.current_settings()
    return {"on": settings is not None, "break_glass": bool(settings and settings.break_glass)}


@bp.route("/sign-in/council")
@limiter.limit("30/minute")
def council_sign_in() -> ResponseReturnValue:
    """Send the browser to the provider, remembering state, nonce and PKCE verifier."""
    settings = _settings()
    if current_user.is_authenticated:
        return redirect(url_for("staff.dashboard"))
    client = sso.client()
    for key in [key for key in session if key.startswith(f"_state_{sso.CLIENT_NAME}_")]:
        session.pop(key)  # one sign-in at a time per browser: the cookie stays small
    session[NEXT_KEY] = safe_next(request.args.get("next"), "")
    redirect_uri = _redirect_uri()
    try:
        _check_provider(client, settings)
        # After an idle or signed-out session on this browser: the council asks again.
        again = {"prompt": "login"} if session.get(sessions.ASK_AGAIN_KEY) else {}
        started = client.create_authorization_url(redirect_uri, **again)
    except Refusal as refusal:
        return _refused(refusal)
    except PROVIDER_DOWN as error:
        return _refused(Refusal("provider_unreachable", detail=_describe(error)))
    url = started.pop("url")
    client.save_authorize_data(redirect_uri=redirect_uri, **started)
    return redirect(url)


@bp.route("/sign-in/council/callback")
@limiter.limit("30/minute")
def council_callback() -> ResponseReturnValue:
    settings = _settings()
    try:
        claims, raw = _verified_claims(sso.client(), settings)
        user = sso.account_for(claims, settings)
    except Refusal as refusal:
        return _refused(refusal)
    next_url = session.get(NEXT_KEY) or url_for("staff.dashboard")
    complete_sign_in(user, "sso", lifetime=settings.lifetime)
    sso.remember_token(user, raw)
    return redirect(next_url)


def _redirect_uri() -> str:
    """From HEARD_BASE_URL when set (required in production), never a visitor's Host."""
    from flask import current_app

    base = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    path = url_for("auth.council_callback")
    return base + path if base else url_for("auth.council_callback", _external=True)


def _check_provider(client: Any, settings: SsoSettings) -> None:
    """The discovery document must name the configured issuer; only public-key signatures."""
    metadata = client.load_server_metadata()
    if metadata.get("issuer") != settings.issuer:
        raise Refusal(
            "provider_unreachable",
            detail=f"discovery names issuer {metadata.get('issuer')!r}, not {settings.issuer!r}",
        )
    offered = metadata.get("id_token_signing_alg_values_supported") or SAFE_ALGORITHMS
    metadata["id_token_signing_alg_values_supported"] = [
        alg for alg in offered if alg in SAFE_ALGORITHMS
    ] or list(SAFE_ALGORITHMS)


def _verified_claims(client: Any, settings: SsoSettings) -> tuple[dict[str, Any], str]:
    """The ID token's claims after every check (signature against the provider's keys,
    issuer, audience, nonce, expiry); the state is used once, whatever happens."""
    state = request.args.get("state", "")
    data = client.framework.get_state_data(session, state) if state else None
    if state:
        client.framework.clear_state_data(session, state)
    if request.args.get("error"):
        error = f"{request.args.get('error')}: {request.args.get('error_description', '')}"
        raise Refusal("provider_refused", detail=error[:300])
    if not data or not request.args.get("code") or not data.get("nonce"):
        raise Refusal("state_mismatch", detail="no sign-in started with this state here")
    try:
        _check_provider(client, settings)
        token = client.fetch_access_token(
            code=request.args["code"],
            redirect_uri=data["redirect_uri"],
            code_verifier=data.get("code_verifier"),
        )
    except AuthlibBaseError as error:
        raise Refusal("code_refused", detail=_describe(error)) from None
    except PROVIDER_DOWN as error:
        raise Refusal("provider_unreachable", detail=_describe(error)) from None
    raw = token.get("id_token")
    if not isinstance(raw, str) or not raw:
        raise Refusal("no_id_token")
    if sso.seen_before(raw):
        raise Refusal("id_token_replayed")
    return _parse(client, settings, token, data["nonce"]), raw


def _parse(client: Any, settings: SsoSettings, token: dict[str, Any], nonce: str) -> dict[str, Any]:
    options = {
        "iss": {"essential": True, "value": settings.issuer},
        "aud": {"essential": True, "value": settings.client_id},
        "sub": {"essential": True},
    }
    try:
        claims = client.parse_id_token(token, nonce=nonce, claims_options=options, leeway=LEEWAY)
    except ExpiredTokenError as error:
        raise Refusal("id_token_expired", detail=_describe(error)) from None
    except ClaimError as error:
        reason = _CLAIM_REASONS.get(error.claim.split(",")[0], "bad_id_token")
        raise Refusal(reason, detail=_describe(error)) from None
    except (JoseError, ValueError) as error:
        raise Refusal("bad_signature", detail=_describe(error)) from None
    except PROVIDER_DOWN as error:
        raise Refusal("provider_unreachable", detail=_describe(error)) from None
    return dict(claims)


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def _refused(refusal: Refusal) -> ResponseReturnValue:
    refusal.audit()
    return render_template("pages/auth/sso_refused.html", refusal=refusal), refusal.status
