"""A refused request is one line in the log, not a traceback; a server error's traceback quotes no values.

Django logs every 4xx and 5xx response on the `django.request` logger (`django.utils.log.log_response`),
and passes the exception that made it: a 404 from `get_object_or_404` or a 403 from `PermissionDenied`
arrives with a traceback, as if the server had broken. A refusal is the application working: one line
says who was refused what. Server errors (5xx) keep their traceback.
"""

from __future__ import annotations

import logging
import traceback
from http import HTTPStatus

from django.db import DataError, IntegrityError
from django.http import HttpRequest


def _escaped(text: str) -> str:
    """A path as Django logs it: control characters escaped, so a request cannot forge log lines."""
    return text.encode("unicode_escape").decode("ascii")


class RefusedRequestFilter(logging.Filter):
    """On the `django.request` logger: `Refused: GET /contacts/9/ 404 Not Found, user 12`."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if isinstance(status, int) and 400 <= status < 500 and request is not None:
            user = getattr(request, "user", None)
            who = user.pk if user is not None and user.is_authenticated else "anonymous"
            record.msg = "Refused: %s %s %s %s, user %s"
            record.args = (request.method, _escaped(request.path), status, HTTPStatus(status).phrase, who)
            record.exc_info = None
            record.exc_text = None
        return True


# An exception's message can quote what was submitted ("invalid literal for int() with base 10:
# 'Aoife'") or, from the database, what is stored ('Key (local_id)=(P0000901) already exists').
# Frames (file, line, function and the line of code) are code, never data, and are kept.
QUOTES_STORED_VALUES = (IntegrityError, DataError)
WITHHELD = "[message withheld: it may quote a child's details]"


def carried_values(request: HttpRequest) -> bool:
    """Whether the request brought values of its own: a query string, or a body (any method but a
    plain read). Read from the request's headers alone: after an error its body may be unreadable."""
    return bool(request.META.get("QUERY_STRING")) or request.method not in {"GET", "HEAD", "OPTIONS"}


def _chain(error: BaseException) -> list[BaseException]:
    """The error and those it was raised from or while handling, the first raised first."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return chain[::-1]


def traceback_without_messages(error: BaseException) -> str:
    """The traceback Python would print, with every exception's message (and notes) withheld."""
    parts: list[str] = []
    chain = _chain(error)
    for index, exception in enumerate(chain):
        if index:
            caused = chain[index].__cause__ is chain[index - 1]
            parts.append(
                "\nThe above exception was the direct cause of the following exception:\n\n"
                if caused
                else "\nDuring handling of the above exception, another exception occurred:\n\n"
            )
        parts.append("Traceback (most recent call last):\n")
        parts += traceback.format_tb(exception.__traceback__)
        kind = type(exception)
        parts.append(f"{kind.__module__}.{kind.__qualname__}: {WITHHELD}\n")
    return "".join(parts).rstrip("\n")


class ServerErrorFilter(logging.Filter):
    """On the `django.request` logger: a server error (5xx) keeps its traceback, but when the request
    carried values (a form's post, a query string), or the error quotes the database, no exception's
    message reaches the log, for it may hold a child's name, date of birth or NHS number. The record
    then carries the traceback as text alone, so that no handler formats the exception again."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        exc_info = record.exc_info
        if not (isinstance(status, int) and status >= 500 and exc_info and exc_info[1] is not None):
            return True
        error = exc_info[1]
        quotes_database = any(isinstance(e, QUOTES_STORED_VALUES) for e in _chain(error))
        if quotes_database or (isinstance(request, HttpRequest) and carried_values(request)):
            record.exc_text = traceback_without_messages(error)
            record.exc_info = None
        return True
