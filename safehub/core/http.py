from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

if TYPE_CHECKING:
    from safehub.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind LoginRequiredMiddleware: the user is always a real User."""

    user: User


def query_without(request: HttpRequest, param: str = "page") -> str:
    """The request's query string without `param`: for the links to a list's other pages, which keep
    what was searched or filtered (and, on a page of two lists, the other list's page)."""
    query = request.GET.copy()
    query.pop(param, None)
    return query.urlencode()


def local_redirect_target(request: HttpRequest, target: str) -> str | None:
    """`target` if it is a path on this site ("/queues/screening/"), else None. A `next` that is not
    a path ("00:00", "a\\x00b") would otherwise be read by `redirect` as a URL name, and fail."""
    if not target.startswith("/") or any(ord(character) < 32 for character in target):
        return None
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return target
