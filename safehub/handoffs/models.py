"""A contact handed to the worker who holds the child's case: it must arrive, and be seen to arrive.

Forwarding to an open case's allocated worker (002 §3), allocating under the three-month rule
(000: "allocated to the previous social worker") and allocating a social worker when the outcome is
actioned each name a worker. A hand-off records who, makes the contact theirs to see, emails them
(exactly once, by the background worker) and waits for them to mark it received; until then it is
an alert on their caseload and the contact page says it has not been received.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehub.accounts.models import User
from safehub.contacts.models import Contact


class HandoffKind(models.TextChoices):
    OPEN_CASE = "open_case", "Forwarded to the allocated worker (open case)"
    PREVIOUS_WORKER = "previous_worker", "Allocated to the previous social worker (three-month rule)"
    ALLOCATED = "allocated", "Allocated to a social worker with the outcome"


class HandoffQuerySet(models.QuerySet["Handoff"]):
    def to(self, user: User) -> HandoffQuerySet:
        return self.filter(recipient=user)

    def not_received(self) -> HandoffQuerySet:
        return self.filter(received_at__isnull=True)


class Handoff(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="handoffs")
    kind = models.CharField(max_length=20, choices=HandoffKind)
    # The worker: a Safehub user when one has the involvement's email address; otherwise only the
    # name and address the involvement holds (a worker outside Safehub is emailed).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="handoffs"
    )
    recipient_name = models.CharField(max_length=200)
    recipient_email = models.EmailField(blank=True)
    team = models.CharField(max_length=200, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    # Rated Red when it was sent (by the recommendation, the checks or the contact itself): the email,
    # the caseload and the contact page say "act now".
    urgent = models.BooleanField(default=False)

    objects = HandoffQuerySet.as_manager()

    class Meta:
        ordering = ["contact_id", "sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "recipient_name", "recipient_email"], name="handoff_once_per_worker"
            ),
            models.CheckConstraint(
                condition=Q(received_at__isnull=True) | Q(recipient__isnull=False), name="handoff_received_in_safehub"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "received_at"]),
            models.Index(fields=["emailed_at"], condition=Q(emailed_at__isnull=True), name="handoff_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} to {self.recipient_name}"
