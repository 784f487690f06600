"""Every action Heard writes to the audit log has a written label for people to read.

The codes are found in the source: the action given to ``record``, ``_record_refusal`` or
``AuditEvent(action=...)``, a string, a module constant, or (for the two places that pass
a variable) the table the variable comes from. A call whose action cannot be found that way
fails the test with its file and line, so a new kind of call cannot hide a new code.
"""

from __future__ import annotations

import ast
from pathlib import Path

from survey.staff import audit

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "survey"
#: Functions whose second positional argument (or ``action=``) is an audit action.
WRITERS = {"record", "_record_refusal"}
#: Calls that pass a variable, and where its values come from.
FROM_A_VARIABLE = {
    # the campaign's next status: survey/staff/services.py TRANSITIONS
    ("staff/views.py", "action"): "transitions",
    # the refusal its callers name, each a string literal found by this scan
    ("auth/services.py", "action"): "callers",
}


def _constants(tree: ast.Module) -> dict[str, str]:
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name) and isinstance(node.value.value, str)
    }


def _action_argument(call: ast.Call) -> ast.expr | None:
    name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
    for keyword in call.keywords:
        if keyword.arg == "action" and (name in WRITERS or name == "AuditEvent"):
            return keyword.value
    if name in WRITERS and len(call.args) >= 2:
        return call.args[1]
    return None


def recorded_actions() -> tuple[set[str], list[str]]:
    """Every action code written anywhere in survey/, and the calls it could not read."""
    from survey.staff.services import TRANSITIONS

    codes: set[str] = set()
    unread: list[str] = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), str(path))
        constants = _constants(tree)
        where = path.relative_to(SOURCE).as_posix()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or (argument := _action_argument(node)) is None:
                continue
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                codes.add(argument.value)
            elif isinstance(argument, ast.Name) and argument.id in constants:
                codes.add(constants[argument.id])
            elif isinstance(argument, ast.Name) and (where, argument.id) in FROM_A_VARIABLE:
                if FROM_A_VARIABLE[(where, argument.id)] == "transitions":
                    codes.update(a for moves in TRANSITIONS.values() for a in moves.values())
            else:
                unread.append(f"{where}:{node.lineno}")
    return codes, unread


def test_the_scan_finds_the_codes_it_should():
    """The scan itself works: codes written in each way are found."""
    codes, _ = recorded_actions()
    assert {
        "campaign_created",  # a string
        "campaign_closed",  # TRANSITIONS
        "sign_in_refused_unknown",  # through _record_refusal
        "sign_in_code_refused",  # a module constant
        "purge",  # AuditEvent(action=...)
        "sso_linked",
    } <= codes


def test_every_action_written_to_the_audit_log_can_be_read():
    codes, unread = recorded_actions()
    assert unread == [], (
        "These calls write an audit action this test cannot read; pass a string or a module "
        f"constant, or say in FROM_A_VARIABLE where its values come from: {unread}"
    )


def test_every_recorded_action_has_a_written_label(app):
    codes, _ = recorded_actions()
    missing = sorted(code for code in codes if code not in audit.ACTIONS)
    assert missing == [], f"Add a label to ACTIONS in survey/staff/audit.py for: {missing}"
