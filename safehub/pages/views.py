from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts.queries import get_contact_for
from safehub.core.http import AuthenticatedHttpRequest
from safehub.pages.pack import contact_pack_pdf
from safehub.pages.presenters import PANELS, contact_page, page_related


@require_GET
def contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The contact page (URL name `contacts:contact`): every app's panel about one contact; its
    read is recorded once."""
    contact = get_contact_for(request.user, pk, purpose="contact", related=page_related(PANELS))
    page = contact_page(request.user, contact, at=timezone.now())
    return render(request, "pages/contact.html", {"page": page, "contact": contact})


@require_GET
def contact_pack(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The contact and its MASH checks, answers included, as a PDF to keep or take to a meeting:
    whoever may see the contact page may download it (the same fetch, so the same 404), its read
    recorded as the page's is and the download recorded as an export."""
    contact = get_contact_for(request.user, pk, purpose="contact-pack", related=page_related(PANELS))
    at = timezone.now()
    pdf = contact_pack_pdf(request.user, contact, at=at)
    with transaction.atomic():
        record(Verb.REPORT_EXPORTED, by=request.user, contact=contact, at=at, data={"report": "contact-pack"})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.reference}.pdf"'
    return response
