"""What the council's case system did after the front door (issue 16): each child's episode of need
from the referral to its closure, and the assessments, section 47 enquiries, initial child protection
conferences and plans in it. Safehub's own referrals and strategy discussions start episodes and
enquiries (`services.follow_front_door`); the rest comes by import (docs/casework-csv.md), linked to
the child and the referral it started from. The DfE's census counts these (001 tables a–d; 004 §9)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from safehub.casework.codes import CategoryOfAbuse, PrimaryNeed, ReasonForClosure, UpnUnknown
from safehub.contacts.models import ReferralSource
from safehub.decisions.models import Referral
from safehub.people.models import Person
from safehub.strategy.models import StrategyDiscussion


class ChildDetails(models.Model):
    """What the census asks of a child that the person index does not hold: the unique pupil number
    (or why there is none), disabilities and a date of death. Imported from the case system."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="census_details")
    upn = models.CharField("Unique pupil number", max_length=13, blank=True)
    former_upn = models.CharField("Former unique pupil number", max_length=13, blank=True)
    upn_unknown = models.CharField("Why there is no UPN", max_length=4, choices=UpnUnknown, blank=True)
    disabilities = models.JSONField(default=list, blank=True)  # Disability codes
    died_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "child details"

    def __str__(self) -> str:
        return f"Census details of {self.person}"


class Episode(models.Model):
    """A child's episode of need (the census's CINdetails), from a referral to its closure."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episodes")
    referral_date = models.DateField()
    source = models.CharField("Referral source", max_length=3, choices=ReferralSource)
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=4, choices=ReasonForClosure, blank=True)
    # The referral was closed with no further action, before any assessment (the census's ReferralNFA).
    no_further_action = models.BooleanField(default=False)
    # Who holds the child's case, as the case system names them (Annex A lists 3–5); for a Safehub
    # referral, until an import says otherwise, the team and worker the outcome was actioned to.
    team = models.CharField(max_length=200, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    external_ref = models.CharField("Reference in the case system", max_length=60, blank=True)
    # Set when the episode came from the casework import rather than from a Safehub referral.
    imported = models.BooleanField(default=False)

    class Meta:
        ordering = ["child_id", "referral_date"]
        constraints = [
            models.UniqueConstraint(fields=["child", "referral_date"], name="episode_once_per_referral_date"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("referral_date")),
                name="episode_closed_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, closure_reason="")
                | (Q(closed_on__isnull=False) & ~Q(closure_reason="")),
                name="episode_closure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Episode from {self.referral_date:%d %B %Y}"


class EpisodeReferral(models.Model):
    """Which episode each of Safehub's referrals belongs to: the one it started, or the one already
    open for the child, which a further referral joins (the census counts an episode once)."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="episode_link")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="referral_links")
    starts_episode = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode"], condition=Q(starts_episode=True), name="episode_started_by_one_referral"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral} in {self.episode}"


class Assessment(models.Model):
    """A child and family assessment (s17), from its start to the manager's authorisation."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="assessments")
    started_on = models.DateField()
    authorised_on = models.DateField(null=True, blank=True)
    factors = models.JSONField(default=list, blank=True)  # AssessmentFactor codes, once authorised
    external_ref = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["episode_id", "started_on"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "started_on"], name="assessment_once_per_start"),
            models.CheckConstraint(
                condition=Q(authorised_on__isnull=True) | Q(authorised_on__gte=F("started_on")),
                name="assessment_authorised_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment from {self.started_on:%d %B %Y}"


class Section47(models.Model):
    """A section 47 enquiry and its initial child protection conference: one a strategy discussion in
    Safehub started (`discussion`), or imported."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="section47s")
    started_on = models.DateField()
    discussion = models.ForeignKey(
        StrategyDiscussion, null=True, blank=True, on_delete=models.PROTECT, related_name="section47s"
    )
    conference_due_on = models.DateField("Initial conference due", null=True, blank=True)
    conference_on = models.DateField("Initial conference held", null=True, blank=True)
    conference_not_required = models.BooleanField(default=False)
    external_ref = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["episode_id", "started_on"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "started_on"], name="section47_once_per_start"),
            models.CheckConstraint(
                condition=Q(conference_on__isnull=True) | Q(conference_on__gte=F("started_on")),
                name="section47_conference_after_start",
            ),
            models.CheckConstraint(
                condition=~(Q(conference_not_required=True) & Q(conference_on__isnull=False)),
                name="section47_conference_held_or_not_required",
            ),
        ]

    def __str__(self) -> str:
        return f"Section 47 enquiry from {self.started_on:%d %B %Y}"


class CinPlan(models.Model):
    """A child in need plan."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="cin_plans")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    external_ref = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["episode_id", "started_on"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "started_on"], name="cin_plan_once_per_start"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="cin_plan_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Child in need plan from {self.started_on:%d %B %Y}"


class ProtectionPlan(models.Model):
    """A child protection plan, with its categories of abuse and its review conferences."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="protection_plans")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    initial_category = models.CharField(max_length=3, choices=CategoryOfAbuse)
    latest_category = models.CharField(max_length=3, choices=CategoryOfAbuse)
    # Plans the child had before this one, as the case system counts them (its history may be longer
    # than Safehub's); none given: counted from Safehub's own.
    previous_plans = models.PositiveSmallIntegerField(null=True, blank=True)
    reviews = models.JSONField(default=list, blank=True)  # review conference dates, ISO, in order
    external_ref = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["episode_id", "started_on"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "started_on"], name="protection_plan_once_per_start"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="protection_plan_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Child protection plan from {self.started_on:%d %B %Y}"
