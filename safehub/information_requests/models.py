"""Requests for information from other professionals (000, "Information Request Level 1–3"): who
asked, how their identity was checked, about which child, on what consent or exemption, what was
disclosed or why it was refused, who decided, and by when it was due."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehub.accounts.models import Agency, User
from safehub.core.lifecycle import Lifecycle
from safehub.core.models import StateChangeRecord
from safehub.information_requests.permissions import can_see_requests
from safehub.information_requests.workflow import LIFECYCLE, RequestEvent, RequestState
from safehub.people.models import Person


class Level(models.IntegerChoices):
    ONE = 1, "Level 1: is the child known to children's social care, and who is the worker"
    TWO = 2, "Level 2: a limited account of past involvement (a closed case)"
    THREE = 3, "Level 3: the whole file, for court proceedings or a section 47 enquiry"


class ConsentEvidence(models.TextChoices):
    """000, level 2: "evidence of consent ... will usually be the requester agency's form or letter signed
    by the parent/child. However, CASS will accept confirmation ... that verbal consent has been obtained"."""

    SIGNED = "signed", "A form or letter signed by the parent, carer or young person"
    VERBAL = "verbal", "The requesting agency confirms verbal consent was given"
    NOT_NEEDED = "not_needed", "Not needed: one of the exemptions below applies"
    NONE = "none", "None given"


class Exemption(models.TextChoices):
    """000, level 2: when consent is not needed."""

    SECTION_47 = "section_47", "An active child protection enquiry (section 47)"
    CARE_PROCEEDINGS = "care_proceedings", "Care proceedings"
    CAFCASS_REPORT = "cafcass_report", "A CAFCASS section 7 or section 37 report"
    PRE_PROCEEDINGS = "pre_proceedings", "Pre-proceedings (the public law outline)"


class InformationRequestQuerySet(models.QuerySet["InformationRequest"]):
    def visible_to(self, user: User) -> InformationRequestQuerySet:
        """The front door handles requests and the DPO reads the register; no one else sees them."""
        return self if can_see_requests(user) else self.none()


class InformationRequest(models.Model):
    level = models.PositiveSmallIntegerField(choices=Level)
    state = models.CharField(
        max_length=30, choices=[(state.value, state.label) for state in RequestState], default=RequestState.RECEIVED
    )
    received_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField()
    # Who asked, and how their identity was checked (000, level 1: an email from their organisation's
    # address, sent while they are still on the phone).
    requester_name = models.CharField(max_length=200)
    requester_role = models.CharField(max_length=200)
    requester_organisation = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requester_email = models.EmailField()
    requester_phone = models.CharField(max_length=40, blank=True)
    identity_checked = models.TextField(blank=True, help_text="How the caller's identity was checked.")
    # The child, as the requester named them, and their record in the person index if found.
    child_name = models.CharField(max_length=200)
    child_date_of_birth = models.DateField(null=True, blank=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    searched_not_found = models.BooleanField(default=False)
    reason = models.TextField(help_text="Why they ask, in their words.")
    consent_evidence = models.CharField(max_length=20, choices=ConsentEvidence, blank=True)
    exemption = models.CharField(max_length=30, choices=Exemption, blank=True)
    # The answer as it was given, and who gave and approved it; or why it was refused.
    answer = models.JSONField(default=dict, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refused_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    objects = InformationRequestQuerySet.as_manager()
    lifecycle: ClassVar[Lifecycle[RequestState, RequestEvent]] = Lifecycle(LIFECYCLE)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=[1, 2, 3]), name="information_request_level"),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(refused_reason=""), name="refused_request_has_a_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state="answered") | Q(answered_at__isnull=False), name="answered_request_has_a_time"
            ),
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="information_request_queue_idx")]

    def __str__(self) -> str:
        return f"Information request {self.reference}"

    @property
    def reference(self) -> str:
        return f"IR{self.pk:06d}"


class InformationRequestStateChange(StateChangeRecord):
    """An information request moving on, written by `core.lifecycle.transition`."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="state_changes")

    class Meta(StateChangeRecord.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    from_state__in=[state.value for state in RequestState],
                    to_state__in=[state.value for state in RequestState],
                    event__in=[event.value for event in RequestEvent],
                ),
                name="information_request_change_valid",
            )
        ]
