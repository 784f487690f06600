"""Link an existing local account to the council account of the same person, by hand.

Single sign-on never joins accounts by email. When someone with a local account signs in
with the council account for the first time, they are refused and the audit log records
the provider's issuer and subject id. An administrator who has checked it is the same
person runs ``heard sso-link EMAIL``: the account takes that identity, its password stops
working, and its roles come from the groups at the next sign-in.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import AuditEvent, User

from .accounts import UNUSABLE_PASSWORD
from .services import record
from .sso import WHO

PREFIX = "existing_local_account: "


class LinkError(ValueError):
    pass


def link_from_refusal(email: str) -> User:
    """Give the account for ``email`` the council identity its last refused sign-in had."""
    email = email.strip().lower()
    user: User | None = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None:
        raise LinkError(f"No Heard account has the email {email}")
    if user.sso_subject is not None:
        raise LinkError(f"{email} is already linked to a council account")
    detail = db.session.scalar(
        select(AuditEvent.detail)
        .where(AuditEvent.action == "sso_refused", AuditEvent.target == email)
        .where(AuditEvent.detail.startswith(PREFIX))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    if detail is None:
        raise LinkError(
            f"Nobody has tried to sign in with a council account for {email} yet: "
            "ask them to, then run this again"
        )
    issuer_part, _, subject = detail.removeprefix(PREFIX).rpartition(", subject ")
    issuer = issuer_part.removeprefix("issuer ")
    taken = select(User.id).where(User.sso_issuer == issuer, User.sso_subject == subject)
    if db.session.scalar(taken) is not None:
        raise LinkError("That council account already has its own Heard account")
    user.sso_issuer, user.sso_subject = issuer, subject
    user.password_hash = UNUSABLE_PASSWORD
    user.session_version = (user.session_version or 1) + 1  # password sessions end now
    db.session.commit()
    record(None, "sso_linked", email, WHO.format(issuer=issuer, subject=subject))
    return user


@click.command("sso-link")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def link_command(email: str, yes: bool) -> None:
    """Link EMAIL's local account to the council account that was refused for it."""
    if not yes:
        click.confirm(
            f"Link {email} to the council account that last tried to sign in as it? "
            "Its password will stop working",
            abort=True,
        )
    try:
        user = link_from_refusal(email)
    except LinkError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Linked {user.email} to subject {user.sso_subject} of {user.sso_issuer}. "
        "Its roles come from the groups at its next council sign-in."
    )
