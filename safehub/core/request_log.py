"""A refused request is one line in the log, not a traceback.

Django logs every 4xx and 5xx response on the `django.request` logger (`django.utils.log.log_response`),
and passes the exception that made it: a 404 from `get_object_or_404` or a 403 from `PermissionDenied`
arrives with a traceback, as if the server had broken. A refusal is the application working: one line
says who was refused what. Server errors (5xx) keep their traceback.
"""

from __future__ import annotations

import logging
from http import HTTPStatus


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
