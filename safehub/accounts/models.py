from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class AgencyKind(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    GP_PRACTICE = "gp_practice", "GP practice"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse service"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse service"
    EARLY_YEARS = "early_years", "Early years"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    EARLY_HELP = "early_help", "Early help"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    OTHER = "other", "Other agency"


class Agency(models.Model):
    """An organisation in the hub: the local authority's children's social care or a partner."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=AgencyKind)
    is_host = models.BooleanField(default=False, help_text="The local authority that runs the hub.")
    # The agency's shared safeguarding inbox: invitations reach it even when nobody there uses Safehub.
    email = models.EmailField("Shared email address", blank=True)
    # The address the agency agreed for information that names people (003 §2.6: a GP surgery's
    # "agreed email address", such as an nhs.net one): requests for information are emailed here.
    secure_email = models.EmailField("Agreed secure email address", blank=True)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_host"], condition=Q(is_host=True), name="one_host_agency"),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique_in_agency")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CONTACT_OFFICER = "contact_officer", "Contact officer"
    SOCIAL_WORKER = "social_worker", "Social worker"
    SENIOR_PRACTITIONER = "senior_practitioner", "Senior practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    PARTNER_PROFESSIONAL = "partner_professional", "Partner professional"
    STRATEGY_COORDINATOR = "strategy_coordinator", "Strategy coordinator"
    PERFORMANCE_LEAD = "performance_lead", "Performance lead"
    DATA_PROTECTION_OFFICER = "data_protection_officer", "Data protection officer"
    ADMINISTRATOR = "administrator", "Administrator"


# Roles that work on the hub's own case records (children's social care staff).
CASE_ROLES = frozenset(
    {
        Role.CONTACT_OFFICER,
        Role.SOCIAL_WORKER,
        Role.SENIOR_PRACTITIONER,
        Role.TEAM_MANAGER,
        Role.STRATEGY_COORDINATOR,
    }
)
# Roles qualified to make and recommend threshold decisions (002 appendix: SW, SSW, manager).
QUALIFIED_ROLES = frozenset({Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER})
# Roles that manage the hub's work: allocate, start MASH checks, restrict records (004 §5, §7).
APPROVER_ROLES = frozenset({Role.TEAM_MANAGER})
# Roles a local protocol may let approve a threshold recommendation: a manager (004 §5, §7) and, in
# Bexley, the senior practitioner (002 roles table). Which of them do is the protocol's setting.
APPROVAL_CANDIDATE_ROLES = frozenset({Role.TEAM_MANAGER, Role.SENIOR_PRACTITIONER})
# Roles that record contacts and work them through screening and the outcome (the front door).
FRONT_DOOR_ROLES = frozenset({Role.CONTACT_OFFICER, *QUALIFIED_ROLES})


class User(AbstractUser):
    job_title = models.CharField(max_length=200, blank=True)

    # The id of the user's confirmed authenticator app, when read by accounts.backends with the
    # signed-in user (None otherwise): a session has passed the second step with it (safehub.mfa).
    authenticator_id: int | None = None

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            # One person, one account (ADR 0026): a link to set a password goes to this address. The
            # users service says so first; this ends a race between two administrators with one winner.
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def cache_memberships(self, rows: Iterable[tuple[str, int]]) -> tuple[frozenset[str], frozenset[int]]:
        """Keep the user's (role, team) memberships on this user object (a request's user, read
        with them by accounts.backends)."""
        pairs = list(rows)
        self._memberships_cache = (frozenset(role for role, _ in pairs), frozenset(team for _, team in pairs))
        return self._memberships_cache

    def _memberships(self) -> tuple[frozenset[str], frozenset[int]]:
        """The user's roles and teams, read once for this user object."""
        cached: tuple[frozenset[str], frozenset[int]] | None = getattr(self, "_memberships_cache", None)
        return cached if cached is not None else self.cache_memberships(self.memberships.values_list("role", "team_id"))

    def roles(self) -> frozenset[str]:
        return self._memberships()[0]

    def team_ids(self) -> frozenset[int]:
        """The teams the user is a member of, in any role."""
        return self._memberships()[1]

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles() & set(roles))

    def agencies(self) -> models.QuerySet[Agency]:
        return Agency.objects.filter(teams__memberships__user=self).distinct()


class Membership(models.Model):
    """A user's role in a team. A partner professional's team belongs to their agency."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=40, choices=Role)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team", "role"], name="membership_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.team}"


def case_staff(*, team: Team) -> models.QuerySet[User]:
    """Active children's social care staff of `team`: the people a contact can be restricted to."""
    return User.objects.filter(is_active=True, memberships__team=team, memberships__role__in=CASE_ROLES).distinct()


def front_door_staff(*, team_ids: Iterable[int]) -> models.QuerySet[User]:
    """Active contact officers, social workers, senior practitioners and managers of these teams:
    who a contact can be allocated to, and the workers a manager filters a queue by."""
    return (
        User.objects.filter(
            is_active=True, memberships__team_id__in=list(team_ids), memberships__role__in=FRONT_DOOR_ROLES
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def qualified_staff(*, team: Team | None = None) -> models.QuerySet[User]:
    """Active social workers, senior practitioners and managers (of `team`, when given): the people
    who may coordinate MASH checks or be allocated a child."""
    staff = User.objects.filter(is_active=True, memberships__role__in=QUALIFIED_ROLES)
    if team is not None:
        staff = staff.filter(memberships__team=team)
    return staff.distinct()
