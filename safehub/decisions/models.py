"""Threshold decisions: a social worker's rating and recommendation, and a manager's approval."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehub.contacts.models import Contact
from safehub.protocols.models import Brag, ThresholdLevel


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    SIGNPOST = "signpost", "Signpost to universal or additional services"
    EARLY_HELP = "early_help", "Early help (family wellbeing)"
    SECTION_17_ASSESSMENT = "section_17_assessment", "Children's social care assessment (section 17, child in need)"
    CHILDREN_WITH_DISABILITY = "children_with_disability", "Children with disability service"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion (section 47, significant harm)"
    FORWARD_TO_ALLOCATED_WORKER = "forward_to_allocated_worker", "Forward to the allocated worker (open case)"
    LADO = "lado", "LADO (allegation against someone who works with children)"


# A contact becomes a referral exactly when its approved outcome is one of these (001).
STATUTORY_OUTCOMES = frozenset(
    {Outcome.SECTION_17_ASSESSMENT, Outcome.CHILDREN_WITH_DISABILITY, Outcome.STRATEGY_DISCUSSION}
)


class Recommendation(models.Model):
    """A MASH social worker's BRAG rating, level of need and recommended outcome. Never edited:
    a contact returned by the manager gets a new recommendation."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="recommendations")
    rating = models.CharField(max_length=10, choices=Brag)
    level = models.ForeignKey(ThresholdLevel, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=40, choices=Outcome)
    rationale = models.TextField()
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommended_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["contact_id", "recommended_at", "pk"]
        get_latest_by = ["recommended_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_rating_display()}: {self.get_outcome_display()}"


class Verdict(models.TextChoices):
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned for reconsideration"


class Decision(models.Model):
    """A manager's approval (or return) of one recommendation. Never edited."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="decisions")
    recommendation = models.OneToOneField(Recommendation, on_delete=models.PROTECT, related_name="decision")
    verdict = models.CharField(max_length=20, choices=Verdict)
    outcome = models.CharField(max_length=40, choices=Outcome, blank=True)
    rationale = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["contact_id", "decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict="returned", outcome="") | (Q(verdict="approved") & ~Q(outcome="")),
                name="decision_outcome_only_when_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()}: {self.get_outcome_display()}"


class Referral(models.Model):
    """A contact accepted for a statutory service. Exists exactly when such a decision is approved."""

    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="referral")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="referral")
    outcome = models.CharField(max_length=40, choices=Outcome)
    referred_at = models.DateTimeField()

    class Meta:
        ordering = ["-referred_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=sorted(o.value for o in STATUTORY_OUTCOMES)), name="referral_outcome_statutory"
            ),
        ]

    def __str__(self) -> str:
        return f"Referral from {self.contact}"


class OutcomeAction(models.Model):
    """The approved outcome carried out: service referred to, referrer told. Closes the contact."""

    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="outcome_action")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="action")
    actioned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actioned_at = models.DateTimeField(default=timezone.now)
    sent_to = models.CharField("Service or team the child was referred to", max_length=200, blank=True)
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Social worker allocated",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocated_contacts",
        help_text="Sees the contact, and is sent partner agencies' answers that arrive after the decision (000).",
    )
    referrer_informed_at = models.DateTimeField(null=True, blank=True)
    referrer_informed_by = models.CharField(max_length=30, blank=True)
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Outcome actioned for {self.contact}"
