"""The built wheel runs on its own: templates, static files, questionnaires, their schema
and translations, and the migrations all travel inside it (setup.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

from tests.conftest import ROOT

# Run from the unpacked wheel, in a folder with no checkout around it: every file the app
# reads must come from the wheel. (The test's virtualenv supplies the dependencies; its
# editable install of Heard is consulted only after sys.path, where the wheel comes first.)
SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[1])
    import survey, survey.paths
    assert survey.__file__.startswith(sys.argv[1]), survey.__file__
    assert survey.paths.TEMPLATES.is_relative_to(sys.argv[1]), survey.paths.TEMPLATES
    from flask_migrate import upgrade
    from survey import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[2], "SERVER_NAME": "heard.test"},
                     env="test")
    with app.app_context():
        upgrade(directory=str(survey.paths.PACKAGE / "migrations"))
        library = app.extensions["heard.library"]
        assert len(library.latest()) >= 10, library.latest()
        assert library.catalogue("care-leavers-16-25", "pl"), "no Polish questionnaire text"
    client = app.test_client()
    for path in ("/", "/staff/sign-in", "/static/heard.css", "/healthz"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    polish = client.get("/?lang=pl")
    assert polish.status_code in (200, 302)
    print("wheel ok", len(library.latest()), "questionnaires")
    """
)


def test_the_wheel_carries_everything_the_app_reads(tmp_path: Path) -> None:
    wheels = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = wheels.glob("heard-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "survey/_templates/layouts/base.html",
        "survey/_questionnaires/schema/questionnaire.json",
        "survey/_questionnaires/care-leavers-16-25.yaml",
        "survey/static/heard.css",
        "survey/translations/pl/LC_MESSAGES/messages.mo",
        "survey/migrations/alembic.ini",
        "analysis/data/safeguarding.yaml",
    ):
        assert expected in names, expected
    # Every file the checkout keeps for the app travels in the wheel (a folder without an
    # __init__.py is not a package, and its files are dropped unless setup.py names them).
    tracked = subprocess.run(
        ["git", "ls-files", "survey", "analysis", "templates", "questionnaires"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    shipped = {"templates/": "survey/_templates/", "questionnaires/": "survey/_questionnaires/"}
    missing = []
    for path in tracked:
        if path.endswith(".md") or "/examples/" in path:
            continue
        for top, inside in shipped.items():
            if path.startswith(top):
                path = inside + path[len(top) :]
        if path not in names:
            missing.append(path)
    assert missing == [], missing
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEARD_", "DATABASE_URL"))}
    ran = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT,
            str(unpacked),
            f"sqlite:///{tmp_path / 'wheel.db'}",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert "wheel ok" in ran.stdout
