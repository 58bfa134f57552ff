"""Reading MASH checks for a user: partners through their agency, hub staff through the contact."""

from __future__ import annotations

from django.http import Http404

from safehub.accounts.models import User
from safehub.checks.models import AgencyRequest, MashChecks
from safehub.contacts.models import Contact


def get_request_for_partner(user: User, pk: int) -> AgencyRequest:
    """A request addressed to the user's agency; anything else is 404 (it must not leak)."""
    request = (
        AgencyRequest.objects.for_partner(user)
        .select_related("agency", "checks__contact")
        .prefetch_related("responses__author")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404("No such request")
    return request


def get_checks_for(user: User, pk: int) -> MashChecks:
    """The checks on a contact the user may see (hub staff of the contact's team); otherwise 404."""
    checks = (
        MashChecks.objects.filter(contact__in=Contact.objects.visible_to(user))
        .select_related("contact", "coordinator", "started_by", "submitted_by")
        .prefetch_related("requests__agency", "requests__responses__author")
        .filter(pk=pk)
        .first()
    )
    if checks is None:
        raise Http404("No such checks")
    return checks
