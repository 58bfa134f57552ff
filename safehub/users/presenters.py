"""Users, agencies and teams turned into the rows the pages show."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from safehub.accounts.models import Agency, Membership, Role, User
from safehub.core.presenters import shown_date, shown_day
from safehub.mfa import services as mfa
from safehub.signin.models import AccountLockout


def role_label(value: str) -> str:
    return Role(value).label if value in Role.values else value


@dataclass(frozen=True)
class MembershipRow:
    pk: int
    role: str
    team: str
    agency: str


def membership_rows(memberships: Iterable[Membership]) -> list[MembershipRow]:
    return [MembershipRow(m.pk, role_label(m.role), m.team.name, m.team.agency.name) for m in memberships]


@dataclass(frozen=True)
class UserRow:
    name: str
    username: str
    href: str
    roles: list[str]
    active: bool


def user_rows(users: Iterable[User]) -> list[UserRow]:
    """One row a user; their memberships must be prefetched (queries.users_matching does)."""
    return [
        UserRow(
            name=user.get_full_name() or user.username,
            username=user.username,
            href=reverse("users:user", args=[user.pk]),
            roles=[f"{row.role}, {row.team} ({row.agency})" for row in membership_rows(user.memberships.all())],
            active=user.is_active,
        )
        for user in users
    ]


def user_summary(user: User) -> list[tuple[str, str]]:
    signed_in = shown_date(user.last_login) if user.last_login else "Never"
    return [
        ("Username", user.username),
        ("Name", user.get_full_name()),
        ("Work email address", user.email),
        ("Job title", user.job_title or "Not given"),
        ("Status", "Active" if user.is_active else "Deactivated: cannot sign in"),
        ("Last signed in", signed_in),
    ]


@dataclass(frozen=True)
class SignIn:
    """How a user signs in, for the "Signing in" part of their page: what locks them out, and the
    authenticator app an administrator may unlock or remove (ADR 0023, ADR 0024)."""

    rows: list[tuple[str, str]]
    password_locked: bool
    codes_locked: bool
    has_app: bool


def sign_in(user: User) -> SignIn:
    lockout = AccountLockout.objects.filter(user=user).first()
    locked_at = lockout.locked_at if lockout else None
    device = mfa.authenticator_for(user)
    codes_locked = mfa.is_locked(user)
    if locked_at is not None and lockout is not None:
        lock = f"Locked on {shown_date(locked_at)} after {lockout.failures} wrong passwords in a row"
    else:
        lock = "Not locked"
    if device is None:
        app = "Not set up: they set up an authenticator app the next time they sign in"
    else:
        app = f"Set up on {shown_day(device.created_at)}" if device.created_at else "Set up"
        if codes_locked:
            app += "; locked after too many wrong codes"
    rows = [("Password", lock), ("Authenticator app", app)]
    if device is not None:
        rows.append(("Recovery codes left", str(mfa.recovery_codes_left(user))))
    return SignIn(rows, password_locked=locked_at is not None, codes_locked=codes_locked, has_app=device is not None)


@dataclass(frozen=True)
class AgencyRow:
    name: str
    href: str
    kind: str
    is_host: bool
    teams: int


def agency_rows(agencies: Iterable[Agency], team_counts: dict[int, int]) -> list[AgencyRow]:
    return [
        AgencyRow(
            name=agency.name,
            href=reverse("users:agency", args=[agency.pk]),
            kind=agency.get_kind_display(),
            is_host=agency.is_host,
            teams=team_counts.get(agency.pk, 0),
        )
        for agency in agencies
    ]


@dataclass(frozen=True)
class LockedRow:
    """One lock on the Locked accounts list: a password lock or a locked code step (ADR 0026)."""

    user: User
    what: str
    locked_at: datetime
    wrong_in_a_row: int


def locked_rows() -> list[LockedRow]:
    """Every account locked now, by wrong passwords or by wrong codes, the latest locked first."""
    rows = [
        LockedRow(lock.user, "Password: wrong passwords", lock.locked_at, lock.failures)
        for lock in AccountLockout.objects.filter(locked_at__isnull=False).select_related("user")
        if lock.locked_at is not None
    ] + [
        LockedRow(attempts.user, "Sign-in code: wrong codes", attempts.locked_at, attempts.failures)
        for attempts in mfa.locked_second_steps()
        if attempts.locked_at is not None
    ]
    return sorted(rows, key=lambda row: row.locked_at, reverse=True)
