"""Django's error reports (the debug page, a report emailed to administrators) without a child's details.

Django's own filter hides the values of settings and variables whose names look secret. In Safehub
every submitted value may be a child's name, date of birth or NHS number, so by default, and
whether DEBUG is on or not, a report shows none of them: no posted value, no query value, no file
name, no cookie, no frame's local variables and no exception message (which can quote any of
them). Names are kept (which fields were posted, which variables a frame had), so a report still
says where things went wrong. Settings: DEFAULT_EXCEPTION_REPORTER and
DEFAULT_EXCEPTION_REPORTER_FILTER; the log's own tracebacks: core.request_log.ServerErrorFilter.
"""

from __future__ import annotations

from collections.abc import ItemsView
from typing import Any

from django.http import HttpRequest
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from safehub.core.request_log import WITHHELD

HIDDEN = "********************"
# Headers that can repeat the address with its query string, or hold the session.
ADDRESS_HEADERS = frozenset({"QUERY_STRING", "HTTP_REFERER", "REQUEST_URI", "RAW_URI", "HTTP_COOKIE"})


class EverythingSubmittedHiddenFilter(SafeExceptionReporterFilter):
    cleansed_substitute = HIDDEN

    def is_active(self, request: HttpRequest | None) -> bool:
        return True  # with DEBUG on too: a misconfigured server must not show children's details

    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, Any]:
        if request is None:
            return {}
        try:
            names = list(request.POST)
        except Exception:
            return {}
        return dict.fromkeys(names, HIDDEN)

    def get_safe_cookies(self, request: HttpRequest) -> dict[str, Any]:
        return dict.fromkeys(request.COOKIES, HIDDEN)

    def get_safe_request_meta(self, request: HttpRequest) -> dict[str, Any]:
        meta = super().get_safe_request_meta(request)
        return {key: HIDDEN if key in ADDRESS_HEADERS and value else value for key, value in meta.items()}

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> ItemsView[str, Any]:
        return dict.fromkeys(tb_frame.f_locals, HIDDEN).items()


class ChildSafeExceptionReporter(ExceptionReporter):
    """The report Django builds, with query values, file names, the full address and every
    exception's message hidden; the filter (DEFAULT_EXCEPTION_REPORTER_FILTER) hides the rest."""

    def get_traceback_frames(self) -> list[dict[str, Any]]:
        frames: list[dict[str, Any]] = super().get_traceback_frames()
        for frame in frames:
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = f"{type(frame['exc_cause']).__name__}: {WITHHELD}"
        return frames

    def get_traceback_data(self) -> dict[str, Any]:
        data: dict[str, Any] = super().get_traceback_data()
        if self.request is not None:
            data["request_GET_items"] = [(name, HIDDEN) for name in self.request.GET]
            data["request_FILES_items"] = [(name, HIDDEN) for name in self.request.FILES]
            data["request_insecure_uri"] = self.request.path
        if "exception_value" in data:
            data["exception_value"] = WITHHELD
        data.pop("exception_notes", None)
        data["unicode_hint"] = ""
        return data
