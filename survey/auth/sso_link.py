"""Link an existing local account to the council account of the same person, by hand.

Single sign-on never joins accounts by email. When someone with a local account signs in
with the council account for the first time, they are refused and the audit log records
the provider's issuer and subject id. An administrator who has checked it is the same
person runs ``heard sso-link EMAIL``: the account takes that identity, its password stops
working, and its roles come from the groups at the next sign-in.

The command names both sides before it asks (the council account's subject, issuer and
when it was refused; the Heard account's name, email and roles), and links exactly the
council account it named, so the administrator cannot link the wrong person unawares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from survey.dates import LONDON
from survey.extensions import db
from survey.models import AuditEvent, User

from .accounts import UNUSABLE_PASSWORD, roles_words
from .services import record
from .sso import WHO

PREFIX = "existing_local_account: "


class LinkError(ValueError):
    pass


@dataclass(frozen=True)
class CouncilAccount:
    """A council account refused because a local account has its email."""

    issuer: str
    subject: str
    refused_at: datetime

    def words(self) -> str:
        return f"subject {self.subject} at {self.issuer}"


@dataclass(frozen=True)
class PendingLink:
    user: User
    council: CouncilAccount  # the latest refused, which is linked
    others: tuple[CouncilAccount, ...]  # other council accounts refused for the same email


def _refusals(email: str) -> list[CouncilAccount]:
    """Council accounts refused for ``email``, newest first, each once."""
    rows = db.session.execute(
        select(AuditEvent.detail, AuditEvent.at)
        .where(AuditEvent.action == "sso_refused", AuditEvent.target == email)
        .where(AuditEvent.detail.startswith(PREFIX))
        .order_by(AuditEvent.id.desc())
    ).all()
    found: dict[tuple[str, str], CouncilAccount] = {}
    for detail, at in rows:
        issuer_part, _, subject = detail.removeprefix(PREFIX).rpartition(", subject ")
        issuer = issuer_part.removeprefix("issuer ")
        found.setdefault((issuer, subject), CouncilAccount(issuer, subject, at))
    return list(found.values())


def pending_link(email: str) -> PendingLink:
    """What ``heard sso-link EMAIL`` would link, or LinkError saying why it cannot."""
    email = email.strip().lower()
    user: User | None = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None:
        raise LinkError(f"No Heard account has the email {email}")
    if user.sso_subject is not None:
        raise LinkError(f"{email} is already linked to a council account")
    refused = _refusals(email)
    if not refused:
        raise LinkError(
            f"Nobody has tried to sign in with a council account for {email} yet: "
            "ask them to, then run this again"
        )
    return PendingLink(user, refused[0], tuple(refused[1:]))


def link(pending: PendingLink) -> User:
    """Give the account the council identity named in ``pending``, and no other."""
    user, council = pending.user, pending.council
    if user.sso_subject is not None:  # linked since it was named (read again: see below)
        raise LinkError(f"{user.email} is already linked to a council account")
    taken = select(User.id).where(
        User.sso_issuer == council.issuer, User.sso_subject == council.subject
    )
    if db.session.scalar(taken) is not None:
        raise LinkError("That council account already has its own Heard account")
    user.sso_issuer, user.sso_subject = council.issuer, council.subject
    user.password_hash = UNUSABLE_PASSWORD
    user.session_version = (user.session_version or 1) + 1  # password sessions end now
    db.session.commit()
    record(
        None, "sso_linked", user.email, WHO.format(issuer=council.issuer, subject=council.subject)
    )
    return user


def link_from_refusal(email: str) -> User:
    """Give the account for ``email`` the council identity its last refused sign-in had."""
    return link(pending_link(email))


def _uk_time(at: datetime) -> str:
    return f"{at.astimezone(LONDON):%d %b %Y %H:%M} UK time"


def describe(pending: PendingLink) -> str:
    """Both sides of the link, for the administrator to check before saying yes."""
    user, council = pending.user, pending.council
    lines = [
        f"Council account: {council.words()}, refused when it signed in as {user.email} "
        f"on {_uk_time(council.refused_at)}",
        f"Heard account: {user.name} <{user.email}>, roles: {roles_words(user.roles)}",
    ]
    if pending.others:
        lines.append(
            f"Other council accounts have also tried to sign in as {user.email}; "
            "they are not linked:"
        )
        lines += [f"  {o.words()}, on {_uk_time(o.refused_at)}" for o in pending.others]
    return "\n".join(lines)


@click.command("sso-link")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def link_command(email: str, yes: bool) -> None:
    """Link EMAIL's local account to the council account that was refused for it."""
    try:
        pending = pending_link(email)
        click.echo(describe(pending))
        # No transaction stays open while the administrator reads; the account is read
        # again when it is linked.
        db.session.rollback()
        if not yes:
            click.confirm(
                "Link this council account to this Heard account? Its password will stop working",
                abort=True,
            )
        user = link(pending)
    except LinkError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Linked {user.email} to subject {user.sso_subject} of {user.sso_issuer}. "
        "Its roles come from the groups at its next council sign-in."
    )
