"""The Django admin is off unless SAFEHUB_ADMIN_ENABLED is true: then every address under it
answers 404, signed in or not, so that it offers no way around Safehub's own audited pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse


class AdminSwitchMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.SAFEHUB_ADMIN_ENABLED and request.path_info.startswith(reverse("admin:index")):
            raise Http404("The admin is turned off")
        return self.get_response(request)
