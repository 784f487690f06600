"""Rate limits that really trigger, shared through Redis across app instances; size limits.

The test config turns Flask-Limiter off so the rest of the suite can sign in freely; these
tests build their own app with it on. The limiter is one object for the process; the
suite turns it off again after every test (tests/conftest.py).
"""

from __future__ import annotations

import uuid

import pytest

from survey import create_app
from survey.extensions import limiter
from tests.conftest import csrf_token_from, service_missing

REDIS_URL = "redis://127.0.0.1:6379/0"
OUR_KEYS = "LIMITS:*/127.0.0.1/respond.resume/*"  # the test client's address, this route


@pytest.fixture()
def limited_app(app, database_url):
    """A second app on the suite's database, with rate limits on, in ``storage``."""
    made = []

    def make(storage: str = "memory://", prefix: str = "", hops: int = 0, **more):  # type: ignore[no-untyped-def]
        new = create_app(
            {
                "PROXY_HOPS": hops,
                "SQLALCHEMY_DATABASE_URI": database_url,
                "RATELIMIT_ENABLED": True,
                "RATELIMIT_STORAGE_URI": storage,
                "RATELIMIT_KEY_PREFIX": prefix or uuid.uuid4().hex,
                **more,
            },
            env="test",
        )
        new.extensions["heard.library"] = app.extensions["heard.library"]  # with the examples
        made.append(new)
        return new

    yield make
    for other in made:
        with other.app_context():
            from survey.extensions import db

            db.engine.dispose()


def _resume_attempts(app, count: int, addresses: bool = False) -> list[int]:
    """Save-and-return codes are guessable only slowly: 10 tries a minute (no password hashing,
    so this is the cheap route to prove the storage is shared). With ``addresses`` each try
    claims another X-Forwarded-For address."""
    browser = app.test_client()
    token = csrf_token_from(browser.get("/resume").get_data(as_text=True))
    if addresses:
        return [
            browser.post(
                "/resume",
                data={"csrf_token": token, "code": "ABCD-EFGH"},
                headers={"X-Forwarded-For": f"10.0.0.{n}"},
            ).status_code
            for n in range(count)
        ]
    return [
        browser.post("/resume", data={"csrf_token": token, "code": "ABCD-EFGH"}).status_code
        for _ in range(count)
    ]


def _sign_in_attempts(app, count: int) -> list[int]:
    browser = app.test_client()
    token = csrf_token_from(browser.get("/staff/sign-in").get_data(as_text=True))
    data = {"csrf_token": token, "email": "nobody@example.org", "password": "wrong password here"}
    return [browser.post("/staff/sign-in", data=data).status_code for _ in range(count)]


def test_sign_in_is_limited_to_ten_tries_a_minute(limited_app):
    statuses = _sign_in_attempts(limited_app(), 11)
    assert statuses[:10] == [400] * 10  # wrong password, shown the form again
    assert statuses[10] == 429


def test_starting_a_questionnaire_is_limited(limited_app, make_campaign):
    make_campaign("example")
    app = limited_app()
    browser = app.test_client()
    token = csrf_token_from(browser.get("/s/example").get_data(as_text=True))
    # 120 a minute from one address: a class of 30 starts together, a script does not.
    statuses = [
        browser.post("/s/example", data={"csrf_token": token}).status_code for _ in range(121)
    ]
    assert statuses[:120] == [302] * 120
    assert statuses[120] == 429
    assert b"too many" in browser.post("/s/example", data={"csrf_token": token}).data.lower()


def test_only_a_refusal_says_when_to_try_again(limited_app, make_campaign):
    """No X-RateLimit-* or Retry-After on answers that went through (a Retry-After on a
    redirect tells a client to wait for nothing, and reading the window for the headers
    cost a second trip to the limits' storage on every page save); the 429 says how many
    seconds until the minute's window opens again."""
    make_campaign("example")
    browser = limited_app().test_client()
    token = csrf_token_from(browser.get("/s/example").get_data(as_text=True))
    responses = [browser.post("/s/example", data={"csrf_token": token}) for _ in range(121)]
    for response in responses[:120]:
        assert response.status_code == 302
        assert not [name for name, _ in response.headers.items() if "ratelimit" in name.lower()]
        assert "Retry-After" not in response.headers
    refused = responses[120]
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_saving_pages_is_limited_for_each_draft(limited_app, make_campaign):
    """120 page saves a minute for one draft (counted in the view's own check only), while
    another child's draft behind the same address saves on."""
    make_campaign("example")
    app = limited_app()

    def started():  # type: ignore[no-untyped-def]
        browser = app.test_client()
        token = csrf_token_from(browser.get("/s/example").get_data(as_text=True))
        assert browser.post("/s/example", data={"csrf_token": token}).status_code == 302
        return browser, {
            "csrf_token": token,
            "action": "continue",
            "feel-today": "4",
            "feel-safe": "yes",
        }

    browser, answer = started()
    save = "/s/example/q/feelings"
    statuses = [browser.post(save, data=answer).status_code for _ in range(121)]
    assert statuses[:120] == [302] * 120
    assert statuses[120] == 429
    other, answer = started()
    assert other.post(save, data=answer).status_code == 302


def test_a_limit_on_every_route_from_the_configuration_still_counts(limited_app, monkeypatch):
    """RATELIMIT_DEFAULT applies to routes without limits of their own (such limits are
    counted before the view, by a check that is dropped only when none is declared)."""
    # The limiter is one object for the process: its default limits go with this test.
    monkeypatch.setattr(limiter.limit_manager, "_default_limits", [])
    app = limited_app(RATELIMIT_DEFAULT="3/minute")
    browser = app.test_client()
    assert [browser.get("/healthz").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_two_app_instances_share_one_limit_in_redis(limited_app):
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    redis = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        redis.ping()
    except RedisDown:
        service_missing(f"no Redis at {REDIS_URL}: shared rate limits are not tested here")
    prefix = f"heard-test-{uuid.uuid4().hex}"
    try:
        first = limited_app(REDIS_URL, prefix)
        assert _resume_attempts(first, 10) == [404] * 10  # no such code
        # A second instance (its own storage object and connection): the count is in Redis.
        second = limited_app(REDIS_URL, prefix)
        assert _resume_attempts(second, 1) == [429]
        assert any(redis.scan_iter(OUR_KEYS))
    finally:
        for key in redis.scan_iter(OUR_KEYS):
            redis.delete(key)


def test_with_memory_storage_each_instance_counts_alone(limited_app):
    """The control for the test above: without Redis the second instance starts at zero."""
    prefix = uuid.uuid4().hex
    assert _resume_attempts(limited_app("memory://", prefix), 10) == [404] * 10
    assert _resume_attempts(limited_app("memory://", prefix), 1) == [404]


@pytest.mark.parametrize("path", ["/staff/sign-in", "/s/example", "/resume"])
def test_a_body_over_the_size_limit_is_refused_before_anything_reads_it(app, client, path):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(path, data={"csrf_token": "x", "text": "a" * (limit + 1)})
    assert response.status_code == 413
    assert limit <= 1024 * 1024


def test_a_client_cannot_pick_its_own_address_unless_a_proxy_is_trusted(limited_app):
    """X-Forwarded-For is believed only with HEARD_PROXY_HOPS set (behind a load balancer)."""
    assert _resume_attempts(limited_app(), 11, addresses=True)[-1] == 429
    assert _resume_attempts(limited_app(hops=1), 11, addresses=True) == [404] * 11


def test_an_open_link_takes_a_ceiling_of_starts_an_hour_from_all_addresses(
    app, make_campaign, monkeypatch
):
    """A script spread over many addresses cannot fill the queue or the register: past the
    campaign's hourly ceiling new starts are asked to wait; the admins see it in the audit."""
    from sqlalchemy import select

    from survey.extensions import db
    from survey.models import AuditEvent

    make_campaign("example")
    monkeypatch.setitem(app.config, "CAMPAIGN_HOURLY_STARTS", 3)
    statuses = []
    for n in range(5):
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
        token = csrf_token_from(browser.get("/s/example").get_data(as_text=True))
        response = browser.post("/s/example", data={"csrf_token": token})
        statuses.append(response.status_code)
        if n == 4:
            assert "A lot of people are answering right now" in response.get_data(as_text=True)
            assert response.headers["Retry-After"] == "300"  # "try again in a few minutes"
    assert statuses == [302, 302, 302, 429, 429]
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "campaign_ceiling_reached")
        ).all()
        assert [e.target for e in events] == ["example"]


def test_one_address_takes_at_most_half_a_campaigns_starts_in_an_hour(limited_app, make_campaign):
    """Found by a security review: one address could take all of an open link's hourly
    starts (120 a minute each), and every child after it was asked to come back later. Now
    one address takes at most half, so a school hall's children still get in and a script
    from one place cannot shut the survey; another campaign's starts are not touched."""
    make_campaign("example")
    make_campaign("example-two")
    app = limited_app(CAMPAIGN_HOURLY_STARTS=6)

    def starts(address: str, slug: str, times: int) -> list[int]:
        statuses = []
        for _ in range(times):
            browser = app.test_client()
            browser.environ_base["REMOTE_ADDR"] = address
            token = csrf_token_from(browser.get(f"/s/{slug}").get_data(as_text=True))
            statuses.append(browser.post(f"/s/{slug}", data={"csrf_token": token}).status_code)
        return statuses

    assert starts("203.0.113.9", "example", 5) == [302, 302, 302, 429, 429]
    assert starts("198.51.100.20", "example", 3) == [302, 302, 302]  # the rest, for others
    assert starts("203.0.113.9", "example-two", 1) == [302]


def test_an_ipv6_network_counts_as_one_address_for_a_campaigns_starts(limited_app, make_campaign):
    """Found by a code review: one household or server holds a whole /64 of IPv6
    addresses, so counting each address alone let one place take every start."""
    make_campaign("example")
    app = limited_app(CAMPAIGN_HOURLY_STARTS=6)
    statuses = []
    for n in range(4):
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = f"2001:db8:0:1::{n + 1}"
        token = csrf_token_from(browser.get("/s/example").get_data(as_text=True))
        statuses.append(browser.post("/s/example", data={"csrf_token": token}).status_code)
    assert statuses == [302, 302, 302, 429]
