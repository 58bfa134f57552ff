"""Reading MASH checks for a user: partners through their agency, hub staff through the contact."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from safehub.accounts.models import User
from safehub.checks.models import AgencyRequest, Alert, MashChecks
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
    """The checks on a contact the user may see (hub staff of the contact's team); otherwise 404.

    The checks are found by key first and the contact's visibility asked of that one contact: a
    subquery over every contact the user may see is slow in a year's data."""
    checks = (
        MashChecks.objects.select_related("contact", "coordinator", "started_by", "submitted_by")
        .prefetch_related("requests__agency", "requests__responses__author")
        .filter(pk=pk)
        .first()
    )
    if checks is None or not Contact.objects.visible_to(user).filter(pk=checks.contact_id).exists():
        raise Http404("No such checks")
    return checks


def unread_alerts(user: User, *, limit: int = 10) -> QuerySet[Alert]:
    """The user's alerts that the worker has delivered and that are still to act on (not dismissed,
    and, for reminders and escalations, the request not yet answered or withdrawn), newest first."""
    return (
        Alert.objects.filter(recipient=user, sent_at__isnull=False, read_at__isnull=True)
        .select_related("request__agency")
        .order_by("-created_at", "-pk")[:limit]
    )
