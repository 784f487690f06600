"""Found by a user trial: `heard demo` printed every link on port 5000 while the site was
served, and configured, at another address (HEARD_BASE_URL). The printed links use the
site's configured address; without one, the local server's (127.0.0.1 on $PORT, or 5000)."""

from __future__ import annotations

import re

import pytest
from flask import Flask

LINK = re.compile(r"https?://\S+")


@pytest.fixture()
def printed(app: Flask, make_campaign, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """What `heard demo` prints, for the demo's showcase campaign with two spare links."""
    from survey.demo import summary

    monkeypatch.delenv("PORT", raising=False)
    make_campaign("wellbeing-11-17", "cic-wellbeing-11-17", invitations=2)

    def read(base_url: str = "") -> list[str]:
        monkeypatch.setitem(app.config, "BASE_URL", base_url)
        with app.app_context():
            return LINK.findall(summary())

    return read


def _paths(links: list[str], base: str) -> list[str]:
    assert links and all(link.startswith(f"{base}/") for link in links), links
    return [link.removeprefix(base) for link in links]


def test_with_heard_base_url_every_printed_link_uses_it(printed):
    links = printed("http://127.0.0.1:5360")
    paths = _paths(links, "http://127.0.0.1:5360")
    assert "/s/wellbeing-11-17" in paths and "/staff/sign-in" in paths
    assert "/you-said-we-did/wellbeing-11-17" in paths
    assert len([p for p in paths if p.startswith("/i/")]) == 2
    assert not any(":5000" in link for link in links)


def test_a_base_url_with_a_trailing_slash_makes_no_double_slash(printed):
    links = printed("https://heard.example.gov.uk/")
    assert "/s/wellbeing-11-17" in _paths(links, "https://heard.example.gov.uk")
    assert not any("//" in link.split("://", 1)[1] for link in links)


def test_without_one_the_links_are_the_local_servers_as_before(printed, monkeypatch):
    assert "/staff/sign-in" in _paths(printed(), "http://127.0.0.1:5000")
    monkeypatch.setenv("PORT", "8123")
    assert "/staff/sign-in" in _paths(printed(), "http://127.0.0.1:8123")
