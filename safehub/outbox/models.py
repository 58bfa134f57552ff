"""An email Safehub sent in demo mode, one row for each recipient."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from safehub.accounts.models import User
from safehub.outbox.permissions import can_read_every_email


class OutboxEmailQuerySet(models.QuerySet["OutboxEmail"]):
    def visible_to(self, user: User) -> OutboxEmailQuerySet:
        """The emails sent to the user's address; an administrator's outbox holds everyone's."""
        if can_read_every_email(user):
            return self.all()
        if not user.email:
            return self.none()
        return self.filter(recipient__iexact=user.email)

    def newest_first(self) -> OutboxEmailQuerySet:
        return self.order_by("-sent_at", "-pk")


class OutboxEmail(models.Model):
    sent_at = models.DateTimeField(default=timezone.now)
    sender = models.CharField(max_length=254)
    recipient = models.CharField(max_length=254)
    subject = models.TextField()
    body = models.TextField()
    message_id = models.CharField(max_length=254, blank=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["recipient", "sent_at"]), models.Index(fields=["sent_at"])]

    def __str__(self) -> str:
        return f"{self.subject} (to {self.recipient})"
