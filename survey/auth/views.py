"""Staff sign-in and sign-out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError

from survey.extensions import limiter, login_manager
from survey.urls import safe_next

from . import mail, sessions, two_factor
from .accounts import (
    RESET_HOURS,
    administrators,
    link_state,
    set_password,
)
from .blueprint import bp
from .decorators import permission_required
from .flow import begin_second_step, complete_sign_in
from .forms import ForgotPasswordForm, SetPasswordForm, SignInForm
from .policy import Permission
from .services import AccountError, authenticate, record, sign_out_everywhere
from .sso import password_refusal
from .stash import form_lost, form_page, has_stash, stash_form


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10/minute;100/hour", methods=["POST"])
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("staff.dashboard"))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        refusal = password_refusal(form.email.data or "")  # single sign-on: break-glass only
        user = (
            None
            if refusal
            else authenticate(
                form.email.data or "", form.password.data or "", request.remote_addr or ""
            )
        )
        if user is not None:
            target = safe_next(request.args.get("next"), url_for("staff.dashboard"))
            if user.totp_secret or two_factor.required():
                begin_second_step(user, target)
                step = "auth.sign_in_code" if user.totp_secret else "auth.enrol_at_sign_in"
                return redirect(url_for(step))
            complete_sign_in(user, "password")
            return redirect(target)
        error = refusal or _(
            "The email address or password is not right, or the account is locked. "
            "After 5 wrong tries, wait 15 minutes."
        )
    return render_template(
        "pages/auth/sign_in.html",
        form=form,
        error=error,
        kept=has_stash(),
        lost=request.method == "GET" and form_lost(),
        ended=sessions.ended_why() if request.method == "GET" else None,
        idle_minutes=sessions.idle_minutes(),
        mail=mail.ready(),
    ), (400 if request.method == "POST" else 200)


def _back_after_sign_in() -> ResponseReturnValue:
    """Send someone whose session has ended to sign in, keeping any form they posted."""
    target = request.path
    if request.method == "POST":
        stash_form()
        # The page the form was on, worked out on the server from the address it was posted
        # to (survey/auth/stash.py PAGES); staff pages send no referrer, but another might.
        page = form_page()
        methods = (request.url_rule.methods if request.url_rule else None) or set()
        if page is not None:
            target = page
        elif "GET" not in methods:
            target = request.referrer or url_for("staff.dashboard")
            target = urlsplit(target).path or url_for("staff.dashboard")
    return redirect(url_for("auth.sign_in", next=target))


@login_manager.unauthorized_handler
def unauthorized() -> ResponseReturnValue:
    return _back_after_sign_in()


def staff_csrf_error(error: CSRFError) -> ResponseReturnValue:
    """On staff pages an expired session shows up first as a missing CSRF token."""
    if current_user.is_authenticated:
        return render_template("pages/auth/stale_form.html"), 400
    return _back_after_sign_in()


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def set_password_page(token: str) -> ResponseReturnValue:
    """The one-time link an invitation or a reset sends: a used or expired link says so,
    and who to ask."""
    state = link_state(token)
    if state != "ok":
        return render_template(
            "pages/auth/link_gone.html",
            state=state,
            admins=administrators() if state != "unknown" else [],
            mail=mail.ready(),
        ), (404 if state == "unknown" else 410)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = set_password(token, form.password.data or "")
        except AccountError as error:
            form.password.errors = [*form.password.errors, str(error)]
        else:
            record(user.id, "password_set", user.email)
            flash(_("Your password is set. Sign in with it now."))
            return redirect(url_for("auth.sign_in"))
    return render_template("pages/auth/set_password.html", form=form, token=token), (
        400 if request.method == "POST" else 200
    )


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("5/minute;20/hour", methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    """A reset link by email. The answer is the same whether or not the address has an
    account, and arrives as fast: the email is sent from a thread."""
    if not mail.ready():
        # No names here: anyone can open this page, and administrators' names are what a
        # password-guessing or phishing attempt would start from. A used or expired
        # set-password link, which only its holder has, names them.
        return render_template("pages/auth/forgot.html", form=None, admins=[])
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        # Everything that depends on the address (is there an account, may its password be
        # used, a link, an audit entry, the email) happens in a thread, for every address:
        # this answer takes the same time whether or not the account exists.
        mail.reset_later(email, request.remote_addr or "")
        return render_template("pages/auth/forgot_sent.html", email=email, hours=RESET_HOURS)
    return render_template("pages/auth/forgot.html", form=form, admins=[]), (
        400 if request.method == "POST" else 200
    )


@bp.route("/sign-out", methods=["POST"])
def sign_out() -> ResponseReturnValue:
    if current_user.is_authenticated:
        record(current_user.id, "sign_out", current_user.email)
    sessions.end()
    return _signed_out()


def _signed_out(why: str = "signed_out") -> ResponseReturnValue:
    """Off this browser, to the sign-in page, which says so (a shared desk's next user sees
    at once that nobody is signed in)."""
    logout_user()
    session.clear()
    session[sessions.ENDED_KEY] = why
    session[sessions.ASK_AGAIN_KEY] = True
    return redirect(url_for("auth.sign_in"))


@bp.route("/still-here")
@permission_required(Permission.USE_ACCOUNT)
def still_here() -> ResponseReturnValue:
    """Asked by staff.js while someone types: writing is using Heard, so the idle time
    restarts (signing in again, seen to, touches the session). Anyone signed out is sent
    to sign in, which the script reads as "the session has ended" and says so."""
    answer = current_app.response_class(status=204)
    del answer.headers["Content-Type"]  # no content, so no type
    return answer


@bp.route("/sign-out-everywhere", methods=["POST"])
@permission_required(Permission.USE_ACCOUNT)
def sign_out_all() -> ResponseReturnValue:
    sign_out_everywhere(current_user)
    record(current_user.id, "sign_out_everywhere", current_user.email)
    return _signed_out("everywhere")
