"""Your account: changing your own password, knowing the current one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user

from survey.extensions import limiter

from . import sessions
from .accounts import change_password
from .blueprint import bp
from .decorators import permission_required
from .forms import ChangePasswordForm
from .policy import Permission
from .services import AccountError


@bp.route("/account/password", methods=["GET", "POST"])
@permission_required(Permission.USE_ACCOUNT)
@limiter.limit("10/minute", methods=["POST"])
def change_own_password() -> ResponseReturnValue:
    """A new password for a local account; every other browser is signed out, this one is
    not. An account that signs in through the council has no password here to change."""
    if current_user.sso_subject:
        flash(_("Your password is managed by the council's sign-in service."))
        return redirect(url_for("auth.account"))
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(
                current_user, form.current_password.data or "", form.password.data or ""
            )
        except AccountError as error:
            form.current_password.errors = [*form.current_password.errors, str(error)]
        else:
            user = current_user._get_current_object()
            login_user(user)  # the cookie names the account's new session version
            sessions.renew(user)
            flash(_("Your password is changed. Any other browser signed in as you is signed out."))
            return redirect(url_for("auth.account"))
    return render_template("pages/auth/change_password.html", form=form), (
        400 if request.method == "POST" else 200
    )
