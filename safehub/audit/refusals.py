"""A service's refusal, recorded in the audit trail (issue 14: bad input "refused with a clear message,
nothing disclosed, the refusal in the audit trail"). The service's own transaction has rolled back by
then, taking anything it wrote with it; the entry is written in a transaction of its own. What was
typed is not kept: only which service refused, and which of its fields were wrong."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.core.errors import DomainError, Refused

if TYPE_CHECKING:
    from safehub.contacts.models import Contact

P = ParamSpec("P")
R = TypeVar("R")


def _fields(error: Exception) -> list[str]:
    if isinstance(error, PermissionDenied):
        return ["not allowed"]
    if isinstance(error, Refused):
        return sorted({problem.field or "" for problem in error.problems})
    return [getattr(error, "field", "") or ""]


def refusals_recorded(
    verb: Verb, action: str, *, contact_of: Callable[[Any], Contact]
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Around a service whose first argument is the record it acts on and which takes `by` and `at`:
    each refusal (bad input, a stale page, a role that may not) is recorded as `verb`, then raised."""

    def wrap(service: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(service)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return service(*args, **kwargs)
            except (DomainError, PermissionDenied) as error:
                by, at = kwargs.get("by"), kwargs.get("at")
                with transaction.atomic():
                    record(
                        verb,
                        by=by if isinstance(by, User) else None,
                        contact=contact_of(args[0]),
                        at=at if isinstance(at, datetime) else None,
                        data={"action": action, "problems": _fields(error)},
                    )
                raise

        return run

    return wrap
