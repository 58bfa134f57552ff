"""The sign-in limits' settings: defaults, and a bad value stops start-up with its name."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from safehub.core.tests.test_security import PRODUCTION, _load_settings


def test_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    # SQLite's busy timeout is read only when the database is SQLite (whatever DATABASE_URL the suite runs on).
    production = _load_settings(monkeypatch, **PRODUCTION, DATABASE_URL="sqlite:///safehub-settings-test.sqlite3")

    assert production.SIGN_IN_LOCKOUT_FAILURES == 10
    assert production.SESSION_ABSOLUTE_LIFETIME_SECONDS == 10 * 60 * 60
    assert production.SESSION_COOKIE_AGE >= production.SESSION_ABSOLUTE_LIFETIME_SECONDS
    assert production.SAFEHUB_TRUSTED_PROXIES == 0
    assert "busy_timeout=20000" in production.DATABASES["default"]["OPTIONS"]["init_command"]
    assert production.DATABASES["default"]["OPTIONS"]["timeout"] == 20
    validators = [v["NAME"] for v in production.AUTH_PASSWORD_VALIDATORS]
    assert "safehub.signin.passwords.GuessablePatternValidator" in validators


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SIGN_IN_LOCKOUT_FAILURES", "0"),
        ("SIGN_IN_CLIENT_FAILURES", "-1"),
        ("SESSION_ABSOLUTE_LIFETIME_SECONDS", "0"),
        ("SIGN_IN_CONCURRENT_CHECKS", "0"),
        ("SAFEHUB_TRUSTED_PROXIES", "-1"),
    ],
)
def test_a_limit_below_its_least_is_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=name):
        _load_settings(monkeypatch, **PRODUCTION, **{name: value})


def test_a_longer_lifetime_lengthens_the_cookie(monkeypatch: pytest.MonkeyPatch) -> None:
    production = _load_settings(monkeypatch, **PRODUCTION, SESSION_ABSOLUTE_LIFETIME_SECONDS=str(20 * 3600))

    assert production.SESSION_COOKIE_AGE == 20 * 3600
