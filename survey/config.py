"""Configuration from the environment.

Development and test get safe local defaults; production refuses to start without the
secrets it needs, so a misconfigured deployment fails loudly instead of running insecurely.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .paths import QUESTIONNAIRES

ROOT = Path(__file__).resolve().parents[1]


class ConfigError(RuntimeError):
    pass


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from error


class Config:
    ENV_NAME = "base"
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str | None = os.environ.get("DATABASE_URL")
    # hide_parameters: a database error's message never carries the values it was given
    # (a child's words) into the logs.
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"pool_pre_ping": True, "hide_parameters": True}
    QUESTIONNAIRE_DIR = os.environ.get("HEARD_QUESTIONNAIRE_DIR") or str(QUESTIONNAIRES)

    # Forms: CSRF tokens last as long as the session, because a child may take an hour.
    WTF_CSRF_TIME_LIMIT = None
    # A whole questionnaire page is a few KB; anything far bigger is refused with 413.
    MAX_CONTENT_LENGTH = 256 * 1024
    MAX_FORM_MEMORY_SIZE = 256 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = 8 * 3600  # staff sessions end after a working day
    # ...and after this many minutes with no page opened or form sent (5 to 480): a screen
    # left open on a shared desk is not a way into children's words for long.
    STAFF_IDLE_MINUTES = _env_int("HEARD_STAFF_IDLE_MINUTES", 30)

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    LANGUAGES = ("en", "pl", "ur")

    # gunicorn's access log: off unless a file (or "-", standard output) is named here.
    ACCESS_LOG = os.environ.get("HEARD_ACCESS_LOG") or None

    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    # No X-RateLimit-* headers: a browser has no use for them, a Retry-After on every
    # answer that went through tells clients to wait for nothing, and reading the window
    # for them cost two more Redis commands a request. A 429 still says when to try again
    # (survey/errors.py).
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_ENABLED = True
    # Behind a load balancer every request comes from its address: trust this many
    # X-Forwarded-For/-Proto hops so rate limits count each person and HTTPS is seen.
    PROXY_HOPS = _env_int("HEARD_PROXY_HOPS", 0)
    # Background jobs go to RQ on this Redis; without it they run in the request (see jobs.py).
    JOBS_REDIS_URL = os.environ.get("HEARD_JOBS_REDIS_URL", os.environ.get("REDIS_URL"))
    JOBS_QUEUE = os.environ.get("HEARD_JOBS_QUEUE", "heard")
    # How much a job worker lowers its CPU priority (Unix nice, 0 to 19; 0 leaves it): on
    # a server it shares with the web processes, page saves come first in a burst.
    WORKER_NICE = _env_int("HEARD_WORKER_NICE", 10)
    # Retention per campaign kind (see survey/ops/retention.py); a YAML file may override.
    RETENTION_FILE = os.environ.get("HEARD_RETENTION_FILE")

    # The council running the service. The help numbers are shown on every public page.
    COUNCIL_NAME = os.environ.get("HEARD_COUNCIL_NAME", "Exampleshire County Council")
    # A PNG or JPEG file for the top of the QA and board reports (none: the name alone).
    COUNCIL_LOGO = os.environ.get("HEARD_COUNCIL_LOGO", "")
    # The address printed on letters, lines separated by ";" (Ofcom's drama-style example).
    COUNCIL_ADDRESS = os.environ.get(
        "HEARD_COUNCIL_ADDRESS",
        "Participation Team; Exampleshire County Council; County Hall; Exampletown EX1 1AA",
    )
    FRONT_DOOR_PHONE = os.environ.get("HEARD_FRONT_DOOR_PHONE", "01632 960 001")
    # words, shown as given in every language; unset, the hours are HEARD_OFFICE_HOURS
    # in the reader's language (survey/templating.py front_door_hours)
    FRONT_DOOR_HOURS = os.environ.get("HEARD_FRONT_DOOR_HOURS", "")
    OUT_OF_HOURS_PHONE = os.environ.get("HEARD_OUT_OF_HOURS_PHONE", "01632 960 999")
    # The leaving care team, in office hours (HEARD_OFFICE_HOURS): care leavers' pages give
    # it beside the children's front door; empty (the default outside development), they
    # give the front door alone.
    LEAVING_CARE_PHONE = os.environ.get("HEARD_LEAVING_CARE_PHONE", "")
    # The complaints team: given to someone who complained anonymously and asked for an
    # advocate, and on the confirmation for anyone who needs to contact us about it.
    COMPLAINTS_PHONE = os.environ.get("HEARD_COMPLAINTS_PHONE", "01632 960 002")
    SUPPRESSION_THRESHOLD = _env_int("HEARD_SUPPRESSION_THRESHOLD", 5)
    # Counts in summaries and reports are moved by up to 2 (the ONS cell-key method) so
    # that two selections cannot be subtracted to count a few people (decision 0014).
    PERTURB_COUNTS = _env_int("HEARD_PERTURB_COUNTS", 1) != 0
    CELL_KEY_SECRET = os.environ.get("HEARD_CELL_KEY_SECRET", "")
    DRAFT_DAYS = _env_int("HEARD_DRAFT_DAYS", 30)  # how long a half-finished answer is kept
    # An unacknowledged safeguarding flag is shown to every admin after this many hours.
    FLAG_ESCALATE_HOURS = _env_int("HEARD_FLAG_ESCALATE_HOURS", 4)
    FLAG_BURST = _env_int("HEARD_FLAG_BURST", 10)  # flags from one campaign in an hour
    # Weeks after a survey closes by which "you said, we did" is promised to respondents.
    LOOP_WEEKS = _env_int("HEARD_LOOP_WEEKS", 12)
    # Alerts that take a flag out of the app (survey/alerts/; README "Safeguarding alerts").
    # Email by SMTP (smtp://user:pass@host:587 uses STARTTLS; smtps:// for TLS on 465), or
    # email and SMS by GOV.UK Notify when an API key is set (Notify wins for email).
    SMTP_URL = os.environ.get("HEARD_SMTP_URL", "")
    MAIL_FROM = os.environ.get("HEARD_MAIL_FROM", "Heard <heard@localhost>")
    NOTIFY_API_KEY = os.environ.get("HEARD_NOTIFY_API_KEY", "")
    NOTIFY_BASE_URL = os.environ.get(
        "HEARD_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"
    )
    # Notify sends only from templates: one email template with ((subject)) and ((body)),
    # one text message template with ((body)) (README gives the wording).
    NOTIFY_EMAIL_TEMPLATE = os.environ.get("HEARD_NOTIFY_EMAIL_TEMPLATE", "")
    NOTIFY_SMS_TEMPLATE = os.environ.get("HEARD_NOTIFY_SMS_TEMPLATE", "")
    # Emails and/or mobile numbers of the Emergency Duty Team, comma-separated: they are
    # sent every new possible-current-risk flag raised outside office hours.
    OUT_OF_HOURS_ALERT = os.environ.get("HEARD_OUT_OF_HOURS_ALERT", "")
    # The council's office hours, Monday to Friday except bank holidays in England.
    OFFICE_HOURS = os.environ.get("HEARD_OFFICE_HOURS", "09:00-17:00")
    # Where staff reach Heard, for the link in an alert (https://heard.example.gov.uk).
    BASE_URL = os.environ.get("HEARD_BASE_URL", "")
    CAMPAIGN_HOURLY_STARTS = _env_int("HEARD_CAMPAIGN_HOURLY_STARTS", 600)
    # Complaint records hold personal data: kept this long after closing (compliments and
    # comments: after arriving), then listed for deletion (survey/complaints/privacy.py).
    COMPLAINT_RETENTION_YEARS = _env_int("HEARD_COMPLAINT_RETENTION_YEARS", 6)
    COMPLIMENT_RETENTION_YEARS = _env_int("HEARD_COMPLIMENT_RETENTION_YEARS", 3)
    # Staff single sign-on through the council's OpenID Connect provider (survey/auth/sso.py;
    # README "Single sign-on"). Off unless the issuer is set.
    OIDC_ISSUER = os.environ.get("HEARD_OIDC_ISSUER", "")
    OIDC_CLIENT_ID = os.environ.get("HEARD_OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = os.environ.get("HEARD_OIDC_CLIENT_SECRET", "")
    # The ID token claim listing the person's groups ("roles" for Entra ID app roles), and
    # which group gives which Heard role: "heard-admins=admin,heard-qa=qa_reviewer".
    OIDC_ROLES_CLAIM = os.environ.get("HEARD_OIDC_ROLES_CLAIM", "groups")
    OIDC_ROLE_MAP = os.environ.get("HEARD_OIDC_ROLE_MAP", "")
    # The role of someone in no mapped group; unset, such a person is refused.
    OIDC_DEFAULT_ROLE = os.environ.get("HEARD_OIDC_DEFAULT_ROLE", "")
    # The council's limit on a single sign-on session, in hours (below the staff lifetime).
    OIDC_SESSION_HOURS = os.environ.get("HEARD_OIDC_SESSION_HOURS", "")
    # "on": passwords work as before; "break-glass": only for HEARD_BREAK_GLASS_ADMINS.
    LOCAL_SIGN_IN = os.environ.get("HEARD_LOCAL_SIGN_IN", "on")
    BREAK_GLASS_ADMINS = os.environ.get("HEARD_BREAK_GLASS_ADMINS", "")

    @classmethod
    def finalise(cls, config: dict[str, object], instance_path: Path) -> None:
        """Fill derived settings; raise ConfigError for missing required ones."""
        if not config.get("SQLALCHEMY_DATABASE_URI"):
            config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance_path / 'heard.db'}"
        uri = str(config["SQLALCHEMY_DATABASE_URI"])
        if uri.startswith("postgres://"):  # Heroku-style URLs
            uri = "postgresql+psycopg://" + uri.removeprefix("postgres://")
        elif uri.startswith("postgresql://"):
            uri = "postgresql+psycopg://" + uri.removeprefix("postgresql://")
        config["SQLALCHEMY_DATABASE_URI"] = uri
        if uri.startswith("sqlite"):
            # Wait for a writer instead of failing with "database is locked".
            config["SQLALCHEMY_ENGINE_OPTIONS"] = {
                "connect_args": {"timeout": 30},
                "hide_parameters": True,
            }
        _check_alert_settings(config)
        _check_sso_settings(config)
        if not 5 <= int(str(config.get("STAFF_IDLE_MINUTES", 30))) <= 480:
            raise ConfigError("HEARD_STAFF_IDLE_MINUTES must be between 5 and 480 minutes")


def _check_sso_settings(config: dict[str, object]) -> None:
    """Wrong single sign-on settings stop the start: not a locked-out council on Monday."""
    from survey.auth.sso_settings import SettingError, settings_from

    try:
        settings_from(config)
    except SettingError as error:
        raise ConfigError(str(error)) from error


def _check_alert_settings(config: dict[str, object]) -> None:
    """Wrong alert settings stop the start, with what is wrong: not a 3 a.m. alert lost."""
    from email.utils import parseaddr
    from urllib.parse import urlsplit

    from survey.alerts.channels import SendError, routes, smtp_parts
    from survey.alerts.routing import SettingError, office_hours, out_of_hours_recipients

    try:
        office_hours(config)
        duty = out_of_hours_recipients(config)
    except SettingError as error:
        raise ConfigError(str(error)) from error
    if config.get("SMTP_URL"):
        try:
            smtp_parts(str(config["SMTP_URL"]))
        except SendError as error:
            raise ConfigError(str(error)) from error
    ways = routes(config)
    for channel, recipient in duty:
        if ways.get(channel) is None:
            needs = (
                "HEARD_NOTIFY_API_KEY and HEARD_NOTIFY_SMS_TEMPLATE"
                if channel == "sms"
                else "HEARD_SMTP_URL, or GOV.UK Notify's settings"
            )
            raise ConfigError(f"HEARD_OUT_OF_HOURS_ALERT holds {recipient!r}: that needs {needs}")
    if float(str(config.get("FLAG_ESCALATE_HOURS") or 0)) <= 0:
        raise ConfigError("HEARD_FLAG_ESCALATE_HOURS must be more than 0")
    sender = parseaddr(str(config.get("MAIL_FROM") or ""))[1]
    if "@" not in sender:
        raise ConfigError("HEARD_MAIL_FROM must be an address, like Heard <heard@council.gov.uk>")
    base = str(config.get("BASE_URL") or "")
    if base and (urlsplit(base).scheme not in ("http", "https") or not urlsplit(base).hostname):
        raise ConfigError(
            "HEARD_BASE_URL must be the site's address, like https://heard.council.gov.uk, "
            f"not {base!r}"
        )
    if config.get("ENV_NAME") == "production" and any(ways.values()) and not base:
        raise ConfigError(
            "HEARD_BASE_URL must be set when alerts are on, so the link in an alert goes to Heard"
        )


#: The help numbers children and families are given; in production none may be left as
#: the example numbers (Ofcom's range for drama, 01632 960000 to 960999).
HELP_NUMBERS = ("FRONT_DOOR_PHONE", "OUT_OF_HOURS_PHONE", "COMPLAINTS_PHONE", "LEAVING_CARE_PHONE")
EXAMPLE_RANGE = "01632960"


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    LEAVING_CARE_PHONE = os.environ.get("HEARD_LEAVING_CARE_PHONE", "01632 960 003")

    @classmethod
    def finalise(cls, config: dict[str, object], instance_path: Path) -> None:
        super().finalise(config, instance_path)
        if not config.get("SECRET_KEY"):
            # A per-checkout key kept in instance/, so sessions survive a restart.
            key_file = instance_path / "secret_key"
            if not key_file.exists():
                instance_path.mkdir(parents=True, exist_ok=True)
                key_file.write_text(secrets.token_hex(32))
                key_file.chmod(0o600)
            config["SECRET_KEY"] = key_file.read_text().strip()


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    LEAVING_CARE_PHONE = "01632 960 003"
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = False
    JOBS_REDIS_URL = None
    RETENTION_FILE = None
    # Exact counts, so that tests of suppression can check its arithmetic; the tests of
    # perturbation, and of the pages with it, turn it on (the ``perturbed`` fixture).
    PERTURB_COUNTS = False


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @classmethod
    def finalise(cls, config: dict[str, object], instance_path: Path) -> None:
        super().finalise(config, instance_path)
        key = config.get("SECRET_KEY")
        if not key or len(str(key)) < 32:
            raise ConfigError(
                "SECRET_KEY must be set to at least 32 random characters in production "
                "(for example: python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        for name in HELP_NUMBERS:
            number = str(config.get(name) or "")
            if "".join(c for c in number if c.isdigit()).startswith(EXAMPLE_RANGE):
                raise ConfigError(
                    f"HEARD_{name} is {number}, an example number (Ofcom's range for drama): "
                    "children and families would be given it for help. Set the council's own "
                    "number."
                )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_class(name: str | None = None) -> type[Config]:
    name = name or os.environ.get("HEARD_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError as error:
        raise ConfigError(f"HEARD_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from error
