from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from safehub.core.errors import DomainError
from safehub.core.http import AuthenticatedHttpRequest
from safehub.handoffs import services
from safehub.handoffs.queries import get_handoff_for


@require_POST
def mark_received(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The worker a contact was sent to says they have it; back to the contact."""
    handoff = get_handoff_for(request.user, pk)
    try:
        services.mark_received(handoff, by=request.user, at=timezone.now())
    except DomainError as error:  # a second click, or the back button: already received
        messages.info(request, str(error))
    else:
        messages.success(request, f"Contact {handoff.contact.reference} marked as received")
    return redirect("contacts:contact", pk=handoff.contact_id)
