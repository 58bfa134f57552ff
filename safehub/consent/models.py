"""Consent per person on a contact and per purpose, the competence assessments that let a young person
answer for themselves, and requests to share without consent (ADR 0034). Every row is written once:
a newer record supersedes an older one, and the history is the rows in order."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehub.accounts.models import Agency
from safehub.consent.workflow import LIFECYCLE, OverrideEvent, OverrideState
from safehub.contacts.models import Contact, ContactSubject
from safehub.core.lifecycle import Lifecycle
from safehub.core.models import StateChangeRecord


class ConsentPurpose(models.TextChoices):
    """What consent is asked for. Birmingham's early-years partner asks for its two services apart
    (000: children's centres and health visiting); early help always needs consent (002 §19)."""

    MASH_CHECKS = "mash_checks", "Sharing information for MASH checks"
    EARLY_HELP = "early_help", "Early help and family support"
    CHILDRENS_CENTRES = "childrens_centres", "Children's centres"
    HEALTH_VISITING = "health_visiting", "Health visiting"


class ConsentAnswer(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused or withdrawn"


class Giver(models.TextChoices):
    """Who answered (003 App. 4 §4: a parent or carer; a young person of 16 or over; one of 12 to 15
    competent to understand what is asked; an adult for themselves)."""

    THEMSELVES = "themselves", "The person themselves (an adult)"
    PARENT = "parent", "A parent or carer with parental responsibility"
    YOUNG_PERSON = "young_person", "The young person (16 or over)"
    COMPETENT_YOUNG_PERSON = "competent_young_person", "The young person (under 16, assessed as competent)"


# The answers a person gives for themselves, as against a parent's for their child.
OWN_ANSWERS = frozenset({Giver.THEMSELVES, Giver.YOUNG_PERSON, Giver.COMPETENT_YOUNG_PERSON})


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", "Verbally (in person or by phone)"
    WRITTEN = "written", "In writing (letter or email)"
    SIGNED_FORM = "signed_form", "A signed consent form"


class ConsentRecord(models.Model):
    """One answer about one person on a contact for one purpose: who answered, when, how, who recorded
    it. The latest for a person, purpose and kind of answerer is the one that counts (consent.rules)."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="consent_records")
    subject = models.ForeignKey(ContactSubject, on_delete=models.PROTECT, related_name="consent_records")
    purpose = models.CharField(max_length=30, choices=ConsentPurpose)
    answer = models.CharField(max_length=10, choices=ConsentAnswer)
    given_by = models.CharField(max_length=30, choices=Giver)
    giver_name = models.CharField("Name of the person who answered", max_length=200)
    given_on = models.DateField()
    method = models.CharField(max_length=20, choices=ConsentMethod)
    note = models.TextField(blank=True, max_length=2000)
    # The assessment that let a young person under the protocol's consent age answer for themselves.
    competence = models.ForeignKey(
        "CompetenceAssessment", null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    # What was submitted (core.submissions): the same answer sent again by the same person is this one.
    content_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["contact", "subject", "purpose"])]
        constraints = [
            models.CheckConstraint(condition=Q(purpose__in=ConsentPurpose.values), name="consent_purpose_valid"),
            models.CheckConstraint(condition=Q(answer__in=ConsentAnswer.values), name="consent_answer_valid"),
            models.CheckConstraint(condition=Q(given_by__in=Giver.values), name="consent_giver_valid"),
            models.CheckConstraint(condition=Q(method__in=ConsentMethod.values), name="consent_method_valid"),
            models.CheckConstraint(condition=~Q(giver_name=""), name="consent_giver_named"),
            models.CheckConstraint(
                condition=Q(given_by=Giver.COMPETENT_YOUNG_PERSON, competence__isnull=False)
                | (~Q(given_by=Giver.COMPETENT_YOUNG_PERSON) & Q(competence__isnull=True)),
                name="consent_competent_answer_has_its_assessment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.get_answer_display()} ({self.giver_name})"

    @property
    def is_own(self) -> bool:
        return self.given_by in OWN_ANSWERS


class CompetenceAssessment(models.Model):
    """Whether a young person under the protocol's consent age understands enough to answer for
    themselves about one purpose (Gillick): four questions, all yes to be competent, with why."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="competence_assessments")
    subject = models.ForeignKey(ContactSubject, on_delete=models.PROTECT, related_name="competence_assessments")
    purpose = models.CharField(max_length=30, choices=ConsentPurpose)
    understands = models.BooleanField("Understands what is asked and why")
    consequences = models.BooleanField("Understands what follows from saying yes or no")
    weighs = models.BooleanField("Can weigh it up and reach a decision")
    voluntary = models.BooleanField("Decides freely, without pressure from anyone")
    competent = models.BooleanField()
    rationale = models.TextField(max_length=4000)
    assessed_on = models.DateField()
    # Who assessed, and recorded it: a qualified worker of the hub (consent.permissions).
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    content_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(purpose__in=ConsentPurpose.values), name="competence_purpose_valid"),
            models.CheckConstraint(
                condition=Q(competent=True, understands=True, consequences=True, weighs=True, voluntary=True)
                | (
                    Q(competent=False)
                    & (Q(understands=False) | Q(consequences=False) | Q(weighs=False) | Q(voluntary=False))
                ),
                name="competence_follows_its_questions",
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="competence_has_a_rationale"),
        ]

    def __str__(self) -> str:
        return f"{'Competent' if self.competent else 'Not competent'}: {self.get_purpose_display()}"


class OverridePower(models.TextChoices):
    """The power relied on to share without consent (002 §21; 003 App. 3; 000)."""

    CHILDREN_ACT_S47 = (
        "children_act_s47",
        "Children Act 1989 s47: enquiries where a child may be suffering significant harm",
    )
    DPA_SCH8 = "dpa_sch8", "Data Protection Act 2018 Sch. 8: sharing to protect a child from harm"
    DPA_SCH1_PARA18 = (
        "dpa_sch1_para18",
        "Data Protection Act 2018 Sch. 1 para 18: safeguarding of children and individuals at risk",
    )
    PUBLIC_INTEREST = "public_interest", "Overriding public interest (common law duty of confidence)"


STATE_CHOICES = [(state.value, state.label) for state in OverrideState]


class ConsentOverride(models.Model):
    """A request to share without consent for one purpose on one contact, and its decision: asked by
    one person, decided by another (ADR 0034). `people` lists the contact's people it covers, as they
    were when it was asked: those without consent then."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="consent_overrides")
    purpose = models.CharField(max_length=30, choices=ConsentPurpose)
    people = models.ManyToManyField(ContactSubject, related_name="+")
    reason = models.TextField("Why share without consent", max_length=4000)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField()
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=OverrideState.ASKED.value)
    power = models.CharField(max_length=30, choices=OverridePower, blank=True)
    rationale = models.TextField(blank=True, max_length=4000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The agency that owns the information and who there agreed, when the protocol asks for it (002 §27).
    owner = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner_agreed_by = models.CharField(max_length=200, blank=True)
    owner_agreed_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=0)

    lifecycle: ClassVar[Lifecycle[OverrideState, OverrideEvent]] = Lifecycle(LIFECYCLE)

    class Meta:
        ordering = ["asked_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(purpose__in=ConsentPurpose.values), name="override_purpose_valid"),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in OverrideState]), name="override_state_valid"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="override_has_a_reason"),
            # Early help always needs consent (002 §19): it is never overridden.
            models.CheckConstraint(condition=~Q(purpose=ConsentPurpose.EARLY_HELP), name="override_not_for_early_help"),
            models.CheckConstraint(
                condition=~Q(state=OverrideState.AGREED.value)
                | (~Q(power="") & ~Q(rationale="") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="override_agreed_with_power_and_rationale",
            ),
            models.CheckConstraint(
                condition=Q(owner__isnull=True, owner_agreed_by="", owner_agreed_at__isnull=True)
                | Q(owner__isnull=False, owner_agreed_at__isnull=False) & ~Q(owner_agreed_by=""),
                name="override_owner_agreement_complete",
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("asked_by")), name="override_not_decided_by_its_asker"
            ),
            # One request waiting to be decided for a purpose on a contact: a second is the same one.
            models.UniqueConstraint(
                fields=["contact", "purpose"], condition=Q(state="asked"), name="override_one_asked_at_a_time"
            ),
        ]

    def __str__(self) -> str:
        return f"Share without consent: {self.get_purpose_display()} ({OverrideState(self.state).label})"

    @property
    def is_agreed(self) -> bool:
        return self.state == OverrideState.AGREED


class OverrideStateChange(StateChangeRecord):
    """A request to share without consent moving on, written by `core.lifecycle.transition`."""

    override = models.ForeignKey(ConsentOverride, on_delete=models.CASCADE, related_name="state_changes")

    class Meta(StateChangeRecord.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    from_state__in=[state.value for state in OverrideState],
                    to_state__in=[state.value for state in OverrideState],
                    event__in=[event.value for event in OverrideEvent],
                ),
                name="override_change_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Override {self.override_id}: {self.from_state} → {self.to_state}"
