"""The crash harness: writers record contacts and partners submit answers to a real gunicorn serving
Safehub on PostgreSQL, while the server's workers are killed with SIGKILL and the database is
restarted in immediate mode. Then every acknowledged write must be in the database exactly once, no
write twice, and the audit chain must verify (ADR 0030).

The writers (`crash_writers`) are threads in this process that behave like browsers: each sends the
same form, with the same one-time key, again until it is acknowledged; the negative control sends
again without its key (a new form each time) and must make duplicates, or the count is not looking.

The database is a cluster of the harness's own (`scratch_cluster`); this process never opens it:
`safehub crash-harness-data` builds the data and reads the outcome in a process of its own.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from safehub.benchmarks.crash_writers import Tally, Writers
from safehub.benchmarks.machine import parse_stat
from safehub.benchmarks.scratch_cluster import ScratchCluster, free_port, scratch_cluster

STARTUP_SECONDS = 120.0
# After the last kill and restart, how long a writer may take to get its last write acknowledged.
SETTLE_SECONDS = 120.0


@dataclass(frozen=True)
class Plan:
    kills: int = 200  # SIGKILLs, each to one gunicorn worker
    restarts: int = 20  # PostgreSQL restarts in immediate mode
    seconds: float = 600.0  # over which the kills, and separately the restarts, are spread evenly
    contact_writers: int = 3
    answer_writers: int = 2
    negative_writers: int = 1
    answers: int = 300  # requests waiting for an answer, shared among the answer writers
    workers: int = 3  # gunicorn's sync workers
    patience: float = 10.0  # seconds a writer waits for an answer before sending again
    drop: float = 0.2  # the share of forms whose answer the writer never reads: the connection cut as it leaves
    seed: int = 1


@dataclass(frozen=True)
class Result:
    plan: Plan
    kills: int
    restarts: int
    restart_seconds: list[float]
    contacts_acknowledged: int
    contacts_lost: list[str]
    contacts_duplicated: dict[str, int]  # marker -> copies, for the writers with a key
    answers_acknowledged: int
    answers_lost: list[str]
    answers_duplicated: dict[str, int]
    negative_acknowledged: int
    negative_duplicated: dict[str, int]  # the negative control's markers found more than once
    unacknowledged: dict[str, list[str]]
    refused: list[str]
    attempts: int
    failures: dict[str, int]
    answered_in: dict[str, float]  # the answered POSTs' seconds: median, 90th percentile, most
    chain: dict[str, Any]
    wall_seconds: float

    @property
    def negative_duplicates(self) -> int:
        """Rows the negative control made twice or more, beyond the first."""
        return sum(copies - 1 for copies in self.negative_duplicated.values())

    def problems(self, *, require_bite: bool) -> list[str]:
        found = []
        if self.kills < self.plan.kills or self.restarts < self.plan.restarts:
            found.append(
                f"only {self.kills} kills and {self.restarts} restarts of {self.plan.kills} and {self.plan.restarts}"
            )
        if self.contacts_lost or self.answers_lost:
            found.append(f"acknowledged but lost: {len(self.contacts_lost)} contacts, {len(self.answers_lost)} answers")
        if self.contacts_duplicated or self.answers_duplicated:
            found.append(
                f"written twice: {len(self.contacts_duplicated)} contacts, {len(self.answers_duplicated)} answers"
            )
        if not self.chain.get("intact"):
            found.append(f"the audit chain does not verify: {self.chain}")
        if self.refused:
            found.append(f"{len(self.refused)} writes refused: {self.refused[:3]}")
        if self.contacts_acknowledged == 0 or (self.plan.answer_writers and self.answers_acknowledged == 0):
            found.append("no write was acknowledged")
        if require_bite and self.negative_duplicates == 0:
            found.append("the negative control made no duplicate: the harness did not bite")
        return found

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "negative_duplicates": self.negative_duplicates}


# The web server --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def workers(self) -> list[int]:
        """The master's live children: its workers."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = parse_stat((entry / "stat").read_text(encoding="utf-8"))
            except (OSError, ValueError, IndexError):  # gone while looking
                continue
            if stat.parent == self.process.pid:
                found.append(stat.pid)
        return found


def environment(cluster: ScratchCluster) -> dict[str, str]:
    """The server's and the data commands' settings: the test settings (their fixed secret key signs
    the sessions the data command makes), no debug, the scratch database, a new connection a request."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safehub.settings",
        "SAFEHUB_TESTING": "true",
        "SAFEHUB_DEMO": "false",
        "DEBUG": "false",
        "DATABASE_URL": cluster.url("safehub"),
        "DATABASE_CONN_MAX_AGE": "0",
    }
    for name in ("SAFEHUB_SERVER_TIMING", "SAFEHUB_PAUSE_AT", "SAFEHUB_PAUSE_MARKER"):
        env.pop(name, None)
    return env


@contextmanager
def serving(env: dict[str, str], directory: Path, *, workers: int) -> Iterator[Server]:
    """gunicorn with `workers` sync workers, the application loaded before they fork (so a killed
    worker's replacement answers at once), in a process group of its own; killed on the way out."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "safehub.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--preload",
        "--timeout",
        "60",
        # gunicorn 27's control socket is one path per machine: two servers would share it.
        "--no-control-socket",
    ]
    log = directory / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process, port, log)
    try:
        _wait_until_up(server)
        yield server
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = server.log.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise RuntimeError(f"gunicorn stopped as it started (exit {server.process.returncode}):\n{tail}")
        probe = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        try:
            probe.request("GET", "/")  # the home page sends a visitor to sign in
            if probe.getresponse().status in (200, 302):
                return
        except OSError:
            pass
        finally:
            probe.close()
        time.sleep(0.2)
    tail = server.log.read_text(encoding="utf-8", errors="replace")[-3000:]
    raise RuntimeError(f"gunicorn did not answer within {STARTUP_SECONDS:.0f} s:\n{tail}")


# Chaos -----------------------------------------------------------------------------------------


@dataclass
class Chaos:
    server: Server
    cluster: ScratchCluster
    plan: Plan
    kills: int = 0
    restarts: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def kill_workers(self, rng: random.Random) -> None:
        """SIGKILL one worker every `seconds / kills`, chosen at random among those alive."""
        started = time.monotonic()
        for n in range(self.plan.kills):
            _sleep_until(started + n * self.plan.seconds / self.plan.kills)
            for _ in range(200):  # a moment for gunicorn to replace the last one killed
                workers = self.server.workers()
                if workers:
                    with suppress(ProcessLookupError):
                        os.kill(rng.choice(workers), signal.SIGKILL)
                        self.kills += 1
                        break
                time.sleep(0.05)

    def restart_database(self) -> None:
        """A restart in immediate mode every `seconds / restarts`, the first half an interval in."""
        started = time.monotonic()
        every = self.plan.seconds / max(self.plan.restarts, 1)
        for n in range(self.plan.restarts):
            _sleep_until(started + (n + 0.5) * every)
            try:
                self.restarts.append(self.cluster.restart_immediately())
            except Exception as error:
                self.errors.append(repr(error))


def _sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


# The run ---------------------------------------------------------------------------------------


def run_data_command(env: dict[str, str], directory: Path, step: str, given: dict[str, Any]) -> dict[str, Any]:
    path = directory / f"{step}.json"
    path.write_text(json.dumps(given), encoding="utf-8")
    done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "safehub.cli", "crash-harness-data", step, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"crash-harness-data {step} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(plan: Plan, *, say: Callable[[str], None] = lambda _: None, keep: bool = False) -> Result:
    """The whole harness: a scratch cluster, the data, gunicorn, the writers and the chaos, then the
    count. Raises `scratch_cluster.ClusterUnavailableError` when this machine cannot make a cluster."""
    begun = time.monotonic()
    run_id = f"{random.SystemRandom().getrandbits(32):08x}"
    with scratch_cluster(keep=keep) as cluster, tempfile.TemporaryDirectory(prefix="safehub-crash-") as temp:
        directory = Path(temp)
        say(f"PostgreSQL cluster on port {cluster.port} in {cluster.directory}")
        cluster.create_database("safehub")
        env = environment(cluster)
        subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
            [sys.executable, "-m", "safehub.cli", "migrate", "--no-input", "-v", "0"], env=env, check=True
        )
        say(f"Migrated ({time.monotonic() - begun:.0f} s in); making the data")
        data = run_data_command(env, directory, "setup", {**asdict(plan), "run": run_id})
        cluster.checkpoint()  # the first restart replays only what the run writes
        say(f"Data made ({time.monotonic() - begun:.0f} s in)")
        tally = Tally()
        stop = threading.Event()
        deadline: list[float] = []
        with serving(env, directory, workers=plan.workers) as server:
            say(
                f"gunicorn on port {server.port}: {plan.kills} kills and {plan.restarts} restarts over {plan.seconds:.0f} s"
            )
            writers = Writers(server.port, run_id, tally, plan.patience, plan.drop, plan.seed, stop, deadline)
            threads = [
                threading.Thread(target=writers.contacts, args=(f"c{n}", cookie), kwargs={"with_key": True})
                for n, cookie in enumerate(data["contact_writers"])
            ]
            threads += [
                threading.Thread(target=writers.contacts, args=(f"n{n}", cookie), kwargs={"with_key": False})
                for n, cookie in enumerate(data["negative_writers"])
            ]
            threads += [
                threading.Thread(target=writers.answers, args=(f"a{n}", w["cookie"], w["requests"]))
                for n, w in enumerate(data["answer_writers"])
            ]
            chaos = Chaos(server, cluster, plan)
            rng = random.Random(plan.seed)  # noqa: S311 - which worker to kill, not security
            chaotic = [
                threading.Thread(target=chaos.kill_workers, args=(rng,)),
                threading.Thread(target=chaos.restart_database),
            ]
            for thread in threads + chaotic:
                thread.daemon = True
                thread.start()
            for thread in chaotic:
                thread.join()
            stop.set()  # no new writes; the ones under way are sent until acknowledged
            deadline.append(time.monotonic() + SETTLE_SECONDS)
            say(f"Chaos over ({chaos.kills} kills, {len(chaos.restarts)} restarts); writers finishing")
            for thread in threads:
                thread.join()
            say(f"Writers done ({time.monotonic() - begun:.0f} s in)")
        requests = [pk for writer in data["answer_writers"] for pk in writer["requests"]]
        found = run_data_command(env, directory, "verify", {"run": run_id, "requests": requests})
    return _result(plan, tally, chaos, found, wall=time.monotonic() - begun)


def _result(plan: Plan, tally: Tally, chaos: Chaos, found: dict[str, Any], *, wall: float) -> Result:
    rows: dict[str, int] = found["contacts"]
    answers: dict[str, int] = found["answers"]
    acked = tally.acknowledged
    with_key = acked.get("contact", {})
    negative = acked.get("negative", {})
    answered = acked.get("answer", {})
    negative_markers = [m for m in rows if m.startswith("n")]
    return Result(
        plan=plan,
        kills=chaos.kills,
        restarts=len(chaos.restarts),
        restart_seconds=chaos.restarts,
        contacts_acknowledged=len(with_key),
        contacts_lost=sorted(m for m in with_key if rows.get(m, 0) == 0),
        contacts_duplicated={m: n for m, n in rows.items() if n > 1 and not m.startswith("n")},
        answers_acknowledged=len(answered),
        answers_lost=sorted(m for m in answered if answers.get(m, 0) == 0),
        answers_duplicated={m: n for m, n in answers.items() if n > 1},
        negative_acknowledged=len(negative),
        negative_duplicated={m: rows[m] for m in negative_markers if rows[m] > 1},
        unacknowledged=tally.unacknowledged,
        refused=tally.refused + chaos.errors,
        attempts=tally.attempts,
        failures=tally.failures,
        answered_in=_spread(tally.answered_in),
        chain=found["chain"],
        wall_seconds=wall,
    )


def _spread(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {}
    ordered = sorted(seconds)
    return {
        "median": ordered[len(ordered) // 2],
        "p90": ordered[int(len(ordered) * 0.9)],
        "most": ordered[-1],
    }
