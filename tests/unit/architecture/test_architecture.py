"""Structure the design relies on: Flask-free cores, and models that match the migrations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    "module", ["analysis", "survey.questionnaire", "survey.complaints.procedure"]
)
def test_core_packages_do_not_import_flask(module):
    """The cores run from the command line and in workers without a web app."""
    code = (
        "import sys, importlib; importlib.import_module(sys.argv[1]);"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'flask_sqlalchemy')"
        " or m in ('survey.app', 'survey.extensions', 'survey.models'));"
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, module], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, f"{module} pulls in: {result.stdout} {result.stderr}"


def test_models_and_migrations_agree(app):
    """Autogenerate against the migrated database must find nothing to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from survey.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models differ from migrations: {differences}"
