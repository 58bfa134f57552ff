"""A PostgreSQL cluster of the harness's own, in a temporary directory on a free port, so that it can
be restarted in immediate mode (a crash: no checkpoint, recovery from the WAL at start) without
touching any server that other people use. Made with the installed `initdb` and `pg_ctl`; run as the
`postgres` operating-system user when this process is root, since initdb refuses to run as root."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

# Debian's and the CI image's PostgreSQL 15; another place with SAFEHUB_PG_BIN.
DEFAULT_BIN = Path("/usr/lib/postgresql/15/bin")
START_SECONDS = 60


class ClusterUnavailableError(RuntimeError):
    """This machine cannot make a scratch cluster (no PostgreSQL binaries, or no user to run them as)."""


def binaries() -> Path:
    return Path(os.environ.get("SAFEHUB_PG_BIN") or DEFAULT_BIN)


def why_unavailable() -> str:
    """Why no scratch cluster can be made here, or "" if one can."""
    missing = [name for name in ("initdb", "pg_ctl", "postgres") if not (binaries() / name).is_file()]
    if missing:
        return f"PostgreSQL's {', '.join(missing)} not found in {binaries()} (set SAFEHUB_PG_BIN)"
    if os.geteuid() == 0 and (shutil.which("runuser") is None or not _user_exists("postgres")):
        return "running as root, but there is no `postgres` user (or no runuser) to run initdb as"
    return ""


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class ScratchCluster:
    directory: Path
    port: int

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def log(self) -> Path:
        return self.directory / "postgres.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, program: str, *args: str, timeout: float = 120) -> str:
        """One of PostgreSQL's programs, as the cluster's owner; its output, or an error with it."""
        done = subprocess.run(  # noqa: S603 - the installed PostgreSQL programs, fixed arguments
            [*_as_owner(), str(binaries() / program), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise ClusterUnavailableError(
                f"{program} {' '.join(args)} failed (exit {done.returncode}): {done.stderr[-2000:]}"
            )
        return done.stdout

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", str(START_SECONDS), "start")

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart_immediately(self) -> float:
        """Stop with `-m immediate` (every server process ends at once, nothing is flushed, as in a
        crash) and start again, which recovers from the WAL; returns the seconds it was down."""
        begun = time.monotonic()
        self.run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-m",
            "immediate",
            "-w",
            "-t",
            str(START_SECONDS),
            "restart",
        )
        return time.monotonic() - begun

    def checkpoint(self) -> None:
        self.run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-q", "-c", "CHECKPOINT")

    def create_database(self, name: str) -> None:
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)


def _as_owner() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@contextmanager
def scratch_cluster(*, keep: bool = False) -> Iterator[ScratchCluster]:
    """A new cluster, started, listening on 127.0.0.1 only and trusting local connections (it holds
    only generated data and lives for one run); stopped and removed on the way out unless `keep`."""
    reason = why_unavailable()
    if reason:
        raise ClusterUnavailableError(reason)
    directory = Path(tempfile.mkdtemp(prefix="safehub-scratch-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, user="postgres", group="postgres")
    cluster = ScratchCluster(directory, free_port())
    started = False
    try:
        cluster.run("initdb", "-D", str(cluster.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        settings = [
            "listen_addresses = '127.0.0.1'",
            f"port = {cluster.port}",
            f"unix_socket_directories = '{directory}'",
            "max_connections = 60",
            # A crash must find what a real server would: every commit flushed to the WAL first.
            "fsync = on",
            "synchronous_commit = on",
            "full_page_writes = on",
            # Frequent checkpoints, so that each restart replays seconds of WAL, not the whole run's.
            "checkpoint_timeout = '30s'",
            # Before recovering, PostgreSQL flushes the data directory: one syncfs, not an fsync a file.
            "recovery_init_sync_method = syncfs",
        ]
        conf = cluster.data / "postgresql.conf"
        with conf.open("a", encoding="utf-8") as out:  # the file stays its owner's
            out.write("\n".join(["", "# The crash harness's scratch cluster", *settings, ""]))
        cluster.start()
        started = True
        yield cluster
    finally:
        if started:
            with suppress(ClusterUnavailableError, subprocess.TimeoutExpired):
                cluster.stop("immediate")
        if not keep:
            shutil.rmtree(directory, ignore_errors=True)
