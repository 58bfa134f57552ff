"""A login flood (issue 12 §1, ADR 0023): clients sending wrong passwords as fast as the server
answers, while a signed-in user loads a page once a second. Measures the signed-in page's latency
before and during the flood, the server's memory, and every error either side saw.

Each flooding client connects from an address of its own on the loopback network (127.0.0.11,
127.0.0.12, …), so the per-client throttle sees them as different clients, as it would a botnet's;
with `same_address` they all come from 127.0.0.1. Nothing here runs inside the web application.
"""

from __future__ import annotations

import http.client
import re
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from safehub.benchmarks import machine
from safehub.core.stats import percentile

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def tree_rss_bytes(root: int) -> int:
    """Memory of process `root` and every process below it (a gunicorn master and its workers): each
    one's proportional set size, which shares the pages they have in common among them instead of
    counting them once for each process, as adding up their resident sizes would."""
    stats = machine._stats()
    children: dict[int, list[int]] = {}
    for stat in stats:
        children.setdefault(stat.parent, []).append(stat.pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            rollup = (machine.PROC / str(pid) / "smaps_rollup").read_text()
            total += int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:"))) * 1024
        except (OSError, ValueError, IndexError, StopIteration):  # the process ended while we looked
            continue
        todo.extend(children.get(pid, []))
    return total


@dataclass
class FloodResult:
    reader_ms: list[float] = field(default_factory=list)
    reader_errors: list[str] = field(default_factory=list)
    flood_statuses: Counter[int] = field(default_factory=Counter)
    flood_errors: list[str] = field(default_factory=list)
    peak_rss: int = 0
    seconds: float = 0.0

    def reader_summary(self) -> dict[str, float]:
        if not self.reader_ms:
            return {"requests": 0}
        return {
            "requests": len(self.reader_ms),
            "p50": percentile(self.reader_ms, 0.5),
            "p95": percentile(self.reader_ms, 0.95),
            "max": max(self.reader_ms),
        }

    def server_errors(self) -> int:
        """Server errors (500 and up, except the 503 that says every password check is busy) and
        requests that got no answer, on either side."""
        flood = sum(n for status, n in self.flood_statuses.items() if status == 0 or (status >= 500 and status != 503))
        return flood + len(self.reader_errors)


def _connection(host: str, port: int, source: str | None) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(host, port, timeout=60, source_address=(source, 0) if source else None)


def _csrf(connection: http.client.HTTPConnection) -> tuple[str, str]:
    """The sign-in page's CSRF cookie and form token."""
    connection.request("GET", reverse("accounts:login"))
    response = connection.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie") or ""
    value = cookie.split(f"{settings.CSRF_COOKIE_NAME}=", 1)[1].split(";", 1)[0] if cookie else ""
    match = _TOKEN.search(html)
    return value, match.group(1) if match else ""


def run(
    base_url: str,
    *,
    server_pid: int,
    reader_cookie: str,
    reader_path: str,
    username: str,
    clients: int,
    seconds: float,
    same_address: bool = False,
    progress: Callable[[str], None] = lambda text: None,
) -> FloodResult:
    """`clients` flooding threads (none for a baseline) and one reader, for `seconds`."""
    host, port_text = base_url.removeprefix("http://").split(":")
    port = int(port_text)
    result = FloodResult()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def flood(number: int) -> None:
        source = None if same_address else f"127.0.0.{11 + number}"
        connection = _connection(host, port, source)
        cookie, token = "", ""
        while not token and time.monotonic() < stop_at:
            try:
                cookie, token = _csrf(connection)
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = _connection(host, port, source)
        guess = 0
        while time.monotonic() < stop_at:
            guess += 1
            body = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token, "username": username, "password": f"wrong guess {number}-{guess}"}
            )
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{settings.CSRF_COOKIE_NAME}={cookie}",
                "Referer": base_url + reverse("accounts:login"),
            }
            try:
                connection.request("POST", reverse("accounts:login"), body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = 0
                connection.close()
                connection = _connection(host, port, source)
                with lock:
                    result.flood_errors.append(repr(error))
            with lock:
                result.flood_statuses[status] += 1

    def read() -> None:
        connection = _connection(host, port, None)
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={reader_cookie}"}
        while time.monotonic() < stop_at:
            began = time.monotonic()
            try:
                connection.request("GET", reader_path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    result.reader_errors.append(f"HTTP {response.status}")
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = _connection(host, port, None)
                result.reader_errors.append(repr(error))
            result.reader_ms.append((time.monotonic() - began) * 1000)
            time.sleep(max(0.0, 1.0 - (time.monotonic() - began)))

    threads = [threading.Thread(target=flood, args=(n,), daemon=True) for n in range(clients)]
    threads.append(threading.Thread(target=read, daemon=True))
    began = time.monotonic()
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        result.peak_rss = max(result.peak_rss, tree_rss_bytes(server_pid))
        time.sleep(0.25)
    result.seconds = time.monotonic() - began
    progress(f"{sum(result.flood_statuses.values())} sign-in attempts in {result.seconds:.0f} s")
    return result


def locked_errors_in(log: Path) -> int:
    """How many times the server's log says the database was locked."""
    try:
        return log.read_text(errors="replace").count("database is locked")
    except OSError:
        return 0
