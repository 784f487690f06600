"""Staff sign-in and sign-out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from survey.extensions import limiter

from .decorators import any_staff
from .forms import SignInForm
from .services import authenticate, record, sign_out_everywhere

bp = Blueprint("auth", __name__, url_prefix="/staff")


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after sign-in is a phishing tool."""
    if not target:
        return url_for("staff.dashboard")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("staff.dashboard")
    if "\\" in target:
        return url_for("staff.dashboard")
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10/minute;100/hour", methods=["POST"])
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("staff.dashboard"))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            kept = {k: session[k] for k in ("lang",) if k in session}
            session.clear()  # a fresh session on sign-in: no fixation
            session.update(kept)
            login_user(user)
            session.permanent = True
            record(user.id, "sign_in", user.email)
            return redirect(_safe_next(request.args.get("next")))
        error = _("The email address or password is not right, or the account is locked. "
                  "After 5 wrong tries, wait 15 minutes.")
    return render_template("pages/auth/sign_in.html", form=form, error=error), (
        400 if request.method == "POST" else 200
    )


@bp.route("/sign-out", methods=["POST"])
def sign_out() -> ResponseReturnValue:
    if current_user.is_authenticated:
        record(current_user.id, "sign_out", current_user.email)
    logout_user()
    session.clear()
    return redirect(url_for("public.home"))


@bp.route("/sign-out-everywhere", methods=["POST"])
@any_staff
def sign_out_all() -> ResponseReturnValue:
    sign_out_everywhere(current_user)
    record(current_user.id, "sign_out_everywhere", current_user.email)
    logout_user()
    session.clear()
    return redirect(url_for("public.home"))
