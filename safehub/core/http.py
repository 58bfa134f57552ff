from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from safehub.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind LoginRequiredMiddleware: the user is always a real User."""

    user: User
