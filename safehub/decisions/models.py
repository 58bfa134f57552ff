"""Threshold decisions: a social worker's rating and recommendation, and a manager's approval."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehub.contacts.models import Contact, ContactSubject
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


# Each outcome as a list of children's outcomes names it: "Ann Smith: Section 17; Ben Smith: Early help".
SHORT_LABELS = {
    Outcome.NO_FURTHER_ACTION: "No further action",
    Outcome.SIGNPOST: "Signpost",
    Outcome.EARLY_HELP: "Early help",
    Outcome.SECTION_17_ASSESSMENT: "Section 17 assessment",
    Outcome.CHILDREN_WITH_DISABILITY: "Children with disability",
    Outcome.STRATEGY_DISCUSSION: "Strategy discussion",
    Outcome.FORWARD_TO_ALLOCATED_WORKER: "Forward to allocated worker",
    Outcome.LADO: "LADO",
}

# A child becomes a referral exactly when their approved outcome is one of these (001); the CIN
# census counts referrals per child.
STATUTORY_OUTCOMES = frozenset(
    {Outcome.SECTION_17_ASSESSMENT, Outcome.CHILDREN_WITH_DISABILITY, Outcome.STRATEGY_DISCUSSION}
)

# The ratings, most serious first: a contact is rated as its most serious child (002 §7).
MOST_SERIOUS_FIRST = (Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE)


def most_serious(ratings: Iterable[str]) -> Brag:
    """The most serious of these ratings (at least one)."""
    given = set(ratings)
    return next(rating for rating in MOST_SERIOUS_FIRST if rating in given)


class Recommendation(models.Model):
    """A MASH social worker's recommendation for a contact: the act (who, when, why) with each
    child's rating, level of need and outcome (`children`). Never edited: a contact returned by the
    manager gets a new recommendation."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="recommendations")
    # The contact's rating, for its clocks and the queues: its most serious child's (`most_serious`).
    rating = models.CharField(max_length=10, choices=Brag)
    rationale = models.TextField()
    # Which of the local protocol's early help criteria the situation meets, in the protocol's words as they
    # were (002 §9(c): "the situation meets at least one of the following Family Wellbeing service
    # criteria"); empty where the protocol lists none, or none is met.
    early_help_criteria = models.JSONField(default=list, blank=True)
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommended_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["contact_id", "recommended_at", "pk"]
        get_latest_by = ["recommended_at", "pk"]

    def __str__(self) -> str:
        return f"Recommendation for {self.contact}: {self.get_rating_display()}"


class ChildRecommendation(models.Model):
    """One child's rating, level of need and recommended outcome, in a recommendation. Never edited."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="children")
    subject = models.ForeignKey(ContactSubject, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=10, choices=Brag)
    level = models.ForeignKey(ThresholdLevel, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=40, choices=Outcome)

    class Meta:
        ordering = ["recommendation_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "subject"], name="child_recommendation_once_per_child"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()}: {self.get_outcome_display()}"


class Verdict(models.TextChoices):
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned for reconsideration"


class Decision(models.Model):
    """A manager's approval (or return) of one recommendation: the act. An approval holds each
    child's approved outcome (`children`); a return holds none. Never edited."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="decisions")
    recommendation = models.OneToOneField(Recommendation, on_delete=models.PROTECT, related_name="decision")
    verdict = models.CharField(max_length=20, choices=Verdict)
    rationale = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["contact_id", "decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} for {self.contact}"


class ChildDecision(models.Model):
    """One child's approved outcome, in a manager's approval: the recommended one, or the one the
    manager chose instead. Never edited."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="children")
    subject = models.ForeignKey(ContactSubject, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=40, choices=Outcome)

    class Meta:
        ordering = ["decision_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "subject"], name="child_decision_once_per_child"),
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()


class Referral(models.Model):
    """A child accepted for a statutory service: exists exactly when a manager approves such an
    outcome for that child, one per child on the contact (the CIN census counts referrals per child)."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="referrals")
    subject = models.ForeignKey(ContactSubject, on_delete=models.PROTECT, related_name="referrals")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="referrals")
    outcome = models.CharField(max_length=40, choices=Outcome)
    referred_at = models.DateTimeField()

    class Meta:
        ordering = ["-referred_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=sorted(o.value for o in STATUTORY_OUTCOMES)), name="referral_outcome_statutory"
            ),
            models.UniqueConstraint(fields=["contact", "subject"], name="referral_once_per_child"),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.subject} from {self.contact}"


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


class ChildAction(models.Model):
    """Where one child went when the outcome was actioned, and to whom: the team and social worker
    entered for their outcome on the outcome page (siblings sent to different services each have
    their own, 002 §9–10), or a forwarded child's own open case's worker (002 §3). Never edited."""

    action = models.ForeignKey(OutcomeAction, on_delete=models.PROTECT, related_name="children")
    subject = models.ForeignKey(ContactSubject, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=40, choices=Outcome)
    team = models.CharField(max_length=200, blank=True)
    worker = models.CharField(max_length=200, blank=True)  # as the outcome page or the open case names them
    worker_email = models.EmailField(blank=True)
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["action_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["action", "subject"], name="child_action_once_per_child"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.team or 'no team'}"
