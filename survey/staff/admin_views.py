"""Administration: staff accounts (invite, role, switch off) and the audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from survey.alerts.channels import SendError
from survey.auth import accounts, mail, two_factor
from survey.auth.decorators import permission_required
from survey.auth.policy import Permission
from survey.auth.services import AccountError, record
from survey.extensions import db
from survey.files import download
from survey.ids import page_arg, parse_id
from survey.models import (
    ROLE_LABELS,
    Complaint,
    ComplaintStatus,
    Role,
    SafeguardingFlag,
    User,
)

from . import audit
from .blueprint import bp, form_with_stash, status_code
from .forms import AuditFilterForm, InviteUserForm, RoleForm

NEW_LINK = "new_password_link"  # shown once on the account page, then forgotten


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, _(ROLE_LABELS[role])) for role in Role]


def _chosen(form: InviteUserForm | RoleForm) -> frozenset[Role]:
    return frozenset(Role(value) for value in form.roles.data or [])


def _roles_form(found: User, error: str = "") -> RoleForm:
    form = RoleForm(formdata=None, roles=[role.value for role in found.roles])
    form.roles.choices = role_choices()
    if error:
        form.roles.errors = [error]
    return form


def _account_page(found: User, form: RoleForm, link: str | None = None) -> str:
    return render_template(
        "pages/staff/admin/user.html",
        user=found,
        form=form,
        link=link,
        # A link to copy says why it was not emailed (a failed send is flashed instead).
        mail_missing=mail.missing() if link else [],
        has_password=accounts.has_password(found),
        hours=accounts.INVITE_HOURS,
    )


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id) if parse_id(user_id) else None
    if user is None:
        abort(404)
    return user


@bp.route("/admin/users")
@permission_required(Permission.ADMINISTER)
def users() -> ResponseReturnValue:
    everyone = db.session.scalars(select(User).order_by(User.active.desc(), User.name)).all()
    return render_template(
        "pages/staff/admin/users.html",
        users=everyone,
        has_password=accounts.has_password,
        two_factor_required=two_factor.required(),
        mail_missing=mail.missing(),
    )


@bp.route("/admin/two-factor", methods=["POST"])
@permission_required(Permission.ADMINISTER)
def two_factor_setting() -> ResponseReturnValue:
    """Require (or stop requiring) a second factor for every local account. Requiring it
    changes everyone's next sign-in, so it is asked for twice: a confirmation page saying
    who is affected, then posted again; stopping it takes one click."""
    wanted = request.form.get("required") == "yes"
    if wanted and not two_factor.required() and request.form.get("confirm") != "yes":
        # Single sign-on accounts are not asked (the council's provider holds their factor).
        without = select(func.count(User.id)).where(
            User.active.is_(True), User.sso_subject.is_(None), User.totp_secret.is_(None)
        )
        return render_template(
            "pages/staff/admin/confirm_two_factor.html",
            without=db.session.scalar(without) or 0,
            yours=not current_user.sso_subject and not current_user.totp_secret,
        )
    if two_factor.set_required(wanted, current_user):
        record(current_user.id, "two_factor_requirement", "", "required" if wanted else "optional")
        flash(
            _("Every local account now needs a second factor at its next sign-in.")
            if wanted
            else _("A second factor is now each person's choice.")
        )
    return redirect(url_for(".users"))


@bp.route("/admin/users/new", methods=["GET", "POST"])
@permission_required(Permission.ADMINISTER)
def invite_user() -> ResponseReturnValue:
    form = form_with_stash(InviteUserForm)
    form.roles.choices = role_choices()
    if form.validate_on_submit():
        try:
            user, token = accounts.invite_user(
                form.email.data or "", form.name.data or "", _chosen(form), current_user
            )
        except AccountError as error:
            form.email.errors.append(str(error))
        else:
            record(current_user.id, "user_invited", user.email, accounts.roles_words(user.roles))
            emailed = _email_link(user, token, "invite")
            if emailed:
                flash(emailed)
            else:
                session[NEW_LINK] = {"user": user.id, "token": token}
            return redirect(url_for(".user", user_id=user.id))
    return render_template(
        "pages/staff/admin/invite.html", form=form, mail_missing=mail.missing()
    ), status_code()


@bp.route("/admin/users/<int:user_id>")
@permission_required(Permission.ADMINISTER)
def user(user_id: int) -> ResponseReturnValue:
    found = _user_or_404(user_id)
    new_link = session.pop(NEW_LINK, None)
    link = None
    if isinstance(new_link, dict) and new_link.get("user") == found.id:
        link = url_for("auth.set_password_page", token=new_link["token"], _external=True)
    return _account_page(found, _roles_form(found), link)


def _account_change(found: User, change: str) -> ResponseReturnValue:
    """Run one account change; show the account page again with the reason if refused."""
    try:
        done = _apply(found, change)
    except AccountError as error:
        return _account_page(found, _roles_form(found, str(error))), 400
    if done:
        flash(done)
    return redirect(url_for(".user", user_id=found.id))


def _apply(found: User, change: str) -> str:
    """One account change; the words for the admin, or "" when nothing changed."""
    changes = {
        "role": _change_roles,
        "on": _switch_on,
        "off": _switch_off,
        "two-factor": _reset_two_factor,
        "unlock": _unlock,
        "password": _new_link,
    }
    return changes[change](found)


def _change_roles(found: User) -> str:
    before = found.roles
    after = frozenset(Role(value) for value in request.form.getlist("roles"))
    if not accounts.change_roles(found, after, current_user):
        return ""
    detail = f"from: {accounts.roles_words(before)}; to: {accounts.roles_words(after)}"
    record(current_user.id, "role_changed", found.email, detail)
    return str(_("Roles changed to: %(roles)s.", roles=found.roles_label))


def _switch_on(found: User) -> str:
    if not accounts.set_active(found, True, current_user):
        return ""
    record(current_user.id, "user_reactivated", found.email)
    return str(_("Account switched on."))


def _switch_off(found: User) -> str:
    if not accounts.set_active(found, False, current_user):
        return ""
    record(current_user.id, "user_deactivated", found.email)
    said = str(_("Account switched off. Any open sessions have ended."))
    return f"{said} {left_open}" if (left_open := _open_work(found)) else said


def _open_work(found: User) -> str:
    """What a leaver was still doing, so that someone else takes it on (their pages mark
    them as switched off; nothing is lost)."""
    complaints = db.session.scalar(
        select(func.count(Complaint.id)).where(
            Complaint.owner_id == found.id, Complaint.status == ComplaintStatus.OPEN
        )
    )
    flags = db.session.scalar(
        select(func.count(SafeguardingFlag.id)).where(
            SafeguardingFlag.assigned_to_id == found.id,
            SafeguardingFlag.acknowledged_at.is_(None),
        )
    )
    said = []
    if complaints:
        said.append(
            ngettext(
                "They were the case owner of %(num)d open complaint.",
                "They were the case owner of %(num)d open complaints.",
                complaints,
            )
        )
    if flags:
        said.append(
            ngettext(
                "They were looking into %(num)d open safeguarding flag.",
                "They were looking into %(num)d open safeguarding flags.",
                flags,
            )
        )
    if not said:
        return ""
    said.append(
        _("Choose someone else for each, on the complaints register and the safeguarding queue.")
    )
    return " ".join(str(part) for part in said)


def _reset_two_factor(found: User) -> str:
    if not found.totp_secret:
        return ""
    if found.id == current_user.id:
        raise AccountError(
            _("Change your own second factor on Your account: it asks for a code from your app.")
        )
    found.session_version = (found.session_version or 1) + 1  # any half-way sign-in ends
    two_factor.turn_off(found)
    record(current_user.id, "two_factor_removed", found.email, "by an administrator")
    return str(
        _(
            "Second factor reset. %(name)s signs in with their password and sets up a new one.",
            name=found.name,
        )
    )


def _unlock(found: User) -> str:
    accounts.unlock(found)
    record(current_user.id, "user_unlocked", found.email)
    return str(_("Account unlocked."))


def _new_link(found: User) -> str:
    if found.sso_subject:
        raise AccountError(
            _(
                "This account signs in through the council's sign-in, so it has no password "
                "to set here."
            )
        )
    token = accounts.issue_reset(found, current_user)
    record(current_user.id, "password_link_issued", found.email)
    emailed = _email_link(found, token, "renewed")
    if emailed:
        return emailed
    session[NEW_LINK] = {"user": found.id, "token": token}
    return str(_("New set-password link made. Any earlier link no longer works."))


def _email_link(found: User, token: str, purpose: str) -> str:
    """Email the link when Heard can send mail: the words for the admin, or "" when the
    admin must copy the link themselves (no mail here, or the send failed: then flashed)."""
    if not mail.ready():
        return ""
    try:
        mail.send_link(found, token, purpose, accounts.INVITE_HOURS)
    except SendError as error:
        record(current_user.id, "password_email_failed", found.email, str(error)[:500])
        flash(
            _("The email could not be sent (%(error)s). Copy the link below instead.", error=error)
        )
        return ""
    record(current_user.id, "password_link_emailed", found.email, purpose)
    return str(
        _(
            "We emailed %(email)s a link to choose their password. "
            "It works once, for %(hours)d hours.",
            email=found.email,
            hours=accounts.INVITE_HOURS,
        )
    )


@bp.route(
    "/admin/users/<int:user_id>/<any(role, on, off, unlock, password, 'two-factor'):change>",
    methods=["POST"],
)
@permission_required(Permission.ADMINISTER)
def change_user(user_id: int, change: str) -> ResponseReturnValue:
    found = _user_or_404(user_id)
    chosen = request.form.getlist("roles")
    if change == "role" and (not chosen or not set(chosen) <= {r.value for r in Role}):
        return _account_page(found, _roles_form(found, _("Choose at least one role"))), 400
    return _account_change(found, change)


def _audit_query(form: AuditFilterForm) -> object:
    user_id = parse_id(form.user.data)
    return audit.filtered(
        form.action.data or "",
        user_id,
        form.target.data or "",
        form.date_from.data,
        form.date_to.data,
    )


def _audit_form() -> AuditFilterForm:
    form = AuditFilterForm(formdata=request.args)
    form.action.choices = [SelectChoice("", _("Anything"))] + [
        SelectChoice(a, audit.action_label(a)) for a in audit.known_actions()
    ]
    people = db.session.scalars(select(User).order_by(User.name)).all()
    form.user.choices = [SelectChoice("", _("Anyone"))] + [
        SelectChoice(str(u.id), f"{u.name} ({u.email})") for u in people
    ]
    return form


@bp.route("/admin/audit")
@permission_required(Permission.ADMINISTER)
def audit_log() -> ResponseReturnValue:
    form = _audit_form()
    valid = form.validate()
    page = page_arg()
    # Filters that cannot apply (a 13th month, a range that ends before it starts) show
    # nothing but the reason: every event under a filter the admin did not get misleads.
    rows, total = audit.page_of(_audit_query(form), page) if valid else ([], 0)  # type: ignore[arg-type]
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "pages/staff/admin/audit.html",
        form=form,
        valid=valid,
        rows=rows,
        total=total,
        page=page,
        pages=max((total + audit.PER_PAGE - 1) // audit.PER_PAGE, 1),
        query=query,
        action_label=audit.action_label,
        answer_campaign=audit.answer_campaign(form.target.data or "") if valid else None,
    ), (200 if valid else 400)


@bp.route("/admin/audit.csv")
@permission_required(Permission.ADMINISTER)
def audit_csv() -> ResponseReturnValue:
    form = _audit_form()
    if not form.validate():
        reasons = [str(error) for errors in form.errors.values() for error in errors]
        said = _("Nothing was downloaded: the filters cannot be used.")
        words = "\n".join([said, *reasons, _("Correct them on the audit log page and try again.")])
        return words + "\n", 400, {"Content-Type": "text/plain; charset=utf-8"}
    body = audit.csv_export(_audit_query(form))  # type: ignore[arg-type]
    record(current_user.id, "audit_exported", "", request.query_string.decode()[:200])
    return download(body, "audit-log.csv")
