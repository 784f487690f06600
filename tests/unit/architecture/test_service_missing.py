"""A missing service skips on a developer's machine but fails in CI."""

import pytest

from tests.conftest import service_missing


def test_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must provide it"):
        service_missing("no Redis")


def test_skips_elsewhere(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Redis"):
        service_missing("no Redis")
