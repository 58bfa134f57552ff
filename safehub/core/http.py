from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

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
