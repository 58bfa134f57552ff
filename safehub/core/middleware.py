from __future__ import annotations

import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# When a signed-in user was last seen (safehub.signin.middleware keeps it for the idle timeout).
IDLE_KEY = "safehub_last_seen"


class MethodNotAllowedPageMiddleware:
    """A web address that only takes a form's POST, typed into the address bar or followed as a
    link, answers 405 with an empty body (`require_POST`), which browsers show as a broken page.
    Give it a page that says what happened, keeping the status and the Allow header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != HTTPStatus.METHOD_NOT_ALLOWED or response.content:
            return response
        page = render(request, "405.html", status=HTTPStatus.METHOD_NOT_ALLOWED)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page


class NoStoreMiddleware:
    """Pages about children must never be kept in a shared browser cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(
            settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
        ):
            response.setdefault("Cache-Control", "no-store")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ServerTimingMiddleware:
    """Tell the load benchmark what each page cost the server: the worker process's CPU time
    across the request, and the number of database queries and the time spent waiting for them,
    in a `Server-Timing` header (`cpu;dur=12.3, db;dur=4.5;desc="9 queries"`).

    Installed only when SAFEHUB_SERVER_TIMING is true, which the benchmark's server sets; it is
    off by default and in production, since the header tells a visitor how busy the server is.
    The CPU figure is the whole process's, so it is a page's own only in a single-threaded
    (sync) worker. It must be the first middleware, to count the others' work too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = _QueryCounter()
        began = time.process_time()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        cpu = (time.process_time() - began) * 1000
        response["Server-Timing"] = (
            f'cpu;dur={cpu:.3f}, db;dur={counter.seconds * 1000:.3f};desc="{counter.queries} queries"'
        )
        return response


class _QueryCounter:
    def __init__(self) -> None:
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries += 1
            self.seconds += time.perf_counter() - began
