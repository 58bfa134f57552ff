"""The `safehub` command as a newcomer runs it, with no secret set: the offline commands work, the web
server refuses, and a missing or bad setting is one line on stderr, never a traceback (ADR 0013)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from safehub.cli import serves_web_requests

SAFEHUB = Path(sys.executable).with_name("safehub")
ROOT = Path(__file__).resolve().parents[3]
UNSET = ("SAFEHUB_TESTING", "SAFEHUB_DEMO", "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_SETTINGS_MODULE")


def _production_env(**extra: str) -> dict[str, str]:
    """This process's environment as production sees it: not testing, not the demo, no secret."""
    env = {name: value for name, value in os.environ.items() if name not in UNSET}
    return {**env, **extra}


def _run(command: list[str], *, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own programs and fixed arguments
        command, cwd=cwd, env=_production_env(**env), capture_output=True, text=True, timeout=120, check=False
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.parametrize(
    "args",
    [["link", "--help"], ["dedupe", "--help"], ["benchmark-checks", "--help"], ["--help"], ["runserver", "--help"]],
    ids=" ".join,
)
def test_help_needs_no_secret_key(args: list[str]) -> None:
    result = _run([str(SAFEHUB), *args])

    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout.lower() or "subcommands" in result.stdout.lower()
    assert result.stderr == ""


def test_an_offline_data_command_runs_without_a_secret_key(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    header = "id,given_name,family_name,dob,sex,address,postcode,nhs_number"
    people.write_text(f"{header}\n1,Ada,Example,2015-02-30,F,1 Any Street,ZZ99 9ZZ,\n", encoding="utf-8")

    result = _run([str(SAFEHUB), "dedupe", str(people), "--out", str(tmp_path / "pairs.csv")])

    # The command itself ran, read the file and refused its made-up date: no word of a secret.
    assert result.returncode == 1
    assert "Line 2: dob '2015-02-30' is not a date" in result.stderr
    assert "SECRET_KEY" not in result.stderr
    assert "Traceback" not in result.stderr


def test_serving_without_a_secret_key_is_refused_in_one_line() -> None:
    result = _run([str(SAFEHUB), "runserver", f"127.0.0.1:{_free_port()}", "--noreload"])

    assert result.returncode != 0
    assert result.stderr == "safehub: Set SECRET_KEY (or SECRET_KEY_FILE) to serve Safehub.\n"


def test_the_reloading_development_server_is_refused_before_it_starts() -> None:
    result = _run([str(SAFEHUB), "runserver", f"127.0.0.1:{_free_port()}"])

    assert result.returncode != 0
    assert result.stderr == "safehub: Set SECRET_KEY (or SECRET_KEY_FILE) to serve Safehub.\n"


def test_gunicorn_without_a_secret_key_stops_with_one_line(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "gunicorn", "safehub.wsgi:application", "--bind", f"127.0.0.1:{_free_port()}"]
    command += ["--workers", "1", "--no-control-socket", "--chdir", str(ROOT)]

    result = _run(command, cwd=tmp_path)

    assert result.returncode != 0
    assert "safehub: Set SECRET_KEY (or SECRET_KEY_FILE) to serve Safehub.\n" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Worker failed to boot" in result.stderr  # gunicorn stops, rather than start worker after worker


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "yes"}, "safehub: DEBUG must be 'true' or 'false', not 'yes'\n"),
        (
            {"SESSION_IDLE_TIMEOUT_SECONDS": "soon"},
            "safehub: SESSION_IDLE_TIMEOUT_SECONDS must be a whole number, not 'soon'\n",
        ),
        (
            {"SECRET_KEY_FILE": "/no/such/secret"},
            "safehub: SECRET_KEY_FILE names /no/such/secret, which cannot be read: No such file or directory\n",
        ),
    ],
    ids=["DEBUG", "SESSION_IDLE_TIMEOUT_SECONDS", "SECRET_KEY_FILE"],
)
def test_a_bad_setting_is_one_line_not_a_traceback(env: dict[str, str], message: str) -> None:
    result = _run([str(SAFEHUB), "benchmark-checks", "--help"], **env)

    assert result.returncode != 0
    assert result.stderr == message


def test_traceback_still_shows_the_traceback_when_asked_for() -> None:
    result = _run([str(SAFEHUB), "benchmark-checks", "--help", "--traceback"], DEBUG="yes")

    assert result.returncode != 0
    assert "Traceback" in result.stderr
    assert result.stderr.endswith("ImproperlyConfigured: DEBUG must be 'true' or 'false', not 'yes'\n")


@pytest.mark.parametrize(
    ("argv", "serves"),
    [
        (["safehub", "runserver"], True),
        (["safehub", "runserver", "127.0.0.1:8001", "--noreload"], True),
        (["safehub", "testserver", "fixture.json"], True),
        (["safehub", "runserver", "--help"], False),
        (["safehub", "link", "a.csv", "b.csv", "--out", "pairs.csv"], False),
        (["safehub", "run_worker"], False),
        (["safehub", "migrate"], False),
        (["safehub"], False),
        (["safehub", "--help"], False),
    ],
)
def test_only_the_serving_commands_need_the_web_secret(argv: list[str], serves: bool) -> None:
    assert serves_web_requests(argv) is serves
