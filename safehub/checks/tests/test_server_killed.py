"""Killing the web server in the middle of a partner's "submit response" loses no answer and never
makes two.

A real gunicorn serves Safehub (through `pausing_wsgi`, which stops the request at one chosen point)
against a scratch database that this process and the server can both open: a file on SQLite, a
database of its own on the PostgreSQL server otherwise. `server_scenario`, run in a subprocess,
builds the data and reads the outcome; this process only speaks HTTP and never touches a database.
The server is killed with SIGKILL (no clean-up runs, as when a machine loses power), then started
again, plainly, and the partner's browser sends the very same form again, as it does when the user
presses "submit" once more after the connection dropped.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from safehub.core.tests.scratch import scratch_database

ROOT = Path(__file__).resolve().parents[3]
APPLICATION = "safehub.checks.tests.pausing_wsgi:application"
ALREADY_ANSWERED = "This request has already been answered (your answer is below)"
ANSWER = {
    "nothing_known": "on",
    "information": "",
    "analysis": "",
    "sources_searched": "PND and Niche",
    "handling_restriction": "",
    "on_behalf_of": "",
    "action": "submit",
}
STARTUP_SECONDS = 60.0
PAUSE_WAIT_SECONDS = 30.0
HTTP_TIMEOUT_SECONDS = 30.0


# The scratch database, and the programs run against it ------------------------------------------


@pytest.fixture(scope="module")
def scratch_env(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[dict[str, str]]:
    """The environment of every subprocess: settings for tests, and a migrated scratch database of the
    same kind as the test run's, a copy of a migrated one (shared by the tests of this module)."""
    with ExitStack() as stack:
        with django_db_blocker.unblock():
            directory = tmp_path_factory.mktemp("killed-server")
            scratch = stack.enter_context(scratch_database(directory, label="killtest", migrated=True))
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "safehub.settings",
            "SAFEHUB_TESTING": "true",
            "SAFEHUB_DEMO": "false",
            "DEBUG": "false",
            "DATABASE_URL": scratch.url,
        }
        for name in ("SAFEHUB_PAUSE_AT", "SAFEHUB_PAUSE_MARKER", "DATABASE_CONN_MAX_AGE"):
            env.pop(name, None)
        _run(env, "-m", "django", "migrate", "--no-input", "-v", "0")  # finds nothing left to do
        yield env


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def _scenario(env: dict[str, str], *args: str) -> dict[str, Any]:
    output = _run(env, "-m", "safehub.checks.tests.server_scenario", *args)
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


# The web server --------------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def log_tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]

    def kill(self) -> None:
        """SIGKILL to gunicorn's whole process group: the master and its worker alike."""
        with suppress(ProcessLookupError):  # every process of the group has already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def _serving(
    env: dict[str, str], directory: Path, *, pause_at: str = "", marker: Path | None = None
) -> Iterator[Server]:
    """gunicorn, one sync worker, in a process group of its own; killed on the way out, whatever happens."""
    port = _free_port()
    server_env = {**env, "SAFEHUB_PAUSE_AT": pause_at, "SAFEHUB_PAUSE_MARKER": str(marker or "")}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        APPLICATION,
        "--workers",
        "1",
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "300",
        "--access-logfile",
        "-",
        # Else each server listens on ~/.gunicorn/gunicorn.ctl, which a killed one leaves behind
        # and which any other gunicorn on the machine (a load benchmark) shares.
        "--no-control-socket",
    ]
    log = directory / f"gunicorn-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            command, env=server_env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process, port, log)
    try:
        _wait_until_up(server)
        yield server
    finally:
        server.kill()


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn stopped as it started (exit {server.process.returncode}):\n{server.log_tail()}")
        probe = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        try:
            probe.request("GET", reverse("accounts:login"))
            if probe.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            probe.close()
        time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer within {STARTUP_SECONDS:.0f} s:\n{server.log_tail()}")


# The partner's browser ------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    status: int
    location: str
    text: str


@dataclass
class Browser:
    """Just enough of a browser: it keeps the cookies it is given and sent, and sends them back."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, port: int, method: str, path: str, body: str | None = None) -> Page:
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT_SECONDS)
        try:
            client.request(method, path, body=body, headers=headers)
            response = client.getresponse()
            text = response.read().decode("utf-8")
            for header in response.headers.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.coded_value
            return Page(response.status, response.getheader("Location", ""), text)
        finally:
            client.close()

    def follow(self, port: int, page: Page) -> Page:
        assert page.status == 302, page
        return self.request(port, "GET", page.location)


def _form(browser: Browser, port: int, path: str) -> dict[str, str]:
    """The answer form on the request page: its CSRF token and the version it was drawn at."""
    page = browser.request(port, "GET", path)
    assert page.status == 200, page
    assert settings.CSRF_COOKIE_NAME in browser.cookies
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert token is not None
    assert version is not None
    return {"csrfmiddlewaretoken": token.group(1), "version": version.group(1)}


def _kill_mid_post(server: Server, browser: Browser, path: str, body: str, marker: Path) -> dict[str, Any]:
    """POST the form from a thread; when the worker says it has paused, kill the server. Returns
    what the worker wrote in the marker, after checking the browser saw the connection drop."""
    outcome: dict[str, Any] = {}

    def post() -> None:
        try:
            outcome["page"] = browser.request(server.port, "POST", path, body)
        except (OSError, http.client.HTTPException) as error:
            outcome["error"] = error

    thread = threading.Thread(target=post, daemon=True)
    thread.start()
    deadline = time.monotonic() + PAUSE_WAIT_SECONDS
    paused: dict[str, Any] | None = None
    while paused is None:
        if not thread.is_alive():
            pytest.fail(f"The POST finished without pausing: {outcome}\n{server.log_tail()}")
        if time.monotonic() > deadline:
            pytest.fail(f"The worker did not pause within {PAUSE_WAIT_SECONDS:.0f} s:\n{server.log_tail()}")
        try:
            paused = json.loads(marker.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):  # not there yet, or half written
            time.sleep(0.05)
    server.kill()
    thread.join(timeout=10)
    assert not thread.is_alive(), "the browser still waits for an answer from a dead server"
    assert "page" not in outcome, f"the browser got an answer: {outcome}"
    assert isinstance(outcome["error"], ConnectionError), outcome  # RemoteDisconnected or a reset
    return paused


def _intact(state: dict[str, Any]) -> None:
    assert state["audit"]["intact"], state["audit"]


# The tests -------------------------------------------------------------------------------------


def test_killed_inside_the_transaction_nothing_is_kept_and_the_same_form_then_succeeds(
    scratch_env: dict[str, str], tmp_path: Path
) -> None:
    """SIGKILL while `save_response`'s transaction holds the submitted response, the request's new
    state and the audit entry, uncommitted: all of it is gone. The request is still `sent` at its
    old version, the audit chain verifies with no entry added. Sending the same form again (the same
    version field) to the restarted server then records exactly one submitted response."""
    data = _scenario(scratch_env, "setup")
    before = _scenario(scratch_env, "state", str(data["request"]))
    browser = Browser({settings.SESSION_COOKIE_NAME: data["cookie"]})
    path = reverse("checks:request", args=[data["request"]])
    marker = tmp_path / "paused.json"

    with _serving(scratch_env, tmp_path, pause_at="in_transaction", marker=marker) as server:
        form = _form(browser, server.port, path)
        assert form["version"] == str(data["version"])
        body = urlencode({**form, **ANSWER})
        paused = _kill_mid_post(server, browser, path, body, marker)
    assert paused["in_atomic_block"] is True

    after_kill = _scenario(scratch_env, "state", str(data["request"]))
    assert after_kill["state"] == "sent"
    assert after_kill["version"] == data["version"]
    assert after_kill["responses"] == {}  # not even a draft: the row was never committed
    assert after_kill["submitted_events"] == 0
    _intact(after_kill)
    assert after_kill["audit_writes"] == before["audit_writes"]  # reads of the page are recorded; no write

    with _serving(scratch_env, tmp_path) as server:
        retry = browser.request(server.port, "POST", path, body)
        assert retry.status == 302, retry
        assert retry.location == path
        assert "Response submitted" in browser.follow(server.port, retry).text

    final = _scenario(scratch_env, "state", str(data["request"]))
    assert final["state"] == "answered"
    assert final["version"] == data["version"] + 1
    assert final["responses"] == {"submitted": 1}
    assert final["submitted_events"] == 1
    _intact(final)


def test_killed_after_the_commit_the_answer_is_kept_once_and_a_resend_changes_nothing(
    scratch_env: dict[str, str], tmp_path: Path
) -> None:
    """SIGKILL after `save_response` committed but before the redirect left the server: the
    browser sees the connection drop, yet the answer is kept, exactly once, and the audit chain
    verifies. Sending the same form again to the restarted server changes nothing (the same state,
    response and audit entries) and the page says the request has already been answered."""
    data = _scenario(scratch_env, "setup")
    browser = Browser({settings.SESSION_COOKIE_NAME: data["cookie"]})
    path = reverse("checks:request", args=[data["request"]])
    marker = tmp_path / "paused.json"

    with _serving(scratch_env, tmp_path, pause_at="after_commit", marker=marker) as server:
        form = _form(browser, server.port, path)
        assert form["version"] == str(data["version"])
        body = urlencode({**form, **ANSWER})
        paused = _kill_mid_post(server, browser, path, body, marker)
    assert paused["in_atomic_block"] is False

    after_kill = _scenario(scratch_env, "state", str(data["request"]))
    assert after_kill["state"] == "answered"
    assert after_kill["version"] == data["version"] + 1
    assert after_kill["responses"] == {"submitted": 1}
    assert after_kill["submitted_events"] == 1
    _intact(after_kill)

    with _serving(scratch_env, tmp_path) as server:
        retry = browser.request(server.port, "POST", path, body)
        assert retry.status == 302, retry
        assert retry.location == path
        page = browser.follow(server.port, retry)
        assert page.status == 200
        assert ALREADY_ANSWERED in page.text

    resent = _scenario(scratch_env, "state", str(data["request"]))
    _intact(resent)
    assert resent["audit"]["checked"] > after_kill["audit"]["checked"]  # the resent page was read, and recorded
    del resent["audit"], after_kill["audit"]
    assert resent == after_kill  # nothing else changed: state, version, responses, audit writes
