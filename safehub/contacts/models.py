from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import Team, User
from safehub.accounts.permissions import can_work_on_cases
from safehub.contacts.workflow import LIFECYCLE, ContactState, Event
from safehub.core.lifecycle import Lifecycle
from safehub.people.models import Ethnicity, Person, PersonKind, Sex
from safehub.protocols.models import Brag

STATE_CHOICES = [(s.value, s.label) for s in ContactState]
EVENT_CHOICES = [(e.value, e.label) for e in Event]


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    FORM = "form", "Request for support form"
    IN_PERSON = "in_person", "In person"
    POLICE_NOTIFICATION = "police_notification", "Police notification"
    LETTER = "letter", "Letter"


class ReferralSource(models.TextChoices):
    """CIN census referral source codes (the census guide: 4 is housing, 5A the local authority's social
    care, 5D early help)."""

    INDIVIDUAL_FAMILY = "1A", "Individual: family member, relative or carer"
    INDIVIDUAL_ACQUAINTANCE = "1B", "Individual: acquaintance (including neighbours and friends)"
    INDIVIDUAL_SELF = "1C", "Individual: self"
    INDIVIDUAL_OTHER = "1D", "Individual: other"
    SCHOOLS = "2A", "Schools"
    EDUCATION_SERVICES = "2B", "Education services"
    HEALTH_GP = "3A", "Health services: GP"
    HEALTH_VISITOR = "3B", "Health services: health visitor"
    HEALTH_SCHOOL_NURSE = "3C", "Health services: school nurse"
    HEALTH_OTHER_PRIMARY = "3D", "Health services: other primary health services"
    HEALTH_A_AND_E = "3E", "Health services: A&E (emergency department)"
    HEALTH_OTHER = "3F", "Health services: other"
    LA_HOUSING = "4", "Housing: local authority housing or housing association"
    LA_SOCIAL_CARE = "5A", "Local authority services: social care, for example adult social care"
    LA_OTHER = "5B", "Other internal local authority services"
    LA_EXTERNAL = "5C", "Local authority: external, for example another authority"
    EARLY_HELP = "5D", "Early help"
    POLICE = "6", "Police"
    OTHER_LEGAL = "7", "Other legal agency"
    OTHER = "8", "Other"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class ReferrerKind(models.TextChoices):
    PROFESSIONAL = "professional", "A professional"
    PUBLIC = "public", "A member of the public or family member"
    ANONYMOUS = "anonymous", "Anonymous"


class ConcernCategory(models.TextChoices):
    PHYSICAL_ABUSE = "physical_abuse", "Physical abuse"
    SEXUAL_ABUSE = "sexual_abuse", "Sexual abuse"
    EMOTIONAL_ABUSE = "emotional_abuse", "Emotional abuse"
    NEGLECT = "neglect", "Neglect"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    PARENTAL_MENTAL_HEALTH = "parental_mental_health", "Parental mental health"
    PARENTAL_SUBSTANCE_MISUSE = "parental_substance_misuse", "Parental substance misuse"
    CHILD_SEXUAL_EXPLOITATION = "child_sexual_exploitation", "Child sexual exploitation"
    CHILD_CRIMINAL_EXPLOITATION = "child_criminal_exploitation", "Child criminal exploitation"
    GOING_MISSING = "going_missing", "Going missing"
    RADICALISATION = "radicalisation", "Radicalisation"
    FGM = "fgm", "Female genital mutilation"
    SELF_HARM = "self_harm", "Self-harm"
    CHILD_MENTAL_HEALTH = "child_mental_health", "Child's mental health"
    DISABILITY = "disability", "Disability"
    HOUSING = "housing", "Housing or homelessness"
    SCHOOL_EXCLUSION = "school_exclusion", "Exclusion or risk of exclusion from school"
    PRIVATE_FOSTERING = "private_fostering", "Private fostering"
    TRAFFICKING = "trafficking", "Trafficking or modern slavery"
    ALLEGATION_AGAINST_PROFESSIONAL = (
        "allegation_against_professional",
        "Allegation against someone who works with children",
    )
    OTHER = "other", "Other"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class NotToldReason(models.TextChoices):
    """Why the family is not told that information is shared, as the seeds allow (002 §22 a–c: telling
    them would place a person at increased risk of significant harm, prejudice the prevention, detection
    or prosecution of a serious crime, or lead to an unjustified delay in enquiries; 003 §2.5)."""

    INCREASED_RISK = "increased_risk", "Telling them would increase the risk to the child"
    PREJUDICE_INVESTIGATION = "prejudice_investigation", "Telling them would prejudice a criminal investigation"
    UNDUE_DELAY = "undue_delay", "Seeking to tell them would cause undue delay"


class ConsentPosition(models.TextChoices):
    """Consent as stated by the referrer (002 §18–19)."""

    GIVEN = "given", "Consent given"
    INFORMED = "informed", "Family informed, consent not given"
    NOT_INFORMED_SAFEGUARDING = (
        "not_informed_safeguarding",
        "Not informed: would increase risk or prejudice an investigation",
    )
    REFUSED = "refused", "Consent refused"
    NOT_REQUIRED_PUBLIC = "not_required_public", "Not required: member of the public"
    NOT_KNOWN = "not_known", "Not known"


class ContactQuerySet(models.QuerySet["Contact"]):
    def visible_to(self, user: User) -> ContactQuerySet:
        """The only way views read contacts (scripts/check_scoped_queries.py enforces it).

        Children's social care staff in a team see that team's contacts, and a social worker the
        contacts whose outcome allocated the child to them; a restricted contact only its named
        users. Partner professionals see no contact directly.
        """
        if not can_work_on_cases(user):
            return self.none()
        # The user's teams were read with their roles (User.team_ids): a list, not a subquery.
        in_my_team = Q(team_id__in=sorted(user.team_ids()))
        # The social worker the outcome allocated the child to, whatever their team (one outcome per contact).
        allocated = Q(outcome_action__allocated_worker=user)
        # A worker the contact was handed to (handoffs: an open case's worker, the previous worker).
        handed = Exists(ContactAccess.objects.filter(contact=OuterRef("pk"), user=user))
        named = ContactRestriction.objects.filter(contact=OuterRef("pk"), user=user)
        not_restricted = Q(is_restricted=False) | Exists(named)
        # Each condition is a subquery or a join to at most one row (the outcome), so every contact
        # comes once without DISTINCT, which made PostgreSQL sort each page's rows on all columns.
        return self.filter((in_my_team | allocated | handed) & not_restricted)

    def overdue(self, *, at: datetime) -> ContactQuerySet:
        return self.filter(overdue_at(at))


def overdue_at(at: datetime) -> Q:
    """An open contact past its due time at `at`: the Overdue queue, and its count."""
    return Q(current_due_at__lt=at) & ~Q(state=ContactState.CLOSED)


class Contact(models.Model):
    """A concern about one or more children, as it arrived at the front door."""

    reference = models.CharField(max_length=20, unique=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="contacts")
    received_at = models.DateTimeField()
    channel = models.CharField(max_length=30, choices=Channel)
    source = models.CharField("Referral source", max_length=3, choices=ReferralSource)
    # The referrer (002 §4: relationship with and knowledge of the child).
    referrer_kind = models.CharField(max_length=20, choices=ReferrerKind)
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_agency = models.CharField(max_length=200, blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    referrer_email = models.EmailField(blank=True)
    referrer_address = models.CharField(max_length=300, blank=True)
    referrer_relationship = models.CharField("Relationship to the child", max_length=200, blank=True)
    referrer_knowledge = models.TextField("Referrer's knowledge of the child and family", blank=True)
    # The concern.
    concern_categories = models.JSONField(default=list)
    narrative = models.TextField("What is the concern?")
    significant_events = models.TextField("Significant recent or past events", blank=True)
    child_location = models.TextField("Where the child is now and their condition", blank=True)
    immediate_protection = models.CharField(
        "Does the child need immediate protection?", max_length=10, choices=YesNoUnknown
    )
    # The risk as first seen, by whoever records or screens the contact: it sets the screening and
    # threshold clocks until a social worker's recommendation rates the contact (a child who needs
    # immediate protection is always Red: contacts.rules.rating_problems).
    initial_rating = models.CharField("Initial rating", max_length=10, choices=Brag, blank=True)
    alleged_perpetrator = models.TextField("Alleged perpetrator", blank=True)
    other_agencies = models.TextField("Other agencies known to be involved", blank=True)
    parents_aware = models.CharField("Do the parents know about this contact?", max_length=10, choices=YesNoUnknown)
    parents_agree = models.CharField("Do the parents agree to it?", max_length=10, choices=YesNoUnknown)
    consent = models.CharField("Consent as stated by the referrer", max_length=30, choices=ConsentPosition)
    consent_notes = models.TextField(blank=True)
    # Why the referrer did not tell the family (consent NOT_INFORMED_SAFEGUARDING): each reason chosen
    # (NotToldReason) with its rationale, {"increased_risk": "…"}.
    not_told = models.JSONField(default=dict, blank=True)
    # Lifecycle.
    state = models.CharField(max_length=30, choices=STATE_CHOICES, default=ContactState.RECEIVED)
    version = models.PositiveIntegerField(default=0)
    current_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The worker a manager allocated the contact to at the front door (screening or the threshold
    # decision): it is on their "My work" list. Not the social worker the outcome allocates the
    # child to afterwards (decisions.OutcomeAction.allocated_worker).
    allocated_to = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="allocated_front_door_contacts"
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    # A manager may restrict a contact to named people (a staff member's child, a high-profile
    # family): contacts.services.restrict_contact. Only they see it, in any queue or search.
    is_restricted = models.BooleanField(default=False)
    restriction_reason = models.TextField(blank=True)
    restricted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    restricted_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    # What was submitted (core.submissions): the same details from the same person are one contact.
    content_key = models.CharField(max_length=64, blank=True, editable=False)

    objects = ContactQuerySet.as_manager()
    lifecycle: ClassVar[Lifecycle[ContactState, Event]] = Lifecycle(LIFECYCLE)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["state", "current_due_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=[s.value for s in ContactState]), name="contact_state_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="contact_channel_valid"),
            models.CheckConstraint(
                condition=Q(is_restricted=False) | (~Q(restriction_reason="") & Q(restricted_by__isnull=False)),
                name="restricted_contact_has_a_reason",
            ),
            models.UniqueConstraint(
                fields=["recorded_by", "content_key"], condition=~Q(content_key=""), name="contact_recorded_once"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("contacts:contact", args=[self.pk])

    def is_overdue(self, *, at: datetime) -> bool:
        return self.state != ContactState.CLOSED and self.current_due_at is not None and self.current_due_at < at


class ContactSearchTerm(models.Model):
    """One term 'Find a contact' looks a contact up by ('w:harlow', 'p:DA6 7AT'): contacts.search_terms
    says which, and writes them as the contact is recorded. A search reads this table's key, not the
    contacts and their people."""

    pk = models.CompositePrimaryKey("term", "contact")
    term = models.CharField(max_length=120)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        indexes = [models.Index(fields=["contact"], name="contactsearchterm_contact")]

    def __str__(self) -> str:
        return self.term


class ContactRestriction(models.Model):
    """A named user who may see a restricted contact (for example a staff member's child)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="restricted_access")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contact_restrictions")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "user"], name="contact_restriction_unique")]

    def __str__(self) -> str:
        return f"{self.user} may see {self.contact}"


class ContactAccess(models.Model):
    """A user outside the contact's team who was given the contact to work on: the allocated worker
    of an open case it was forwarded to, or the previous social worker under the three-month rule.
    Granted by the service that hands the contact over, never taken away (what they were sent stays theirs)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="granted_access")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contact_access")
    reason = models.CharField(max_length=200)
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "user"], name="contact_access_unique")]

    def __str__(self) -> str:
        return f"{self.user} was given {self.contact}"


class SubjectRole(models.TextChoices):
    CHILD = "child", "Child the concern is about"
    SIBLING = "sibling", "Sibling or other child in the household"
    PARENT = "parent", "Parent or carer"
    HOUSEHOLD_MEMBER = "household_member", "Other household member"
    ALLEGED_PERPETRATOR = "alleged_perpetrator", "Alleged perpetrator"
    OTHER_ADULT = "other_adult", "Other adult"


CHILD_ROLES = frozenset({SubjectRole.CHILD, SubjectRole.SIBLING})


def subject_name(given_name: str, family_name: str, kind: str) -> str:
    """How a contact's subject is named on every page: an unborn baby with no name yet is
    'Unborn <family name>'."""
    if kind == PersonKind.UNBORN and not given_name:
        return f"Unborn {family_name}".strip()
    return " ".join(part for part in (given_name, family_name) if part) or "Name not known"


# The fields a contact's subject shares with a person record, by the same names.
IDENTITY_FIELDS = ("given_name", "family_name", "sex", "date_of_birth", "expected_date_of_delivery", "nhs_number")
DESCRIPTION_FIELDS = ("ethnicity", "first_language", "religion", "needs", "communication", "school")
# Everything the referrer tells us about a person on the contact: the form asks for these, and an
# amendment adds or corrects them.
SUBJECT_FIELDS = (
    "role",
    "kind",
    "given_name",
    "family_name",
    "sex",
    "date_of_birth",
    "expected_date_of_delivery",
    "nhs_number",
    "address",
    "postcode",
    "school",
    "ethnicity",
    "first_language",
    "religion",
    "needs",
    "communication",
    "has_parental_responsibility",
)


class OnContactManager(models.Manager["ContactSubject"]):
    """The people on the contact now: a person removed by an amendment (contacts.amendments) stays
    in the database, with the amendment saying who removed them, when and why, but is on no page,
    queue, search, MASH check or outcome. `ContactSubject.everyone` still has them."""

    def get_queryset(self) -> models.QuerySet[ContactSubject]:
        return super().get_queryset().filter(removed_at__isnull=True)


class ContactSubject(models.Model):
    """A child or adult named in a contact, as the referrer described them.

    `person` links them to the person index once screening has identified them. Nobody is ever
    deleted from a contact: an amendment made before the decision marks them removed
    (`removed_at`), and the default manager (`objects`, and so `contact.subjects`) leaves them out.
    """

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="subjects")
    role = models.CharField(max_length=30, choices=SubjectRole)
    kind = models.CharField(max_length=10, choices=PersonKind)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    sex = models.CharField(max_length=10, choices=Sex, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_delivery = models.DateField(null=True, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    school = models.CharField("School or nursery", max_length=200, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity, blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    religion = models.CharField(max_length=100, blank=True)
    needs = models.TextField("Disability or special needs", blank=True)
    communication = models.TextField("How they communicate", blank=True)
    has_parental_responsibility = models.BooleanField(default=False)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="contact_subjects")
    order = models.PositiveSmallIntegerField(default=0)
    # Set by contacts.amendments.remove_person before the decision; the amendment says who and why.
    removed_at = models.DateTimeField(null=True, blank=True)

    everyone = models.Manager()  # the removed too (the amendments' history, merges of person records)
    objects = OnContactManager()

    class Meta:
        # The column, not "contact": that would join the contact to order by the contact's own ordering.
        ordering = ["contact_id", "order"]
        # `contact.subjects` is the people on the contact now; a foreign key to a subject (an
        # amendment's) reaches the removed too.
        default_manager_name = "objects"
        base_manager_name = "everyone"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=PersonKind.UNBORN) | Q(date_of_birth__isnull=True),
                name="subject_unborn_has_no_date_of_birth",
                violation_error_message="An unborn child has no date of birth: enter the expected date of delivery",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return subject_name(self.given_name, self.family_name, self.kind)

    @property
    def is_child(self) -> bool:
        return self.role in CHILD_ROLES

    @property
    def is_mother(self) -> bool:
        return self.role == SubjectRole.PARENT and self.sex == Sex.FEMALE

    def identity(self) -> dict[str, Any]:
        """Who the referrer says this is, in the person index's own field names: what matching
        compares and what a new person record starts from."""
        return {name: getattr(self, name) for name in IDENTITY_FIELDS}

    def person_fields(self) -> dict[str, Any]:
        """Everything a new person record takes from this subject (its address apart)."""
        return {"kind": self.kind, **self.identity(), **{name: getattr(self, name) for name in DESCRIPTION_FIELDS}}


class StateChange(models.Model):
    """Who moved the contact from which state to which, when, and why. Never edited."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="state_changes")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(max_length=40, choices=EVENT_CHOICES)
    from_state = models.CharField(max_length=30, choices=STATE_CHOICES)
    to_state = models.CharField(max_length=30, choices=STATE_CHOICES)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["contact", "at"])]

    def __str__(self) -> str:
        return f"{self.contact}: {self.from_state} → {self.to_state}"


class AmendmentKind(models.TextChoices):
    PERSON_ADDED = "person_added", "Person added"
    PERSON_REMOVED = "person_removed", "Person removed"
    DETAILS_CORRECTED = "details_corrected", "Details corrected"
    CONSENT_RECORDED = "consent_recorded", "Consent recorded"
    INFORMATION_ADDED = "information_added", "Information added"


class ConsentAnswer(models.TextChoices):
    """What the family said when asked after the contact (002 §18–19)."""

    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused or withdrawn"


class ConsentGiver(models.TextChoices):
    """Who may give consent (003 App. 4 §4: a parent or carer, a young person of 16 or over, or one
    of 12 to 15 competent to understand what is asked)."""

    PARENT = "parent", "A parent or carer with parental responsibility"
    YOUNG_PERSON = "young_person", "The young person (16 or over)"
    COMPETENT_CHILD = "competent_child", "The young person (12 to 15, judged competent to decide)"


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    WRITTEN = "written", "In writing (letter, email or form)"


class Amendment(models.Model):
    """One change to a contact after it was recorded (contacts.amendments): who made it, when, why,
    and each field's value before and after (`changes`: {field: {"from": old, "to": new}}). Never
    edited. Made after the decision (`after_decision`), it is an addendum: it changes nothing on the
    contact, so what the decision was based on stays as it was, and is shown apart from it."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="amendments")
    kind = models.CharField(max_length=30, choices=AmendmentKind)
    # The person added, removed or corrected (none for the contact's own details, consent or
    # information, or for a person added after the decision: an addendum adds nobody to the contact).
    subject = models.ForeignKey(
        ContactSubject, null=True, blank=True, on_delete=models.CASCADE, related_name="amendments"
    )
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField("Why, or where it came from", blank=True)
    information = models.TextField(blank=True)
    consent_answer = models.CharField(max_length=10, choices=ConsentAnswer, blank=True)
    consent_from = models.CharField(max_length=20, choices=ConsentGiver, blank=True)
    consent_from_name = models.CharField(max_length=200, blank=True)
    consent_on = models.DateField(null=True, blank=True)
    consent_how = models.CharField(max_length=10, choices=ConsentMethod, blank=True)
    after_decision = models.BooleanField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    # What was submitted (core.submissions): a stale resubmission of the same by the same person is this one.
    content_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["contact", "at"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AmendmentKind.values), name="amendment_kind_valid"),
            models.CheckConstraint(
                condition=(
                    Q(kind=AmendmentKind.CONSENT_RECORDED)
                    & Q(consent_answer__in=ConsentAnswer.values)
                    & Q(consent_from__in=ConsentGiver.values)
                    & Q(consent_how__in=ConsentMethod.values)
                    & Q(consent_on__isnull=False)
                )
                | (
                    ~Q(kind=AmendmentKind.CONSENT_RECORDED)
                    & Q(consent_answer="", consent_from="", consent_how="", consent_on__isnull=True)
                ),
                name="amendment_consent_who_when_how",
            ),
            models.CheckConstraint(
                condition=~Q(kind=AmendmentKind.INFORMATION_ADDED) | ~Q(information=""),
                name="amendment_information_not_empty",
            ),
            models.CheckConstraint(
                condition=~Q(kind=AmendmentKind.PERSON_REMOVED) | Q(subject__isnull=False),
                name="amendment_removal_names_the_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact}: {self.get_kind_display()}"
