"""The sharing ledger: one row for every time information about a child leaves the hub."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehub.accounts.models import Agency
from safehub.contacts.models import Contact
from safehub.people.models import Person
from safehub.sharing.exits import Exit
from safehub.sharing.vocabulary import Basis, Category, Condition, Direction, Purpose, labelled, statement


def origin_label(record: models.Model) -> str:
    """How a disclosure names the record it was made for, without importing that record's app."""
    return record._meta.label_lower


class DisclosureQuerySet(models.QuerySet["Disclosure"]):
    def made_for(self, record: models.Model) -> DisclosureQuerySet:
        """The disclosures made for one originating record (a MASH check request, a letter, …)."""
        return self.filter(origin=origin_label(record), origin_id=record.pk)


class Disclosure(models.Model):
    """A row of the sharing ledger: information that left the hub or came into it, or a decision not
    to share: what, about whom, from whom, to whom, why, on what basis, with what consent and
    handling conditions, who decided and when (DESIGN.md §2; issue 14). Never changed once written."""

    direction = models.CharField(max_length=3, choices=Direction, default=Direction.OUT)
    # False: a decision not to share, what was asked and why it was declined (issue 14).
    shared = models.BooleanField(default=True)
    # The contact the information is about; none for a record kept outside any contact (a strategy
    # discussion for a child already open to children's social care), which its origin then names.
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="disclosures")
    # The person index's records of the people it is about, so the DPO can find every row about one.
    people = models.ManyToManyField(Person, blank=True, related_name="+")
    # The other side: the agency it went to (out) or came from (in).
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField(
        max_length=200, blank=True, help_text="Who received it, when it was not a partner agency."
    )
    route = models.CharField(max_length=30, choices=Exit, blank=True, help_text="The route it left by (out only).")
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Who decided it should be shared (or not), when not the person who sent it.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disclosed_at = models.DateTimeField()
    purpose = models.CharField(max_length=40, choices=Purpose)
    # The bases as coded choices (`Basis`), and as the statement printed when it was written.
    bases = models.JSONField(default=list)
    lawful_basis = models.CharField(max_length=600)
    categories = models.JSONField(default=list, help_text="What kind of information (`Category`).")
    # Each person's position as it was shared (consent.queries.sharing_position): a line a person.
    consent_position = models.TextField()
    # The handling conditions on what was shared or received (`Condition`), and the items withheld
    # at this exit because of theirs: [{"item", "agency", "conditions"}].
    conditions = models.JSONField(default=list)
    withheld = models.JSONField(default=list)
    content = models.JSONField(help_text="Exactly what was sent, received, or asked for.")
    asked_by = models.CharField(max_length=200, blank=True, help_text="Who asked, for a decision not to share.")
    declined_reason = models.TextField(blank=True)
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
            models.CheckConstraint(condition=Q(shared=True) | ~Q(declined_reason=""), name="declined_has_a_reason"),
            models.CheckConstraint(
                condition=Q(direction="in") | Q(shared=False) | ~Q(route=""), name="disclosure_out_names_its_route"
            ),
        ]
        indexes = [
            models.Index(fields=["disclosed_at", "id"], name="sharing_ledger_time_idx"),
            models.Index(fields=["agency", "disclosed_at"], name="sharing_ledger_agency_idx"),
        ]

    def __str__(self) -> str:
        if self.direction == Direction.IN:
            return f"Received from {self.agency or self.recipient} on {self.disclosed_at:%d/%m/%Y}"
        if not self.shared:
            return f"Not shared with {self.agency or self.recipient} on {self.disclosed_at:%d/%m/%Y}"
        return f"Disclosure to {self.agency or self.recipient} on {self.disclosed_at:%d/%m/%Y}"

    # How a row kept outside any contact names what it was made for, by the kind of record.
    ORIGIN_REFERENCES: ClassVar[dict[str, str]] = {
        "information_requests.informationrequest": "IR{:06d}",
        "strategy.invitation": "Strategy invitation {}",
        "strategy.recordcopy": "Strategy record copy {}",
    }

    @property
    def origin_reference(self) -> str:
        """'IR000010' for an information request; the kind and number of anything else."""
        pattern = self.ORIGIN_REFERENCES.get(self.origin, f"{self.origin} {{}}")
        return pattern.format(self.origin_id) if self.origin_id is not None else ""

    @property
    def counterparty(self) -> str:
        return str(self.agency or self.recipient)

    @property
    def basis_labels(self) -> list[str]:
        return labelled(Basis, self.bases)

    @property
    def category_labels(self) -> list[str]:
        return labelled(Category, self.categories)

    @property
    def condition_labels(self) -> list[str]:
        return labelled(Condition, self.conditions)

    @property
    def basis_statement(self) -> str:
        return statement(self.bases) or self.lawful_basis
