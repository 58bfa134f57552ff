"""Secure defaults: sign-in everywhere, security headers, idle timeout, settings helpers, passwords."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.module_loading import import_string

import safehub.settings as settings_module
from safehub import entrypoint
from safehub.accounts.models import User
from safehub.core.checks import check_secret_key_is_given
from safehub.core.middleware import IDLE_KEY

SIGN_IN = "/account/sign-in/"
SAMPLE_VALUES = {
    "int": "1",
    "slug": "screening",
    "str": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def _pages(patterns: list[Any] | None = None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(name, path) for every URL in the project, with sample values for the parameters."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _pages(entry.url_patterns, prefix + route, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_VALUES[m.group(1) or "str"], prefix + route)
            yield f"{namespace}:{entry.name}", "/" + path


# Pages open to visitors who are not signed in: the sign-in page, and a one-time set-password link's page;
# and GOV.UK Notify's delivery callback, which a machine calls with the bearer token the hub set in Notify
# (refused without it: letters/tests/test_delivery.py).
OPEN_PAGES = {"accounts:login", "passwords:set-password", "letters:notify-callback"}
# The admin's pages, its sign-in address included, are tested with the admin (off by default) below.
APP_PAGES = [
    (name, path)
    for name, path in _pages()
    if not name.startswith("admin:") and not path.startswith("/admin/") and name not in OPEN_PAGES
]


def test_the_page_list_covers_the_apps() -> None:
    names = {name for name, _ in APP_PAGES}

    assert {"queues:home", "accounts:logout", "contacts:contact"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), APP_PAGES, ids=[name for name, _ in APP_PAGES])
def test_every_page_sends_anonymous_users_to_sign_in(client: Client, name: str, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{SIGN_IN}?next=")


@pytest.mark.django_db
def test_the_admin_also_needs_a_signed_in_user(client: Client, settings: Any) -> None:
    settings.SAFEHUB_ADMIN_ENABLED = True  # it is off by default outside development and the demo
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(f"{SIGN_IN}?next=")


@pytest.mark.django_db
def test_the_sign_in_page_is_open_and_sends_security_headers(client: Client) -> None:
    response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_content_security_policy_allows_only_our_own_and_nonced_scripts(client: Client) -> None:
    response = client.get(reverse("accounts:login"))

    directives = (part.strip().partition(" ") for part in response["Content-Security-Policy"].split(";"))
    policy = {name: value for name, _, value in directives if name}
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"])
    assert nonce is not None
    assert "'self'" in policy["script-src"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    # Every script on the page carries this response's nonce.
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    assert all(f'nonce="{nonce.group(1)}"' in tag for tag in scripts)


@pytest.mark.django_db
def test_each_response_has_a_fresh_nonce(client: Client) -> None:
    first = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    second = client.get(reverse("accounts:login"))["Content-Security-Policy"]

    assert first != second


def test_signed_in_pages_are_not_stored(manager_client: Client) -> None:
    response = manager_client.get(reverse("contacts:record-contact"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"


def test_not_found_pages_are_not_stored(manager_client: Client) -> None:
    response = manager_client.get("/no-such-page/")

    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
    assert "Page not found" in response.content.decode()


class TestIdleTimeout:
    def test_activity_within_the_timeout_keeps_the_user_signed_in(
        self, manager_client: Client, manager: User, time_machine: Any
    ) -> None:
        time_machine.move_to("2026-11-24T10:00:00Z", tick=False)
        assert manager_client.get("/no-such-page/").status_code == 404
        timeout = settings.SESSION_IDLE_TIMEOUT_SECONDS

        for _ in range(3):  # each request restarts the idle clock
            time_machine.shift(timedelta(seconds=timeout - 1))
            assert manager_client.get("/no-such-page/").status_code == 404

        assert manager_client.session[SESSION_KEY] == str(manager.pk)

    def test_an_idle_user_is_signed_out(self, manager_client: Client, time_machine: Any) -> None:
        time_machine.move_to("2026-11-24T10:00:00Z", tick=False)
        manager_client.get("/no-such-page/")
        time_machine.shift(timedelta(seconds=settings.SESSION_IDLE_TIMEOUT_SECONDS + 1))

        response = manager_client.get(reverse("contacts:record-contact"))

        assert response.status_code == 302
        assert response["Location"] == f"{SIGN_IN}?next=/contacts/new/"
        assert SESSION_KEY not in manager_client.session
        page = manager_client.get(response["Location"]).content.decode()
        assert "You were signed out because you were inactive. Sign in again." in page

    def test_the_timeout_comes_from_settings(self, manager_client: Client, time_machine: Any, settings: Any) -> None:
        settings.SESSION_IDLE_TIMEOUT_SECONDS = 60
        time_machine.move_to("2026-11-24T10:00:00Z", tick=False)
        manager_client.get("/no-such-page/")
        time_machine.shift(timedelta(seconds=61))

        assert manager_client.get("/no-such-page/").status_code == 302


def _load_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    """Run the settings module afresh under `env` (Django's own settings are not touched)."""
    for name in ("SAFEHUB_TESTING", "SAFEHUB_DEMO", "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "SAFEHUB_HTTPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("safehub_settings_under_test", settings_module.__file__)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PRODUCTION = {"SECRET_KEY": "a-production-secret-" + "y" * 40, "ALLOWED_HOSTS": "safehub.example.org"}


def test_production_hashes_passwords_with_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    production = _load_settings(monkeypatch, **PRODUCTION)

    hasher = import_string(production.PASSWORD_HASHERS[0])
    assert issubclass(hasher, Argon2PasswordHasher)  # on one lane (ADR 0023's addendum)
    assert hasher.algorithm == "argon2"
    assert production.DEBUG is False
    assert production.ALLOWED_HOSTS == ["safehub.example.org"]
    assert production.SESSION_COOKIE_SECURE is True
    assert production.CSRF_COOKIE_SECURE is True
    assert production.SECURE_SSL_REDIRECT is True
    assert production.SECURE_HSTS_SECONDS >= 31536000


def test_argon2_is_available() -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("a long passphrase", hasher.salt())

    assert encoded.startswith("argon2$")
    assert hasher.verify("a long passphrase", encoded)


def test_production_refuses_to_start_without_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        _load_settings(monkeypatch)


def test_an_offline_command_makes_up_a_key_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entrypoint, "serves_web_requests", False)  # as safehub.cli declares for `safehub link`

    first, second = _load_settings(monkeypatch), _load_settings(monkeypatch)

    assert first.SECRET_KEY_IS_EPHEMERAL is True
    assert len(first.SECRET_KEY) >= 50
    assert first.SECRET_KEY != second.SECRET_KEY  # random each time, never a default anyone could know


def test_a_given_secret_key_is_used_by_offline_commands_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entrypoint, "serves_web_requests", False)

    offline = _load_settings(monkeypatch, **PRODUCTION)

    assert offline.SECRET_KEY.startswith("a-production-secret-")
    assert offline.SECRET_KEY_IS_EPHEMERAL is False


def test_the_deployment_check_reports_a_made_up_key(settings: Any) -> None:
    assert check_secret_key_is_given(None) == []

    settings.SECRET_KEY_IS_EPHEMERAL = True
    [error] = check_secret_key_is_given(None)

    assert error.id == "safehub.E001"
    assert "SECRET_KEY is not set" in error.msg


def test_the_secret_key_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "secret_key"
    secret.write_text("from-a-mounted-secret-file\n", encoding="utf-8")

    production = _load_settings(monkeypatch, SECRET_KEY_FILE=str(secret), SECRET_KEY="ignored")

    assert production.SECRET_KEY == "from-a-mounted-secret-file"


def test_env_secret_reads_the_name_or_its_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SAFEHUB_PROBE_FILE", raising=False)
    monkeypatch.setenv("SAFEHUB_PROBE", "plain")
    assert settings_module.env_secret("SAFEHUB_PROBE") == "plain"

    secret = tmp_path / "probe"
    secret.write_text("  from file  \n", encoding="utf-8")
    monkeypatch.setenv("SAFEHUB_PROBE_FILE", str(secret))
    assert settings_module.env_secret("SAFEHUB_PROBE") == "from file"

    monkeypatch.delenv("SAFEHUB_PROBE_FILE")
    monkeypatch.delenv("SAFEHUB_PROBE")
    assert settings_module.env_secret("SAFEHUB_PROBE", "fallback") == "fallback"


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False), ("TRUE", True), ("", False)])
def test_env_bool_accepts_true_and_false(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("SAFEHUB_PROBE", value)

    assert settings_module.env_bool("SAFEHUB_PROBE") is expected


@pytest.mark.parametrize("value", ["yes", "1", "on", "no", "0"])
def test_env_bool_rejects_anything_else(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SAFEHUB_PROBE", value)

    with pytest.raises(ImproperlyConfigured, match="must be 'true' or 'false'"):
        settings_module.env_bool("SAFEHUB_PROBE")


def test_a_mistyped_debug_flag_stops_the_settings_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        _load_settings(monkeypatch, DEBUG="yes", **PRODUCTION)


def test_env_int_rejects_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEHUB_PROBE", "thirty")

    with pytest.raises(ImproperlyConfigured, match="whole number"):
        settings_module.env_int("SAFEHUB_PROBE", 1)


@pytest.mark.django_db
def test_passwords_must_have_at_least_twelve_characters() -> None:
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Kestrel-49x")  # 11 characters

    validate_password("Kestrel-49xq")  # 12 characters


def test_static_files_collect_for_production(settings: Any, tmp_path: Path) -> None:
    """Production serves hashed, compressed static files: every file a stylesheet or script names must exist."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    assert "govuk/govuk-frontend.min.css" in manifest["paths"]


class TestIdleClockWrites:
    def test_pages_within_a_minute_do_not_rewrite_the_session(self, manager_client: Client, time_machine: Any) -> None:
        time_machine.move_to("2026-11-24T10:00:00Z", tick=False)
        manager_client.get("/no-such-page/")
        first = manager_client.session[IDLE_KEY]
        time_machine.shift(timedelta(seconds=30))
        manager_client.get("/no-such-page/")
        assert manager_client.session[IDLE_KEY] == first
        time_machine.shift(timedelta(seconds=31))
        manager_client.get("/no-such-page/")
        assert manager_client.session[IDLE_KEY] == first + 61


@pytest.mark.parametrize("url_name", ["accounts:logout", "checks:dismiss-alerts"])
def test_an_address_for_a_button_typed_into_the_address_bar_says_so_and_changes_nothing(
    url_name: str, social_worker_client: Client
) -> None:
    response = social_worker_client.get(reverse(url_name))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    page = response.content.decode()
    assert "This address is for a button, not a link" in page
    assert "Nothing was changed" in page
    assert social_worker_client.get(reverse("queues:home")).status_code == 302  # still signed in: on to their queue
    assert "/account/sign-in/" not in social_worker_client.get(reverse("queues:home"))["Location"]
