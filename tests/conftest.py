"""Shared fixtures: the app from the factory, a database per run, checked HTML pages.

The database is SQLite in a temporary folder unless TEST_DATABASE_URL names another
(PostgreSQL in CI). Its schema comes from the migrations, so every run also proves they
apply; rows are deleted after each test so tests never see each other's data.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete

from tests.html_checks import check_page

ROOT = Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use the database are marked ``db``: CI runs them again on PostgreSQL."""
    for item in items:
        if "app" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


#: Help numbers for a production app in tests (production refuses Ofcom's example range).
COUNCIL_NUMBERS = {
    "FRONT_DOOR_PHONE": "0300 123 4001",
    "OUT_OF_HOURS_PHONE": "0300 123 4002",
    "COMPLAINTS_PHONE": "0300 123 4003",
    "LEAVING_CARE_PHONE": "0300 123 4004",
}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> str:
    """SQLite in this session's temporary folder, or TEST_DATABASE_URL. Under pytest-xdist
    each worker has its own: its own folder for SQLite, its own database on PostgreSQL
    (``heard_test_gw0``..., made when missing)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url and worker_id not in ("master", ""):
        return _worker_database(url, worker_id)
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'heard-test.db'}"


def _worker_database(url: str, worker_id: str) -> str:
    """``url`` with its database name suffixed by the xdist worker, created if missing."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker_id}"
    admin = base.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from flask_migrate import downgrade, upgrade

    from survey import create_app
    from survey.extensions import db

    # A copy of the questionnaires: the browser editor saves new versions into its folder,
    # and no test may write into the repository's own.
    folder = tmp_path_factory.mktemp("questionnaires") / "questionnaires"
    shutil.copytree(ROOT / "questionnaires", folder)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SERVER_NAME": "heard.test",
            "QUESTIONNAIRE_DIR": str(folder),
        },
        env="test",
    )
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    migrations = str(ROOT / "survey" / "migrations")
    with app.app_context():
        if database_url.startswith("postgresql"):
            downgrade(directory=migrations, revision="base")
        upgrade(directory=migrations)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture()
def perturbed(app: Flask) -> Iterator[None]:
    """Counts perturbed as everywhere but in tests (``analysis.perturb``): the test
    configuration keeps them exact, so that tests of suppression can check its arithmetic."""
    app.config["PERTURB_COUNTS"] = True
    yield
    app.config["PERTURB_COUNTS"] = False


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "app" not in request.fixturenames:
        return
    app: Flask = request.getfixturevalue("app")
    from survey.extensions import db

    with app.app_context():
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(delete(table))
        db.session.commit()
        db.session.remove()


class CheckedClient(FlaskClient):
    """A test client that checks every HTML page it receives (STYLE.md convention 9)."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        skip = kwargs.pop("skip_html_check", False)
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and not skip:
            check_page(response.get_data(as_text=True), response.request.path)
        return response


@pytest.fixture(autouse=True)
def _rate_limits_off_after() -> Iterator[None]:
    """Flask-Limiter is one object for the process: a test that makes an app of its own
    with limits on (a production app, say) turns them on for every app in this worker.
    The suite signs in far more than ten times a minute, so they go off again after each
    test (the test configuration's setting)."""
    yield
    from survey.extensions import limiter

    limiter.enabled = False


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    app.test_client_class = CheckedClient
    return app.test_client()


@pytest.fixture()
def ctx(app: Flask) -> Iterator[Flask]:
    """An application context for tests that call services directly."""
    with app.app_context():
        yield app


@functools.cache
def _examples():  # type: ignore[no-untyped-def]
    from survey.questionnaire import load_directory

    return load_directory(ROOT / "questionnaires" / "examples")


@pytest.fixture()
def make_campaign(app: Flask):  # type: ignore[no-untyped-def]
    """Create a campaign for a questionnaire (the example with every type by default)."""
    from survey.extensions import db
    from survey.library import Library, library
    from survey.models import CampaignStatus, utcnow
    from survey.staff.services import create_campaign

    examples = _examples()

    def make(
        slug: str = "example",
        questionnaire_id: str = "example-every-type",
        *,
        invitations: int = 0,
        anonymous_link: bool = True,
        status: CampaignStatus = CampaignStatus.OPEN,
        opens_in: timedelta = timedelta(days=-1),
        closes_in: timedelta = timedelta(days=30),
        cohort_size: int | None = 100,
    ):  # type: ignore[no-untyped-def]
        with app.app_context():
            current = library()
            merged = dict(current._all)  # noqa: SLF001 - tests add the example files
            merged.update(examples)
            app.extensions["heard.library"] = Library(merged)
            questionnaire = app.extensions["heard.library"].get(questionnaire_id)
            now = utcnow()
            campaign = create_campaign(
                questionnaire_id=questionnaire.id,
                questionnaire_version=questionnaire.version,
                title=f"Test campaign {slug}",
                slug=slug,
                audience="test",
                opens_at=now + opens_in,
                closes_at=now + closes_in,
                cohort_size=cohort_size,
                anonymous_link=anonymous_link,
                invitations=invitations,
                created_by=None,
                status=status,
            )
            tokens = [i.token for i in campaign.invitations]
            db.session.expunge_all()
            return slug, tokens

    return make


def csrf_token_from(html: str) -> str:
    """The CSRF token in a rendered form, as a browser would send it back."""
    import re

    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


STAFF_PASSWORD = "correct horse battery staple"  # noqa: S105 - test accounts only


@pytest.fixture()
def make_user(app: Flask):  # type: ignore[no-untyped-def]
    from survey.auth.services import create_user
    from survey.models import Role

    def make(role: str = "admin", email: str | None = None) -> str:
        """``role`` names one role, or several joined by "+": "participation+qa_reviewer"."""
        roles = frozenset(Role(part) for part in role.split("+"))
        with app.app_context():
            user = create_user(email or f"{role}@example.org", role.title(), roles, STAFF_PASSWORD)
            return user.email

    return make


def sign_in(client: FlaskClient, email: str, password: str = STAFF_PASSWORD, next_url: str = ""):  # type: ignore[no-untyped-def]
    page = client.get("/staff/sign-in")
    url = "/staff/sign-in" + (f"?next={next_url}" if next_url else "")
    return client.post(
        url,
        data={
            "email": email,
            "password": password,
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
        },
    )


@pytest.fixture()
def staff_client(app: Flask, make_user):  # type: ignore[no-untyped-def]
    """A client signed in with the given role: ``staff_client("participation")``."""

    def make(role: str = "admin") -> FlaskClient:
        app.test_client_class = CheckedClient
        client = app.test_client()
        email = make_user(role)
        response = sign_in(client, email)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return make


def service_missing(what: str) -> None:
    """A service the test needs is not running. On a developer's machine that is a skip with
    the reason; in CI (where .ci/run expects PostgreSQL and Redis) it is a failure, so a
    missing service can never pass as a green run."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} (CI must provide it)")
    pytest.skip(what)
