"""Subject access: everything Heard holds about one member of staff, as JSON.

Found by walking the schema, not by a hand-kept list: every table with a column that
points at ``staff_user`` is searched, so a table added next year is in the export without
anyone remembering to add it. Secrets (password hashes, token hashes) are named but not
copied: the person is told they exist, and nobody can use the export to sign in as them.
Other people's words and names in those rows are held back too (``THIRD_PARTY``).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import JSON, MetaData, Table, Text, func, inspect, or_, select
from sqlalchemy.orm import Session

SECRET_MARKERS = ("password", "hash", "token", "secret")
WITHHELD = "(held, not shown: a secret)"
#: Columns named but not copied because they would link what the person did to someone
#: else's words: a check-in they passed on names no response (survey/staff/checkins.py).
LINKS: dict[tuple[str, str], str] = {
    ("check_in", "response_id"): "(held, not shown: it would link a check-in to its answers)",
}
#: Other people's words and names in the person's rows (what a complainant or a child
#: wrote, a child's name, notes about a family) are held back: the law lets a subject
#: access request release them only when the data protection officer decides it may. Any
#: free text or JSON is held back unless listed in ``OWN_OR_PUBLIC`` (so a column added
#: later is held back until someone decides), and so are the short name columns below.
THIRD_PARTY = (
    "(held, not shown: it may hold other people's words or names; the data protection "
    "officer decides what of it may be released)"
)
OWN_OR_PUBLIC: frozenset[tuple[str, str]] = frozenset(
    {
        ("audit_event", "detail"),  # what the person did, by reference
        ("campaign", "languages"),
        ("campaign", "reminder_days"),
        ("custom_theme", "keywords"),
        ("site_setting", "value"),
        ("publication", "intro"),  # published on the public page
        ("publication", "items"),
        ("action", "theme_ids"),
        ("action", "public_text"),
        ("action", "public_said"),
        ("complaint", "teams"),
        ("complaint", "themes"),
        ("complaint", "themes_suggested"),
        ("complaint", "facets"),
        ("compliment", "teams"),
        ("insight_correction", "themes"),
        ("safeguarding_flag", "question_ids"),
    }
)
#: Short text columns known to hold someone else's name (a conference link's label is its
#: date, type and chair).
OTHER_PEOPLES_COLUMNS: frozenset[tuple[str, str]] = frozenset({("campaign_link", "label")})
OTHER_PEOPLES_NAMES: frozenset[str] = frozenset(
    {
        "child_name",
        "advocate_name",
        "worker_name",
        "manager_name",
        "chair",
        "agreed_by",
        "shared_with",
    }
)


def _third_party(table: Table, column: Any) -> bool:
    if (table.name, column.name) in OWN_OR_PUBLIC:
        return False
    if column.name in OTHER_PEOPLES_NAMES or (table.name, column.name) in OTHER_PEOPLES_COLUMNS:
        return True
    return isinstance(column.type, Text | JSON)


class NoSuchUser(LookupError):
    pass


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def _value(table: Table, column: Any, row: Any) -> Any:
    value = row[column.name]
    if (table.name, column.name) in LINKS:
        return LINKS[(table.name, column.name)]
    if value and any(m in column.name for m in SECRET_MARKERS):
        return WITHHELD
    if value and table.name != "staff_user" and _third_party(table, column):
        return THIRD_PARTY
    return _plain(value)


def _row(table: Table, row: Any) -> dict[str, Any]:
    return {column.name: _value(table, column, row) for column in table.columns}


def staff_export(session: Session, metadata: MetaData, email: str) -> dict[str, Any]:
    """The account, and every row elsewhere that refers to it or names its email."""
    users = metadata.tables["staff_user"]
    account = (
        session.execute(select(users).where(func.lower(users.c.email) == email.strip().lower()))
        .mappings()
        .first()
    )
    if account is None:
        raise NoSuchUser(f"No staff account for {email}")
    present = set(inspect(session.connection()).get_table_names())
    held: dict[str, list[dict[str, Any]]] = {}
    for table in metadata.sorted_tables:
        if table.name == "staff_user" or table.name not in present:
            continue
        conditions = [
            fk.parent == account["id"]
            for fk in table.foreign_keys
            if fk.column.table.name == "staff_user"
        ]
        if table.name == "audit_event":  # events about the account, such as sign-in refusals
            conditions.append(table.c.target == account["email"])
        if conditions:
            rows = session.execute(select(table).where(or_(*conditions))).mappings().all()
            if rows:
                held[table.name] = [_row(table, row) for row in rows]
    return {"account": _row(users, account), "held": held}


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)
