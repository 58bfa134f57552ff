from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safehub.contacts.queries import get_contact_for
from safehub.core.http import AuthenticatedHttpRequest
from safehub.pages.presenters import PANELS, contact_page, page_related


@require_GET
def contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The contact page (URL name `contacts:contact`): every app's panel about one contact; its
    read is recorded once."""
    contact = get_contact_for(request.user, pk, purpose="contact", related=page_related(PANELS))
    page = contact_page(request.user, contact, at=timezone.now())
    return render(request, "pages/contact.html", {"page": page, "contact": contact})
