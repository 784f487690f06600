"""The second factor: the code step at sign-in, setting it up, and the person's account page."""

from __future__ import annotations

import secrets

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from survey.extensions import limiter
from survey.models import User

from . import two_factor
from .blueprint import bp
from .decorators import permission_required
from .flow import complete_sign_in, pending, wrong_code
from .forms import AppCodeForm, CodeForm, EnrolForm
from .policy import Permission
from .services import record, refused_lately

SETUP_KEY = "_totp_setup"  # the secret being set up, until the app proves it has it
#: Wrong codes for one account from anywhere, within services.LOCK_MINUTES, before the
#: code step refuses it (five per password typed, so a stolen password alone cannot grind
#: through).
ACCOUNT_CODE_CEILING = 10


SIGN_IN_REFUSED = "sign_in_code_refused"
ACCOUNT_REFUSED = "account_code_refused"  # on Your account: never locks the sign-in


def _locked(user: User, action: str = SIGN_IN_REFUSED) -> bool:
    """Too many wrong codes for this account lately (since an administrator's unlock)."""
    return refused_lately(user, action, ACCOUNT_CODE_CEILING)


def _back_to_password(message: str) -> ResponseReturnValue:
    flash(message)
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def sign_in_code() -> ResponseReturnValue:
    half = pending()
    if half is None:
        return _back_to_password(_("Sign in again: the time to enter the code ran out."))
    user, data = half
    if not user.totp_secret:
        return redirect(url_for("auth.enrol_at_sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        how = None if _locked(user) else two_factor.check(user, form.code.data or "")
        if how is not None:
            complete_sign_in(user, f"password and {how} code")
            if how == "recovery":
                flash(
                    _(
                        "You used a recovery code. %(n)d are left: make new ones from "
                        "Your account if you are running low.",
                        n=two_factor.recovery_codes_left(user),
                    )
                )
            return redirect(str(data.get("next") or url_for("staff.dashboard")))
        record(user.id, SIGN_IN_REFUSED, user.email, request.remote_addr or "")
        if wrong_code() == 0 or _locked(user):
            return _back_to_password(
                _("Too many wrong codes. Enter your password again, or wait 15 minutes.")
            )
        form.code.errors = [
            *form.code.errors,
            _("That code is not right, or was used already. Wait for the next code and try it."),
        ]
    return render_template("pages/auth/code.html", form=form), (
        400 if request.method == "POST" else 200
    )


def _setup_secret(user: User) -> str:
    """The secret being set up. The cookie holds only a random nonce: the secret is derived
    from it with the server's key, so it is never readable in the (signed, not encrypted)
    session cookie."""
    nonce = session.get(SETUP_KEY)
    if not isinstance(nonce, str) or len(nonce) != 32:
        nonce = secrets.token_hex(16)
        session[SETUP_KEY] = nonce
    return two_factor.derived_secret(str(current_app.secret_key), nonce, user.id)


def _enrol_page(user: User, form: EnrolForm, action: str, required: bool) -> ResponseReturnValue:
    secret = _setup_secret(user)
    return render_template(
        "pages/auth/enrol.html",
        form=form,
        action=action,
        required=required,
        qr=two_factor.setup_qr(user, secret),
        secret=two_factor.grouped(secret),
    ), (400 if request.method == "POST" else 200)


def _codes_page(codes: list[str], next_url: str) -> ResponseReturnValue:
    """Recovery codes, shown this once: in the answer to the POST, never stored in clear."""
    return render_template("pages/auth/recovery_codes.html", codes=codes, next_url=next_url)


@bp.route("/sign-in/set-up-code", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def enrol_at_sign_in() -> ResponseReturnValue:
    """An administrator requires a second factor and this person has none yet: set it up
    before anything else (the password was right a moment ago)."""
    half = pending()
    if half is None:
        return _back_to_password(_("Sign in again: the time to set up the code ran out."))
    user, data = half
    if user.totp_secret:
        return redirect(url_for("auth.sign_in_code"))
    form = EnrolForm()
    if form.validate_on_submit():
        codes = two_factor.enrol(user, _setup_secret(user), form.code.data or "")
        if codes is not None:
            session.pop(SETUP_KEY, None)
            record(user.id, "two_factor_enrolled", user.email)
            complete_sign_in(user, "password and a new totp code")
            return _codes_page(codes, str(data.get("next") or url_for("staff.dashboard")))
        form.code.errors = [*form.code.errors, _("That code is not right. Try the next one.")]
    return _enrol_page(user, form, url_for("auth.enrol_at_sign_in"), required=True)


@bp.route("/account")
@permission_required(Permission.USE_ACCOUNT)
def account() -> ResponseReturnValue:
    return render_template(
        "pages/auth/account.html",
        user=current_user,
        form=AppCodeForm(),
        required=two_factor.required(),
        left=two_factor.recovery_codes_left(current_user) if current_user.totp_secret else 0,
    )


@bp.route("/account/two-factor", methods=["GET", "POST"])
@permission_required(Permission.USE_ACCOUNT)
@limiter.limit("10/minute", methods=["POST"])
def enrol() -> ResponseReturnValue:
    if current_user.totp_secret:
        return redirect(url_for("auth.account"))
    form = EnrolForm()
    if form.validate_on_submit():
        codes = two_factor.enrol(current_user, _setup_secret(current_user), form.code.data or "")
        if codes is not None:
            session.pop(SETUP_KEY, None)
            record(current_user.id, "two_factor_enrolled", current_user.email)
            return _codes_page(codes, url_for("auth.account"))
        form.code.errors = [*form.code.errors, _("That code is not right. Try the next one.")]
    return _enrol_page(current_user, form, url_for("auth.enrol"), required=False)


def _account_with_error(form: AppCodeForm) -> ResponseReturnValue:
    return render_template(
        "pages/auth/account.html",
        user=current_user,
        form=form,
        required=two_factor.required(),
        left=two_factor.recovery_codes_left(current_user),
    ), 400


@bp.route("/account/two-factor/<any(codes, off):change>", methods=["POST"])
@permission_required(Permission.USE_ACCOUNT)
@limiter.limit("10/minute")
def change_two_factor(change: str) -> ResponseReturnValue:
    """New recovery codes, or the second factor off: each needs a code from the app now."""
    if not current_user.totp_secret:
        return redirect(url_for("auth.account"))
    form = AppCodeForm()
    if not form.validate_on_submit():
        return _account_with_error(form)
    if change == "off" and two_factor.required():
        form.code.errors = [_("An administrator requires a second factor for every account.")]
        return _account_with_error(form)
    locked = _locked(current_user, ACCOUNT_REFUSED)
    if locked or two_factor.check(current_user, form.code.data or "") != "totp":
        record(current_user.id, ACCOUNT_REFUSED, current_user.email, request.remote_addr or "")
        form.code.errors = [
            _("Too many wrong codes. Wait 15 minutes.")
            if locked
            else _("That code is not right. Use the code your app shows now.")
        ]
        return _account_with_error(form)
    if change == "off":
        two_factor.turn_off(current_user)
        record(current_user.id, "two_factor_removed", current_user.email, "by themselves")
        flash(_("The second factor is off. Signing in needs only your password now."))
        return redirect(url_for("auth.account"))
    record(current_user.id, "recovery_codes_renewed", current_user.email)
    return _codes_page(two_factor.new_recovery_codes(current_user), url_for("auth.account"))
