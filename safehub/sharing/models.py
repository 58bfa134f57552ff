"""The sharing ledger: one row for every time information about a child leaves the hub."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehub.accounts.models import Agency
from safehub.contacts.models import Contact
from safehub.sharing.vocabulary import Purpose


def origin_label(record: models.Model) -> str:
    """How a disclosure names the record it was made for, without importing that record's app."""
    return record._meta.label_lower


class DisclosureQuerySet(models.QuerySet["Disclosure"]):
    def made_for(self, record: models.Model) -> DisclosureQuerySet:
        """The disclosures made for one originating record (a MASH check request, a letter, …)."""
        return self.filter(origin=origin_label(record), origin_id=record.pk)


class Disclosure(models.Model):
    """A record of information shared outside the hub: what, to whom, why, on what basis, with what
    consent, by whom and when (DESIGN.md §2). Never changed once written."""

    # The contact the information is about; none for a record kept outside any contact (a strategy
    # discussion for a child already open to children's social care), which its origin then names.
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="disclosures")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField(
        max_length=200, blank=True, help_text="Who received it, when it was not a partner agency."
    )
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    disclosed_at = models.DateTimeField()
    purpose = models.CharField(max_length=40, choices=Purpose)
    lawful_basis = models.CharField(max_length=300)
    # Each person's position as it was shared (consent.queries.sharing_position): a line a person.
    consent_position = models.TextField()
    content = models.JSONField(help_text="Exactly what was sent.")
    origin = models.CharField(
        max_length=100, blank=True, help_text="The kind of record the disclosure was made for, as app.model."
    )
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["-disclosed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | ~Q(recipient=""), name="disclosure_has_a_recipient"
            ),
            models.CheckConstraint(
                condition=Q(origin="", origin_id__isnull=True) | (~Q(origin="") & Q(origin_id__isnull=False)),
                name="disclosure_origin_named_with_its_id",
            ),
            models.CheckConstraint(
                condition=Q(contact__isnull=False) | Q(origin_id__isnull=False),
                name="disclosure_about_a_contact_or_origin",
            ),
            models.UniqueConstraint(
                fields=["origin", "origin_id"],
                condition=Q(origin_id__isnull=False),
                name="one_disclosure_per_origin",
            ),
        ]

    def __str__(self) -> str:
        return f"Disclosure to {self.agency or self.recipient} on {self.disclosed_at:%d/%m/%Y}"
