"""Basic screening (002 §2–3): is the child known, and where does the contact go next?"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from safehub.contacts.models import Contact


class KnownStatus(models.TextChoices):
    NOT_KNOWN = "not_known", "Not known to children's services"
    KNOWN_CLOSED = "known_closed", "Known, not open now"
    OPEN_CASE = "open_case", "Open case with an allocated worker"
    RECENTLY_CLOSED = "recently_closed", "Open to children's social care in the last three months"


class ScreeningRoute(models.TextChoices):
    SIGNPOST = "signpost", "Information or advice only: signpost and close"
    FORWARD_TO_ALLOCATED_WORKER = "forward_to_allocated_worker", "Forward to the allocated worker"
    ALLOCATE_TO_PREVIOUS_WORKER = "allocate_to_previous_worker", "Allocate to the previous social worker"
    REFER_FOR_THRESHOLD = "refer_for_threshold", "Send to a MASH social worker for a threshold decision"


# The routes that end a contact at screening, as a history of contacts names them.
CLOSING_ROUTES = {
    ScreeningRoute.SIGNPOST: "Signposted at screening",
    ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER: "Forwarded to the allocated worker",
    ScreeningRoute.ALLOCATE_TO_PREVIOUS_WORKER: "Allocated to the previous social worker",
}


def screening_outcome(route: str | None, worker: str = "", signposted_to: str = "") -> str:
    """Where screening sent a contact it closed, for a history with no threshold decision to show:
    'Forwarded to the allocated worker (Lydia Jones)', 'Signposted at screening (Children's centre)';
    "" for a contact sent on for a threshold decision, or not screened yet."""
    if route not in CLOSING_ROUTES:
        return ""
    said = worker if route != ScreeningRoute.SIGNPOST else signposted_to
    return f"{CLOSING_ROUTES[ScreeningRoute(route)]}{f' ({said})' if said else ''}"


class Screening(models.Model):
    """The contact officer's basic screening of one contact. One per contact."""

    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="screening")
    known_status = models.CharField(max_length=30, choices=KnownStatus)
    route = models.CharField(max_length=40, choices=ScreeningRoute)
    allocated_worker = models.CharField(max_length=200, blank=True)
    allocated_team = models.CharField(max_length=200, blank=True)
    signposted_to = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Screening of {self.contact}"
