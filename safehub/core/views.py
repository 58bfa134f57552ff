from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safehub.accounts.permissions import refusal_is_not_found


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Every `PermissionDenied` ends here: 403, except for a partner professional, to whom a hub page
    they may not use answers 404, so that its existence does not leak (accounts.permissions)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and refusal_is_not_found(user):
        return not_found(request, exception)
    return render(request, "403.html", status=403)
