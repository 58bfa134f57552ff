from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from safehub.accounts.models import User
from safehub.accounts.permissions import can_work_on_cases
from safehub.core.models import TimeStampedModel
from safehub.core.working_time import london_date, months_before
from safehub.people.identifiers import is_valid_nhs_number, is_valid_postcode, normalise_postcode


class PersonKind(models.TextChoices):
    CHILD = "child", "Child"
    UNBORN = "unborn", "Unborn child"
    ADULT = "adult", "Adult"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNKNOWN = "unknown", "Not known"


class Ethnicity(models.TextChoices):
    """The 2021 Census ethnic groups for England and Wales (CIN census codes)."""

    WHITE_BRITISH = "WBRI", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "WIRI", "White: Irish"
    WHITE_TRAVELLER = "WIRT", "White: Traveller of Irish heritage"
    WHITE_ROMA = "WROM", "White: Gypsy, Roma"
    WHITE_OTHER = "WOTH", "White: any other White background"
    MIXED_WHITE_CARIBBEAN = "MWBC", "Mixed: White and Black Caribbean"
    MIXED_WHITE_AFRICAN = "MWBA", "Mixed: White and Black African"
    MIXED_WHITE_ASIAN = "MWAS", "Mixed: White and Asian"
    MIXED_OTHER = "MOTH", "Mixed: any other mixed background"
    ASIAN_INDIAN = "AIND", "Asian: Indian"
    ASIAN_PAKISTANI = "APKN", "Asian: Pakistani"
    ASIAN_BANGLADESHI = "ABAN", "Asian: Bangladeshi"
    ASIAN_CHINESE = "CHNE", "Asian: Chinese"
    ASIAN_OTHER = "AOTH", "Asian: any other Asian background"
    BLACK_CARIBBEAN = "BCRB", "Black: Caribbean"
    BLACK_AFRICAN = "BAFR", "Black: African"
    BLACK_OTHER = "BOTH", "Black: any other Black background"
    ARAB = "ARAB", "Other: Arab"
    OTHER = "OOTH", "Other: any other ethnic group"
    REFUSED = "REFU", "Refused"
    NOT_OBTAINED = "NOBT", "Information not yet obtained"


class Address(TimeStampedModel):
    line_1 = models.CharField("Address line 1", max_length=200)
    line_2 = models.CharField("Address line 2", max_length=200, blank=True)
    town = models.CharField("Town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=8, db_index=True)

    class Meta:
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return ", ".join(part for part in (self.line_1, self.line_2, self.town, self.postcode) if part)

    def clean(self) -> None:
        if self.postcode and not is_valid_postcode(self.postcode):
            raise ValidationError({"postcode": "Enter a real postcode, like B1 1AA"})
        self.postcode = normalise_postcode(self.postcode)


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User) -> PersonQuerySet:
        """Children's social care staff see the person index; partners see nobody through it."""
        if can_work_on_cases(user):
            return self.filter(merged_into__isnull=True)
        return self.none()


class Person(TimeStampedModel):
    """Someone in the hub's person index: a child, an unborn child, or an adult."""

    kind = models.CharField(max_length=10, choices=PersonKind)
    given_name = models.CharField(max_length=100, blank=True)
    middle_names = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    other_names = models.CharField(max_length=300, blank=True, help_text="Aliases and previous names.")
    sex = models.CharField(max_length=10, choices=Sex, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_delivery = models.DateField(null=True, blank=True)
    mother = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="unborn")
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    local_id = models.CharField("Local person ID", max_length=40, unique=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity, blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    religion = models.CharField(max_length=100, blank=True)
    needs = models.TextField("Disability or special needs", blank=True)
    communication = models.TextField("How they communicate", blank=True)
    address = models.ForeignKey(Address, null=True, blank=True, on_delete=models.SET_NULL, related_name="residents")
    school = models.CharField("School or nursery", max_length=200, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Warnings the index holds beside the services (people.services.record_warnings): a child
    # missing from home or care now, and a risk to a visiting worker's safety. They show as flags
    # at the top of the person page, with an open child protection plan and a child in care.
    missing_since = models.DateField("Missing since", null=True, blank=True)
    worker_safety_warning = models.TextField("Warning for workers' safety", blank=True)
    version = models.PositiveIntegerField(default=0)  # compare-and-set guard for the warnings

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["family_name", "given_name"]),
            models.Index(fields=["date_of_birth"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PersonKind.values), name="person_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind=PersonKind.UNBORN) | Q(date_of_birth__isnull=True),
                name="unborn_has_no_date_of_birth",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        name = " ".join(p for p in (self.given_name, self.family_name) if p)
        if self.kind == PersonKind.UNBORN and not self.given_name:
            return f"Unborn child of {self.mother}" if self.mother else f"Unborn {self.family_name}".strip()
        return name or "Name not known"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.nhs_number and not is_valid_nhs_number(self.nhs_number):
            errors["nhs_number"] = "Enter a valid 10-digit NHS number"
        if self.kind == PersonKind.UNBORN and self.date_of_birth:
            errors["date_of_birth"] = "An unborn child has no date of birth: give the expected date of delivery"
        if errors:
            raise ValidationError(errors)


class SearchTerm(models.Model):
    """One exact term a person is found by in the People search ('s:odonnell', 'a:12 elm road'):
    people.search_terms says which, and writes them with the person's matching index entry. A
    surname or street search looks its term up in this table's key instead of reading every person."""

    pk = models.CompositePrimaryKey("term", "person")
    term = models.CharField(max_length=120)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        indexes = [models.Index(fields=["person"], name="searchterm_person")]

    def __str__(self) -> str:
        return self.term


class RelationshipKind(models.TextChoices):
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    STEP_PARENT = "step_parent", "Step-parent"
    SIBLING = "sibling", "Sibling"
    HOUSEHOLD_MEMBER = "household_member", "Household member"
    ALLEGED_PERPETRATOR = "alleged_perpetrator", "Alleged perpetrator"
    OTHER_RELATIVE = "other_relative", "Other relative"


# Who counts as a parent when a search names "a parent's first name".
PARENTAL_KINDS = (RelationshipKind.PARENT, RelationshipKind.STEP_PARENT, RelationshipKind.CARER)


class Relationship(TimeStampedModel):
    """`person` is `kind` to `relative`: 'Sam Jones is PARENT to Mia Jones'."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_in")
    kind = models.CharField(max_length=30, choices=RelationshipKind)
    has_parental_responsibility = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "relative", "kind"], name="relationship_unique"),
            models.CheckConstraint(condition=~Q(person=models.F("relative")), name="relationship_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.person} is {self.get_kind_display().lower()} to {self.relative}"


class Service(models.TextChoices):
    CHILD_IN_NEED = "child_in_need", "Children's social care: child in need"
    CHILD_PROTECTION_PLAN = "child_protection_plan", "Children's social care: child protection plan"
    CHILD_IN_CARE = "child_in_care", "Children's social care: child in care"
    CSC_ASSESSMENT = "csc_assessment", "Children's social care: assessment"
    SECTION_47_ENQUIRY = "section_47_enquiry", "Children's social care: strategy discussion and section 47 enquiry"
    CHILDREN_WITH_DISABILITY = "children_with_disability", "Children with disability service"
    EARLY_HELP = "early_help", "Early help"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"


CSC_SERVICES = frozenset(
    {
        Service.CHILD_IN_NEED,
        Service.CHILD_PROTECTION_PLAN,
        Service.CHILD_IN_CARE,
        Service.CSC_ASSESSMENT,
        Service.SECTION_47_ENQUIRY,
        Service.CHILDREN_WITH_DISABILITY,
    }
)
# A child receiving one of these has a worker that a new contact is forwarded to: "the allocated
# social worker, or key worker" (002 §3, which screens the early help system as well).
OPEN_CASE_SERVICES = CSC_SERVICES | {Service.EARLY_HELP}
# 002 §11: 'The "three month" rule – where a family is referred to MASH and has been open to a Social
# Worker in CSC within the last three months, the case will be allocated immediately to the previously
# involved Social Worker': three calendar months, not 91 days.
THREE_MONTHS = 3


class InvolvementQuerySet(models.QuerySet["Involvement"]):
    def childrens_social_care(self) -> InvolvementQuerySet:
        return self.filter(service__in=CSC_SERVICES)

    def with_a_worker_to_forward_to(self) -> InvolvementQuerySet:
        return self.filter(service__in=OPEN_CASE_SERVICES)

    def closed_within_three_months(self, *, at: datetime) -> InvolvementQuerySet:
        """Closed in the three calendar months up to and including today, England's today at `at` (002
        §11: "open to a Social Worker in CSC within the last three months": a case closed this morning
        was open within them)."""
        today = london_date(at)
        return self.filter(
            ended_on__isnull=False, ended_on__lte=today, ended_on__gte=months_before(today, THREE_MONTHS)
        )


class Involvement(TimeStampedModel):
    """A service a person had or has, as held in the hub's case systems."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="involvements")
    service = models.CharField(max_length=30, choices=Service)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    allocated_worker = models.CharField(max_length=200, blank=True)
    worker_email = models.EmailField(blank=True)
    team = models.CharField(max_length=200, blank=True)
    external_ref = models.CharField("Reference in the source system", max_length=60, blank=True)

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="involvement_dates_in_order",
            ),
            models.UniqueConstraint(fields=["person", "service", "started_on"], name="involvement_unique_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} from {self.started_on}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None
