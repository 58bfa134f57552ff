"""Load a running Safehub like a hub's staff do: many signed-in users, each loading a page, reading
it, loading the next. Used by the load benchmarks; nothing here runs inside the web application.

`serve` starts Safehub under gunicorn (as it is deployed) against the configured database, with
each response reporting the page's server CPU time and queries (`Server-Timing`, see
core.middleware.ServerTimingMiddleware); `sign_in` makes a session for a user the way the sign-in
page does; `run_users` drives the users from threads in this process (outside the server's) and
returns every request's time, status and server cost, and the CPU the server's processes and this
one used while the figures were taken.
"""

from __future__ import annotations

import http.client
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from safehub.accounts.models import User
from safehub.benchmarks import machine
from safehub.core.middleware import IDLE_KEY
from safehub.core.stats import percentile
from safehub.mfa.services import authenticator_for
from safehub.mfa.sessions import PASSED_KEY
from safehub.signin.middleware import SIGNED_IN_AT_KEY


def sign_in(user: User) -> str:
    """A session for `user`, as the sign-in page and its second step would make it (the user's
    authenticator app: the benchmark's cast have one); returns the session cookie's value."""
    authenticator = authenticator_for(user)
    if authenticator is None:
        raise ValueError(f"{user.username} has no authenticator app, so cannot pass the second step of signing in")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]  # as django.contrib.auth.login does
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[PASSED_KEY] = authenticator.pk  # as mfa.sessions.pass_second_step does
    session[IDLE_KEY] = session[SIGNED_IN_AT_KEY] = time.time()
    session.save()
    return str(session.session_key)


@dataclass(frozen=True)
class Server:
    url: str
    pid: int  # gunicorn's master: its workers are its children


@contextmanager
def serve(
    *,
    port: int,
    workers: int,
    threads: int,
    log: Path,
    worker_class: str = "gthread",
    ready_within: float = 60.0,
    worker_timeout: int = 30,
) -> Iterator[Server]:
    """Safehub under gunicorn on 127.0.0.1:`port` with this process's database settings, production
    settings otherwise (no debug, static files collected), reporting each page's cost in a
    Server-Timing header. Yields the server; stops it after."""
    env = {
        **os.environ,
        "SAFEHUB_SERVER_TIMING": "true",
        "DEBUG": "false",
        "SAFEHUB_DEMO": "false",
        "SAFEHUB_TESTING": "false",
        "SAFEHUB_HTTPS": "false",
        # The sessions this process makes must verify in the server: the same key.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": "600",
    }
    subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "django", "collectstatic", "--no-input", "-v", "0"],
        env={**env, "DJANGO_SETTINGS_MODULE": "safehub.settings"},
        check=True,
    )
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "safehub.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        worker_class,
        "--keep-alive",
        "30",
        "--backlog",
        "512",
        "--no-control-socket",  # gunicorn 27's control socket is one path per machine: two servers would share it
        "--timeout",
        str(worker_timeout),
    ]
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            command, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_up(port, server, timeout=ready_within)
            yield Server(f"http://127.0.0.1:{port}", server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db.get('USER') or ''}{password}@{host}:{port}/{db['NAME']}"


def _wait_until_up(port: int, server: subprocess.Popen[bytes], *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"The web server stopped as it started (exit {server.returncode}); see its log")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", reverse("accounts:login"))
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"The web server did not answer within {timeout:.0f} s")


@dataclass(frozen=True)
class Hit:
    page: str
    status: int
    milliseconds: float
    at: float  # seconds since the run started
    cpu_ms: float | None = None  # the server's CPU time for the page, from its Server-Timing header
    queries: int | None = None


def parse_server_timing(header: str) -> dict[str, dict[str, str]]:
    """A Server-Timing header as {metric: {"dur": …, "desc": …}}: `cpu;dur=1.5, db;desc="9 queries"`."""
    metrics: dict[str, dict[str, str]] = {}
    for metric in header.split(","):
        name, *params = (part.strip() for part in metric.split(";"))
        if not name:
            continue
        values = {}
        for param in params:
            key, _, value = param.partition("=")
            values[key.strip()] = value.strip().strip('"')
        metrics[name] = values
    return metrics


def page_cost(header: str | None) -> tuple[float | None, int | None]:
    """(CPU milliseconds, queries) from a response's Server-Timing header; None for what it lacks."""
    if not header:
        return None, None
    metrics = parse_server_timing(header)
    cpu = metrics.get("cpu", {}).get("dur")
    queries = metrics.get("db", {}).get("desc", "").split(" ")[0]
    return (float(cpu) if cpu else None), (int(queries) if queries.isascii() and queries.isdigit() else None)


@dataclass(frozen=True)
class Snapshot:
    """CPU seconds used so far by the server's processes and by this (the users') process."""

    wall: float
    server: float
    client: float


def snapshot(server_pid: int) -> Snapshot:
    return Snapshot(time.monotonic(), machine.tree_cpu_seconds(server_pid), time.process_time())


@dataclass(frozen=True)
class Window:
    """What the server and the users' process used between two snapshots."""

    seconds: float
    server_cpu: float
    client_cpu: float

    @classmethod
    def between(cls, first: Snapshot, last: Snapshot) -> Window:
        return cls(last.wall - first.wall, last.server - first.server, last.client - first.client)


@dataclass(frozen=True)
class SimulatedUser:
    """One signed-in person: their session and how they choose the next page (name, path)."""

    cookie: str
    next_page: Callable[[random.Random], tuple[str, str]]


@dataclass
class LoadResult:
    hits: list[Hit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    window: Window | None = None  # from the end of the warm-up to the last user's last page

    def pages(self) -> list[str]:
        return sorted({hit.page for hit in self.hits})

    def times(self, page: str, *, after: float = 0.0) -> list[float]:
        return [hit.milliseconds for hit in self.hits if hit.page == page and hit.at >= after]

    def failures(self, *, after: float = 0.0) -> int:
        return sum(1 for hit in self.hits if hit.status != 200 and hit.at >= after)

    def summary(self, page: str, *, after: float = 0.0) -> dict[str, float]:
        """Latency percentiles, and the server's CPU milliseconds (median, mean) and queries (median,
        most) per page, of `page`'s requests begun `after` seconds or later."""
        hits = [hit for hit in self.hits if hit.page == page and hit.at >= after]
        if not hits:
            return {"requests": 0}
        times = [hit.milliseconds for hit in hits]
        figures = {
            "requests": len(times),
            "p50": percentile(times, 0.5),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
            "max": max(times),
        }
        cpu = [hit.cpu_ms for hit in hits if hit.cpu_ms is not None]
        if cpu:
            figures |= {"cpu_median": percentile(cpu, 0.5), "cpu_mean": sum(cpu) / len(cpu)}
            figures["pages_per_core_second"] = 1000 / figures["cpu_mean"] if figures["cpu_mean"] else 0.0
        queries = [hit.queries for hit in hits if hit.queries is not None]
        if queries:
            figures |= {"queries_median": percentile(queries, 0.5), "queries_max": max(queries)}
        return figures

    def totals(self, *, after: float = 0.0) -> dict[str, float]:
        """The whole run after the warm-up: pages a second, and from the processes' CPU use (the
        window) the server's CPU per page, pages a second per core of server CPU, the cores the
        server and the users' process kept busy."""
        pages = sum(1 for hit in self.hits if hit.at >= after)
        figures: dict[str, float] = {"pages": pages}
        window = self.window
        if window is None or window.seconds <= 0:
            return figures
        figures["pages_per_second"] = pages / window.seconds
        figures["server_cores"] = window.server_cpu / window.seconds
        figures["client_cores"] = window.client_cpu / window.seconds
        if pages:
            figures["server_cpu_ms_per_page"] = window.server_cpu * 1000 / pages
        if window.server_cpu > 0:
            figures["pages_per_second_per_core"] = pages / window.server_cpu
        return figures


def run_users(
    base_url: str,
    users: Sequence[SimulatedUser],
    *,
    seconds: float,
    think: float,
    seed: int = 1,
    warm_up: float = 0.0,
    measure: Callable[[], Snapshot] | None = None,
    requests: int | None = None,
) -> LoadResult:
    """Every user in a thread of their own: load a page, think for `think` seconds on average
    (uniformly 0.5–1.5 times it), repeat until `seconds` have passed. Users start spread over the
    first think time, as people do, not all in the same millisecond. With `measure`, snapshots are
    taken when the `warm_up` seconds have passed and when the last user stops: the result's window.
    With `requests`, each user also stops after loading that many pages."""
    host, port = base_url.removeprefix("http://").split(":")
    result = LoadResult()
    lock = threading.Lock()
    started = time.monotonic()
    stop_at = started + seconds
    first: list[Snapshot] = []
    timer = threading.Timer(warm_up, lambda: first.append(measure())) if measure else None
    if timer:
        timer.daemon = True
        timer.start()

    def work(number: int, user: SimulatedUser) -> None:
        rng = random.Random(seed * 1000 + number)  # noqa: S311 - simulated users, not security
        time.sleep(rng.uniform(0, think))
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={user.cookie}"}
        loaded = 0
        while time.monotonic() < stop_at and (requests is None or loaded < requests):
            loaded += 1
            page, path = user.next_page(rng)
            begun = time.monotonic()
            cpu_ms, queries = None, None
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                cpu_ms, queries = page_cost(response.getheader("Server-Timing"))
            except (OSError, http.client.HTTPException) as error:
                status = 0
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
                with lock:
                    result.errors.append(f"{page} {path}: {error!r}")
            elapsed = (time.monotonic() - begun) * 1000
            with lock:
                result.hits.append(Hit(page, status, elapsed, begun - started, cpu_ms, queries))
                if status not in (0, 200):
                    result.errors.append(f"{page} {path}: HTTP {status}")
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))
        connection.close()

    threads = [threading.Thread(target=work, args=(n, user), daemon=True) for n, user in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if measure and timer:
        timer.join()
        if first:
            result.window = Window.between(first[0], measure())
    return result


def page_table(
    result: LoadResult, *, after: float, mark: str, target_ms: float | None = None
) -> tuple[list[str], bool]:
    """The figures per page as a Markdown table (docs/benchmarks.md), with whether each page's p95 met
    `target_ms` when there is one; and whether every page did."""
    target = " target |" if target_ms is not None else ""
    lines = [
        f"| page | requests | server CPU ms median | mean | queries | p50 ms | p95 ms | p99 ms | pages/s/core |{target} machine |",
        "|---|---|---|---|---|---|---|---|---|" + ("---|" if target_ms is not None else "") + "---|",
    ]
    met = True
    for page in result.pages():
        f = result.summary(page, after=after)
        if not f["requests"]:
            continue
        verdict = ""
        if target_ms is not None:
            ok = f["p95"] <= target_ms
            met &= ok
            verdict = f" {'met' if ok else 'MISSED'} (≤ {target_ms:.0f}) |"
        lines.append(
            f"| {page} | {f['requests']:.0f} | {f.get('cpu_median', 0):.1f} | {f.get('cpu_mean', 0):.1f}"
            f" | {f.get('queries_median', 0):.0f} (≤ {f.get('queries_max', 0):.0f}) | {f['p50']:.1f}"
            f" | {f['p95']:.1f} | {f['p99']:.1f} | {f.get('pages_per_core_second', 0):.0f} |{verdict} {mark} |"
        )
    return lines, met


def totals_lines(result: LoadResult, *, after: float, mark: str) -> list[str]:
    """The whole run in a line or two: pages a second and errors; the server's and the simulated users'
    CPU (the users share the machine with the server, as this benchmark's machine has only its cores)."""
    totals = result.totals(after=after)
    lines = [
        f"Throughput {totals.get('pages_per_second', 0):.1f} pages/s; errors {result.failures(after=0)}"
        f" (of {len(result.hits)} requests, warm-up included) {mark}"
    ]
    if "server_cores" in totals:
        lines.append(
            f"Server processes (gunicorn master and workers, from the kernel's counts):"
            f" {totals.get('server_cpu_ms_per_page', 0):.1f} ms CPU a page,"
            f" {totals.get('pages_per_second_per_core', 0):.0f} pages/s per core,"
            f" {totals['server_cores']:.2f} cores busy; the simulated users' process"
            f" {totals['client_cores']:.2f} cores {mark}"
        )
    return lines
