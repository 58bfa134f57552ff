from __future__ import annotations

from typing import Any

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from safehub.accounts.models import Agency, AgencyKind, Membership, Role, Team, User


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = "Example Children's Services"
    kind = AgencyKind.CHILDRENS_SOCIAL_CARE
    is_host = True


class PartnerAgencyFactory(AgencyFactory):
    name = "Example Police"
    kind = AgencyKind.POLICE
    is_host = False


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("agency", "name")

    name = "MASH"
    agency = factory.SubFactory(AgencyFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation  # type: ignore[untyped-decorator]
    def authenticator(self: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Every user has set up an authenticator app, unless made with `authenticator=False`
        (a user who has not signed in yet, or whose app an administrator removed)."""
        if create and extracted is not False and not TOTPDevice.objects.filter(user=self).exists():
            TOTPDevice.objects.create(user=self, name="Authenticator app", confirmed=True)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.SOCIAL_WORKER


def user_with_role(role: Role, *, team: Team | None = None, **kwargs: Any) -> User:
    """A user holding `role` in `team` (the MASH team of the host agency by default)."""
    user: User = UserFactory(**kwargs)
    MembershipFactory(user=user, team=team or TeamFactory(), role=role)
    return user


def person_holding(*roles: Role, pk: int = 1) -> User:
    """An unsaved user who holds `roles`: for predicate tests that need no database."""
    user = User(pk=pk, username=f"user{pk}", is_active=True)
    user._memberships_cache = (frozenset(roles), frozenset())
    return user
