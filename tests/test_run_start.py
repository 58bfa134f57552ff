"""`./run start` as a newcomer sees it: the address and how to sign in come last, not buried under the
server's banner or the worker's output, and the demo's emails go to the outbox, not the console.

The demo hub takes a minute to load, so the test starts `./run start` on a scratch database that
already holds a contact (`load-demo --if-empty` then loads nothing) and an overdue MASH check
request, so that the worker's first round sends alert emails.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAFEHUB = ROOT / ".venv" / "bin" / "safehub"
STARTUP_SECONDS = 120.0
SCENARIO = """
import datetime as dt
from safehub.accounts.models import AgencyKind, Role
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.checks.tests.helpers import start_checks
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.protocols.models import Brag

team = TeamFactory()
manager = user_with_role(Role.TEAM_MANAGER, team=team, username="demo.manager")
coordinator = user_with_role(Role.SOCIAL_WORKER, team=team, username="demo.coordinator")
police = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
user_with_role(Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="Desk", agency=police), username="demo.desk")
started = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)  # long overdue by now
contact = ContactAwaitingThresholdFactory(team=team)
start_checks(contact, by=manager, coordinator=coordinator, agencies=[police], at=started, rating=Brag.RED)
"""

pytestmark = [
    pytest.mark.skipif(not SAFEHUB.exists(), reason="./run start needs the checkout's .venv"),
    pytest.mark.database_independent,  # the demo runs on its own SQLite file, whatever DATABASE_URL says
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def newcomer_env(tmp_path: Path) -> dict[str, str]:
    """A newcomer's environment (demo mode comes from `./run start` itself), with its files in `tmp_path`."""
    env = {k: v for k, v in os.environ.items() if k not in {"SAFEHUB_TESTING", "DEBUG", "EMAIL_BACKEND", "SECRET_KEY"}}
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "PORT": str(_free_port()),
        "SAFEHUB_OUTBOX_DIR": str(tmp_path / "outbox"),
        "SAFEHUB_WORKER_LOG": str(tmp_path / "worker.log"),
        "SAFEHUB_AUDIT_CHECKPOINT_DIR": str(tmp_path / "audit-checkpoints"),
    }


@pytest.fixture
def demo_env(newcomer_env: dict[str, str]) -> dict[str, str]:
    """The scratch database migrated, with one overdue MASH check request in it."""
    prepare = {**newcomer_env, "SAFEHUB_DEMO": "true"}
    for args in (["migrate", "--no-input", "-v", "0"], ["shell", "-c", SCENARIO]):
        subprocess.run([str(SAFEHUB), *args], env=prepare, cwd=ROOT, check=True, timeout=300)  # noqa: S603
    return newcomer_env


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _lines(stream: IO[str], into: queue.Queue[tuple[str, str]], name: str) -> None:
    for line in stream:
        into.put((name, line.rstrip("\n")))


@pytest.fixture
def started(demo_env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], queue.Queue[tuple[str, str]]]]:
    run = subprocess.Popen(  # noqa: S603 - the checkout's own script
        [str(ROOT / "run"), "start"],
        cwd=ROOT,
        env=demo_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it: Ctrl+C goes to the group
    )
    output: queue.Queue[tuple[str, str]] = queue.Queue()
    for name, stream in (("stdout", run.stdout), ("stderr", run.stderr)):
        assert stream is not None
        threading.Thread(target=_lines, args=(stream, output, name), daemon=True).start()
    try:
        yield run, output
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGTERM)
            run.wait(timeout=30)


def _read_until(output: queue.Queue[tuple[str, str]], text: str, seen: list[tuple[str, str]]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            seen.append(output.get(timeout=1))
        except queue.Empty:
            continue
        if text in seen[-1][1]:
            return
    pytest.fail(f"{text!r} never appeared: {seen}")


def _drain(output: queue.Queue[tuple[str, str]], seen: list[tuple[str, str]]) -> None:
    while True:
        try:
            seen.append(output.get_nowait())
        except queue.Empty:
            return


def _wait_for(condition: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"Waited {seconds:.0f} s for {what}")


def test_start_ends_with_the_address_and_keeps_the_worker_quiet(
    demo_env: dict[str, str], started: tuple[subprocess.Popen[str], queue.Queue[tuple[str, str]]]
) -> None:
    run, output = started
    seen: list[tuple[str, str]] = []
    address = f"http://127.0.0.1:{demo_env['PORT']}/"

    _read_until(output, "Sign in with", seen)
    with urllib.request.urlopen(address + "account/sign-in/", timeout=10) as page:  # noqa: S310 - our server
        assert page.status == 200  # it was running when it said so
    outbox = Path(demo_env["SAFEHUB_OUTBOX_DIR"])
    _wait_for(lambda: len(list(outbox.glob("*.eml"))) >= 2, "the worker's alert emails in the outbox")
    time.sleep(1)
    _drain(output, seen)

    printed = [line for stream, line in seen if stream == "stdout" and line.strip()]
    assert printed[-2:] == [
        f"Safehub is running at {address} (demo hub; press Ctrl+C to stop)",
        "Sign in with any account listed on the sign-in page.",
    ]
    everything = "\n".join(line for _, line in seen)
    assert "Subject:" not in everything  # no email on the console
    assert "alerts queued" not in everything  # the worker's rounds are in its log
    assert "Starting development server" not in everything
    assert f"The background worker writes to {demo_env['SAFEHUB_WORKER_LOG']}." in printed
    _wait_for(lambda: "alerts queued" in Path(demo_env["SAFEHUB_WORKER_LOG"]).read_text(), "the worker's log")
    checkpoints = Path(demo_env["SAFEHUB_AUDIT_CHECKPOINT_DIR"]) / "audit-checkpoints.jsonl"
    _wait_for(lambda: checkpoints.exists() and checkpoints.read_text().strip() != "", "the worker's audit checkpoint")

    os.killpg(run.pid, signal.SIGINT)  # Ctrl+C
    run.wait(timeout=30)
    _wait_for(lambda: not _listening(int(demo_env["PORT"])), "the server to stop with it", seconds=15)


def test_start_on_a_port_in_use_says_how_to_choose_another(newcomer_env: dict[str, str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(  # noqa: S603 - the checkout's own script
            [str(ROOT / "run"), "start"],
            cwd=ROOT,
            env={**newcomer_env, "PORT": str(port)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    assert result.returncode == 1
    assert result.stderr == (
        f"Port {port} is in use (another Safehub?): stop it, or choose another port: PORT=8080 ./run start\n"
    )


def test_the_readme_says_how_to_start_on_another_port() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert "PORT=8080 ./run start" in readme
    assert "`PORT` (for `./run start`, default\n8000)" in readme
