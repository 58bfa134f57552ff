"""Consultations (002 §5–6): advice to someone worried about a child, with a summary sent back."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from safehub.accounts.models import Team, User
from safehub.accounts.permissions import can_work_on_cases
from safehub.consultations.workflow import LIFECYCLE, ConsultationEvent, ConsultationState
from safehub.core.lifecycle import Lifecycle
from safehub.core.models import StateChangeRecord

STATE_CHOICES = [(state.value, state.label) for state in ConsultationState]


class ConsultationKind(models.TextChoices):
    NAMED = "named", "Named: the child's details were shared (screened and recorded against the child)"
    ANONYMOUS = "anonymous", "Anonymous: no details of the child (not screened)"


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def visible_to(self, user: User) -> ConsultationQuerySet:
        if not can_work_on_cases(user):
            return self.none()
        return self.filter(team__memberships__user=user).distinct()

    def summary_overdue(self, *, at: datetime) -> ConsultationQuerySet:
        return self.filter(summary_sent_at__isnull=True, summary_due_at__lt=at)


class Consultation(models.Model):
    kind = models.CharField(max_length=10, choices=ConsultationKind)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="consultations")
    received_at = models.DateTimeField()
    consultee_name = models.CharField("Name", max_length=200)
    consultee_role = models.CharField("Role", max_length=200, blank=True)
    consultee_agency = models.CharField("Agency", max_length=200, blank=True)
    consultee_email = models.EmailField("Email", blank=True)
    consultee_phone = models.CharField("Phone", max_length=40, blank=True)
    child_given_name = models.CharField("Child's first name", max_length=100, blank=True)
    child_family_name = models.CharField("Child's last name", max_length=100, blank=True)
    child_date_of_birth = models.DateField("Child's date of birth", null=True, blank=True)
    child_postcode = models.CharField("Child's postcode", max_length=8, blank=True)
    question = models.TextField("What the consultee asked")
    advice = models.TextField("Advice given")
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=ConsultationState.AWAITING_SUMMARY.value)
    summary_due_at = models.DateTimeField(null=True, blank=True)
    summary_sent_at = models.DateTimeField(null=True, blank=True)
    summary_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    # What was submitted (core.submissions): the same details from the same person are one consultation.
    content_key = models.CharField(max_length=64, blank=True, editable=False)
    version = models.PositiveIntegerField(default=0)

    objects = ConsultationQuerySet.as_manager()
    lifecycle: ClassVar[Lifecycle[ConsultationState, ConsultationEvent]] = Lifecycle(LIFECYCLE)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recorded_by", "content_key"], condition=~Q(content_key=""), name="consultation_recorded_once"
            ),
            models.CheckConstraint(
                condition=Q(state=ConsultationState.AWAITING_SUMMARY.value, summary_sent_at__isnull=True)
                | Q(state=ConsultationState.SUMMARY_SENT.value, summary_sent_at__isnull=False),
                name="consultation_summary_sent_has_a_time",
            ),
            models.CheckConstraint(
                condition=~Q(kind="anonymous")
                | (
                    Q(child_given_name="")
                    & Q(child_family_name="")
                    & Q(child_date_of_birth__isnull=True)
                    & Q(child_postcode="")
                ),
                name="anonymous_consultation_has_no_child_details",
                violation_error_message=(
                    "An anonymous consultation records no details of the child: remove them or choose named"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Consultation with {self.consultee_name}"

    def get_absolute_url(self) -> str:
        return reverse("consultations:consultation", args=[self.pk])

    @property
    def child_name(self) -> str:
        return " ".join(p for p in (self.child_given_name, self.child_family_name) if p)


class ConsultationStateChange(StateChangeRecord):
    """A consultation moving on (its summary sent), written by `core.lifecycle.transition`."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="state_changes")

    class Meta(StateChangeRecord.Meta):
        indexes = [models.Index(fields=["consultation", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    from_state__in=[state.value for state in ConsultationState],
                    to_state__in=[state.value for state in ConsultationState],
                    event__in=[event.value for event in ConsultationEvent],
                ),
                name="consultation_change_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Consultation {self.consultation_id}: {self.from_state} → {self.to_state}"


class SummaryReminder(models.Model):
    """The one email to whoever recorded a consultation whose summary is overdue (issue 15: overdue
    summaries appear in alerts; 002 §5–6: within 48 hours). Made by the worker, sent once."""

    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE, related_name="reminder")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at"], name="summary_reminder_unsent", condition=Q(sent_at__isnull=True))]

    def __str__(self) -> str:
        return f"Summary overdue: {self.consultation}"
