"""Safehub's WSGI application, made to stop at one point of a partner's "submit response", so that a
test can kill the server there (`test_server_killed`). Served by gunicorn as
`safehub.checks.tests.pausing_wsgi:application`; never part of a deployment.

SAFEHUB_PAUSE_AT chooses the point (unset or empty: no pause, the plain application):

- `in_transaction`: in `save_response`, once the "response submitted" audit entry is written, before
  the transaction commits (the response row, the request's new state and the entry all written,
  none committed).
- `after_commit`: when the view says "Response submitted", i.e. after `save_response` returned and
  committed, before the redirect is sent.

There the worker writes the file named by SAFEHUB_PAUSE_MARKER, as JSON: its process id and whether
it is inside a database transaction (so the test can check the pause is where it claims), then
sleeps for PAUSE_SECONDS, waiting to be killed.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpRequest

from safehub.wsgi import application  # first: it sets Django up, and models can be imported after

if TYPE_CHECKING:
    from safehub.audit.models import AuditEvent, Verb

__all__ = ["application"]

PAUSE_SECONDS = 120
PAUSE_AT = os.environ.get("SAFEHUB_PAUSE_AT", "")


def _pause() -> None:
    marker = {"pid": os.getpid(), "in_atomic_block": connection.in_atomic_block}
    Path(os.environ["SAFEHUB_PAUSE_MARKER"]).write_text(json.dumps(marker), encoding="utf-8")
    time.sleep(PAUSE_SECONDS)


# `save_response` looks `record` up in its module, and the view `messages.success` in
# `django.contrib.messages`, on every call: replacing the module attribute is enough.


def _pause_in_transaction() -> None:
    from safehub.audit.models import Verb
    from safehub.checks import answers

    record = answers.record

    def record_then_pause(verb: Verb, **kwargs: Any) -> AuditEvent:
        event = record(verb, **kwargs)
        if verb == Verb.AGENCY_RESPONSE_SUBMITTED:
            _pause()
        return event

    answers.record = record_then_pause


def _pause_after_commit() -> None:
    success = messages.success

    def pause_then_success(request: HttpRequest, message: str, *args: Any, **kwargs: Any) -> None:
        if message == "Response submitted":
            _pause()
        success(request, message, *args, **kwargs)

    messages.success = pause_then_success


if PAUSE_AT == "in_transaction":
    _pause_in_transaction()
elif PAUSE_AT == "after_commit":
    _pause_after_commit()
elif PAUSE_AT:
    raise ImproperlyConfigured(f"SAFEHUB_PAUSE_AT must be in_transaction or after_commit, not {PAUSE_AT!r}")
