"""Onward referrals (issue 15; ADR 0039): the teams the front door refers children on to, and the
referral pack each receives.

003 App. 4 §11–12: "A copy of the letter will be included in the step down referral to the agency
identified to support the family"; "MASH will inform the Early Help service of the concerns noted in
the initial referral". 002 §9–11: the MASH social worker refers to the Family Wellbeing service, the
Assessment service or the Children with Disability service. 000: the social worker's and the
manager's rationale go with the case."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from safehub.accounts.models import Team
from safehub.contacts.models import Contact
from safehub.core.lifecycle import Lifecycle
from safehub.core.models import StateChangeRecord
from safehub.decisions.models import Outcome
from safehub.onward.workflow import LIFECYCLE, PackEvent, PackState
from safehub.sharing.models import Disclosure

STATE_CHOICES = [(state.value, state.label) for state in PackState]

# The outcomes that send a child to a team, which a referral pack goes to (decisions.SERVICE_OUTCOMES).
PACK_OUTCOMES = (
    Outcome.EARLY_HELP,
    Outcome.SECTION_17_ASSESSMENT,
    Outcome.CHILDREN_WITH_DISABILITY,
    Outcome.STRATEGY_DISCUSSION,
)


class ReceivingTeam(models.Model):
    """A team the front door refers children to: one that works in Safehub (its members' worktray) or
    elsewhere (its agreed secure email address, to which the pack goes as a PDF)."""

    name = models.CharField(max_length=200, unique=True)
    outcomes = models.JSONField("The outcomes it takes", default=list)
    team = models.ForeignKey(
        Team,
        verbose_name="Its team in Safehub",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    email = models.EmailField("Agreed secure email address", blank=True)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False) | ~Q(email=""), name="receiving_team_can_be_reached"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_safehub(self) -> bool:
        return self.team_id is not None


class ReferralPack(models.Model):
    """One referral pack: what the receiving team was sent about the children a contact's outcome sent
    to it, as it was sent (`content`, kept so that the pack reads the same whenever it is opened), and
    whether the team has it."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="referral_packs")
    receiving_team = models.ForeignKey(ReceivingTeam, on_delete=models.PROTECT, related_name="packs")
    outcome = models.CharField(max_length=40, choices=Outcome)
    # Emailed as a PDF (the team worked outside Safehub when it was sent), or to the team's worktray.
    by_email = models.BooleanField(default=False)
    email = models.EmailField(blank=True)
    content = models.JSONField()
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=PackState.WAITING.value)
    version = models.PositiveIntegerField(default=0)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    returned_because = models.TextField(blank=True)
    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="+")
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    lifecycle: ClassVar[Lifecycle[PackState, PackEvent]] = Lifecycle(LIFECYCLE)

    class Meta:
        ordering = ["contact_id", "sent_at", "pk"]
        constraints = [
            # One pack for each service a contact's outcome sends children to, however many click "Send".
            # A pack the team returned does not count: the hub sends it again, to that team or another.
            models.UniqueConstraint(
                fields=["contact", "outcome"], condition=~Q(state="returned"), name="referral_pack_once"
            ),
            models.CheckConstraint(condition=Q(by_email=False) | ~Q(email=""), name="referral_pack_email_address"),
        ]
        indexes = [
            models.Index(fields=["state", "by_email"]),
        ]

    def __str__(self) -> str:
        return f"Referral pack for {self.contact} to {self.receiving_team}"

    def get_absolute_url(self) -> str:
        return reverse("onward:pack", args=[self.pk])

    @property
    def state_label(self) -> str:
        return PackState(self.state).label

    @property
    def state_tag_class(self) -> str:
        return LIFECYCLE.states[PackState(self.state)].tag_class


class ReferralPackStateChange(StateChangeRecord):
    """A referral pack moving on, written by `core.lifecycle.transition`."""

    pack = models.ForeignKey(ReferralPack, on_delete=models.CASCADE, related_name="state_changes")

    class Meta(StateChangeRecord.Meta):
        indexes = [models.Index(fields=["pack", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    from_state__in=[state.value for state in PackState],
                    to_state__in=[state.value for state in PackState],
                    event__in=[event.value for event in PackEvent],
                ),
                name="referral_pack_change_valid",
            )
        ]
