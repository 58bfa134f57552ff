"""A police domestic-abuse notification (issue 13; 000: the hub's "domestic abuse daily triage" with
police): the incident, the victim, the alleged perpetrator, each child and whether they were there, and
the risk assessment police sent — the DASH checklist, DARA, or a grade only.

The notification is a contact (channel "Police notification", concern "Domestic abuse"): its people are
the contact's, it is screened like any other, and the daily meeting and the triage list find it by them.
This record holds what only a notification has. The DASH questions are data (`DashQuestion`), changed
by an administrator; the answers keep each question's words as police answered it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehub.contacts.models import Contact, ContactSubject

PLACE_LENGTH = 300
REFERENCE_LENGTH = 40
RATIONALE_LENGTH = 2000
QUESTION_LENGTH = 300


class DashQuestion(models.Model):
    """One question of the DASH risk identification checklist (SafeLives, 2009), as the hub words it.
    A question no longer asked is retired, never deleted: notifications answered it."""

    number = models.PositiveSmallIntegerField(unique=True)
    text = models.CharField(max_length=QUESTION_LENGTH)
    in_use = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class Assessment(models.TextChoices):
    DASH = "dash", "DASH risk checklist"
    DARA = "dara", "DARA (domestic abuse risk assessment)"
    GRADE = "grade", "A grade only"


class RiskLevel(models.TextChoices):
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class MaracBasis(models.TextChoices):
    """Why the notification is a referral to MARAC (SafeLives' referral criteria)."""

    THRESHOLD = "threshold", "DASH score at or over the threshold (visible high risk)"
    HIGH_RISK = "high_risk", "Police assessed the risk as high"
    JUDGEMENT = "judgement", "Professional judgement"
    # SafeLives: another incident within 12 months of the victim's last MARAC referral goes back to MARAC.
    REPEAT = "repeat", "A repeat: within 12 months of the victim's last MARAC referral"


class Notification(models.Model):
    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="domestic_abuse")
    police_reference = models.CharField(max_length=REFERENCE_LENGTH)
    incident_at = models.DateTimeField()
    place = models.CharField(max_length=PLACE_LENGTH)
    victim = models.ForeignKey(ContactSubject, on_delete=models.PROTECT, related_name="+")
    # Null: police named nobody (the alleged perpetrator is not known).
    perpetrator = models.ForeignKey(ContactSubject, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Each child on the contact (its subject's pk, as text) and whether they were there: yes, no, not known.
    children_present = models.JSONField(default=dict)
    assessment = models.CharField(max_length=10, choices=Assessment)
    # DARA and a grade give a level; a DASH checklist may come with the officer's level too.
    risk_level = models.CharField(max_length=10, choices=RiskLevel, blank=True)
    # The DASH answers as police gave them: [{"number", "text", "answer"}], answer yes / no / not known.
    dash_answers = models.JSONField(default=list, blank=True)
    dash_score = models.PositiveSmallIntegerField(null=True, blank=True)
    # The threshold the score was measured against, as the protocol held it then.
    marac_threshold = models.PositiveSmallIntegerField(null=True, blank=True)
    marac_basis = models.CharField(max_length=10, choices=MaracBasis, blank=True)
    judgement_rationale = models.TextField(blank=True, max_length=RATIONALE_LENGTH)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The last correction, and why (the audit trail holds every one, with what changed).
    corrected_at = models.DateTimeField(null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    correction_reason = models.TextField(blank=True, max_length=RATIONALE_LENGTH)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-incident_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assessment="dash", dash_score__isnull=False) | ~Q(assessment="dash"),
                name="dash_notification_has_a_score",
            ),
            models.CheckConstraint(
                condition=Q(assessment="dash") | ~Q(risk_level=""), name="dara_or_grade_has_a_level"
            ),
            models.CheckConstraint(
                condition=~Q(marac_basis="judgement") | ~Q(judgement_rationale=""),
                name="marac_judgement_has_a_rationale",
            ),
        ]

    def __str__(self) -> str:
        return f"Police domestic-abuse notification {self.police_reference}"


class Correction(models.Model):
    """One correction of a notification: who, when, why, and what it held before (never edited), so that
    a referral to MARAC withdrawn by a correction stays on the record."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="corrections")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=RATIONALE_LENGTH)
    # The fields it changed: {"name": [before, after]}, and the DASH answers as they were before.
    changes = models.JSONField(default=dict)
    answers_before = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["notification_id", "at", "pk"]

    def __str__(self) -> str:
        return f"Correction of {self.notification} at {self.at:%d/%m/%Y %H:%M}"
