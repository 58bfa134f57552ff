"""Third-party validators, each in a virtual environment of its own (ADR 0040).

The DfE's Children in Need rules (`csc-validator-be-cin`) and the Annex A cleaner (`liiatools`) pin
libraries older than Safehub's (pandas 1, numpy 1), so neither may be installed beside Safehub. Each
validator has a folder under `validators/` in the project: `requirements.txt`, every package pinned
with its dependencies (installed with `--no-deps`, so the file is the whole environment: a dependency
that no longer builds can be swapped for a maintained fork of the same module), and `check.py`, a short program of ours run by that environment's Python which reads a return and
prints what the validator found as JSON on its standard output.

The environments live in `.validators/<name>` (or under `SAFEHUB_VALIDATORS_DIR`), are made by
`safehub validators install` (the bootstrap runs it) or on first use, and are made again when their
requirements change. Making one takes a lock, so parallel test workers never build the same one twice.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[2]
SOURCES = PROJECT / "validators"
STAMP = ".safehub-requirements-sha256"
INSTALL_TIMEOUT_S = 900
RUN_TIMEOUT_S = 600


class ValidatorUnavailable(Exception):  # noqa: N818 (a statement of what happened)
    """The validator's environment could not be made or its program failed: the message says why."""


@dataclass(frozen=True)
class Validator:
    name: str

    @property
    def source(self) -> Path:
        return SOURCES / self.name

    @property
    def requirements(self) -> Path:
        return self.source / "requirements.txt"

    @property
    def program(self) -> Path:
        return self.source / "check.py"

    @property
    def home(self) -> Path:
        root = os.environ.get("SAFEHUB_VALIDATORS_DIR")
        return (Path(root) if root else PROJECT / ".validators") / self.name

    @property
    def python(self) -> Path:
        return self.home / "bin" / "python"


def known() -> list[str]:
    """The validators this checkout has: a folder under validators/ with requirements and a program."""
    if not SOURCES.is_dir():
        return []
    return sorted(
        path.name
        for path in SOURCES.iterdir()
        if (path / "requirements.txt").is_file() and (path / "check.py").is_file()
    )


def validator(name: str) -> Validator:
    if name not in known():
        raise ValidatorUnavailable(f"There is no validator called {name!r}: the validators are {', '.join(known())}")
    return Validator(name)


def _wanted(found: Validator) -> str:
    return hashlib.sha256(found.requirements.read_bytes()).hexdigest()


def is_installed(found: Validator) -> bool:
    stamp = found.home / STAMP
    return found.python.is_file() and stamp.is_file() and stamp.read_text().strip() == _wanted(found)


def _run(args: list[str], *, what: str, timeout: int) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        raise ValidatorUnavailable(f"{what} took longer than {timeout} seconds") from None
    except OSError as error:
        raise ValidatorUnavailable(f"{what} could not start: {error}") from None
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise ValidatorUnavailable(f"{what} failed (exit {done.returncode}):\n{tail}")
    return done


def install(name: str) -> Validator:
    """Make the validator's environment if it is missing or its requirements changed; return it."""
    found = validator(name)
    found.home.parent.mkdir(parents=True, exist_ok=True)
    with open(found.home.parent / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be making it: wait for it
        if is_installed(found):
            return found
        (found.home / STAMP).unlink(missing_ok=True)
        # The base interpreter, not Safehub's virtualenv: nothing of Safehub's is visible in there.
        base = getattr(sys, "_base_executable", sys.executable)
        _run(
            [base, "-m", "venv", "--clear", str(found.home)],
            what=f"Making the {name} validator's environment",
            timeout=120,
        )
        pip = [str(found.python), "-m", "pip", "--disable-pip-version-check", "--quiet"]
        _run(
            [*pip, "install", "--no-deps", "-r", str(found.requirements)],
            what=f"Installing the {name} validator",
            timeout=INSTALL_TIMEOUT_S,
        )
        (found.home / STAMP).write_text(_wanted(found) + "\n")
    return found


def check(name: str, *args: str) -> Any:
    """Run the validator's program on a return (its arguments), installing it first if need be; the
    JSON it printed."""
    found = install(name)
    done = _run([str(found.python), str(found.program), *args], what=f"The {name} validator", timeout=RUN_TIMEOUT_S)
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        raise ValidatorUnavailable(
            f"The {name} validator printed something that is not JSON: {done.stdout[:200]!r}"
        ) from None
