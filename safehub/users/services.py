"""Managing the hub's users, agencies and teams. Every change is audited with its old and new values,
in the same transaction (STYLE §4.6); every refusal is a `DomainError` the page shows as it is."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F

from safehub.accounts.models import Agency, AgencyKind, Membership, Role, Team, User
from safehub.accounts.permissions import can_administer
from safehub.audit.models import AuditEvent, Verb
from safehub.audit.services import record
from safehub.core.errors import ConcurrentChange, DomainError, Problem, Refused
from safehub.signin import lockout
from safehub.users import passwords
from safehub.users.permissions import can_manage_users
from safehub.users.roles import role_problem

logger = logging.getLogger(__name__)

USERNAME_LENGTH = 150  # User.username
NAME_LENGTH = 150  # User.first_name, User.last_name
EMAIL_LENGTH = 254  # User.email
JOB_TITLE_LENGTH = 200  # User.job_title
REASON_LENGTH = 200  # what a deactivation's or reactivation's reason may be
AGENCY_NAME_LENGTH = 200  # Agency.name, Team.name


def require_manager(by: User) -> None:
    if not can_manage_users(by):
        raise PermissionDenied


# --- A user's state, for compare-and-set -------------------------------------------------------


def account_state(user: User) -> str:
    """A fingerprint of everything the user's page lets an administrator change: every form on
    the page carries the one it was drawn from, and a change is refused when the user's account
    no longer matches it (another administrator, another tab, a form sent twice)."""
    memberships = sorted(Membership.objects.filter(user_id=user.pk).values_list("team_id", "role"))
    state = [user.username, user.first_name, user.last_name, user.email, user.job_title, user.is_active, memberships]
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()[:32]


def _current(user: User, state: str) -> User:
    """The user as they are now, holding the lock on their row until the transaction ends, or
    `ConcurrentChange` if they are not as the form saw them. The UPDATE takes the row's lock on
    PostgreSQL (SQLite's immediate transactions already take the whole database's), so two changes
    to one user queue here and the second sees what the first did."""
    User.objects.filter(pk=user.pk).update(is_active=F("is_active"))
    fresh = User.objects.get(pk=user.pk)
    if account_state(fresh) != state:
        raise ConcurrentChange("account")
    return fresh


def _membership_data(membership: Membership) -> dict[str, object]:
    team = membership.team
    return {
        "team_id": team.pk,
        "team": team.name,
        "agency_id": team.agency_id,
        "agency": team.agency.name,
        "role": membership.role,
    }


# --- Users ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserDetails:
    first_name: str
    last_name: str
    email: str
    job_title: str

    def as_data(self) -> dict[str, str]:
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "job_title": self.job_title,
        }


def _details_problems(details: UserDetails, *, user: User | None = None) -> list[Problem]:
    """What is wrong with a user's details; `user` is the account they are for, when it exists."""
    problems = []
    if not details.first_name.strip() or len(details.first_name) > NAME_LENGTH:
        problems.append(Problem(f"Enter their first name, in at most {NAME_LENGTH} characters", field="first_name"))
    if not details.last_name.strip() or len(details.last_name) > NAME_LENGTH:
        problems.append(Problem(f"Enter their last name, in at most {NAME_LENGTH} characters", field="last_name"))
    try:
        if len(details.email) > EMAIL_LENGTH:
            raise ValidationError("too long")
        validate_email(details.email)
    except ValidationError:
        problems.append(
            Problem("Enter their work email address, like name@example.gov.uk, to send them a link", field="email")
        )
    else:
        taken = _email_taken(details.email, user=user)
        if taken is not None:
            problems.append(taken)
    if len(details.job_title) > JOB_TITLE_LENGTH:
        problems.append(Problem(f"Enter a job title of at most {JOB_TITLE_LENGTH} characters", field="job_title"))
    return problems


def _email_taken(email: str, *, user: User | None) -> Problem | None:
    """One person, one account: a link to set a password goes to this address, and must reach its
    owner (the database holds the same rule, for two administrators at one moment)."""
    others = User.objects.filter(email__iexact=email)
    other = (others.exclude(pk=user.pk) if user is not None else others).first()
    if other is None:
        return None
    return Problem(
        f"The account {other.username} already has this email address: each person has one account"
        " (reactivate theirs if they have come back)",
        field="email",
    )


def _username_problem(username: str) -> Problem | None:
    if not username:
        return Problem("Enter a username", field="username")
    if len(username) > USERNAME_LENGTH:
        return Problem(f"Enter a username of at most {USERNAME_LENGTH} characters", field="username")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        return Problem("A username can only have letters, numbers and the characters @ . + - _", field="username")
    if User.objects.filter(username__iexact=username).exists():
        return Problem(f"There is already a user with the username {username}", field="username")
    return None


def new_user_problems(
    *, username: str | None, email: str | None, team: Team | None, role: Role | None
) -> list[Problem]:
    """What `create_user` would also refuse in the parts of a new user's form that are filled in well
    (None for a part that is not): so that a form with other mistakes says everything in one round."""
    problems = []
    refused_username = _username_problem(username.strip()) if username is not None else None
    if refused_username is not None:
        problems.append(refused_username)
    taken = _email_taken(email, user=None) if email is not None else None
    if taken is not None:
        problems.append(taken)
    role_refusal = role_problem(role, team, held=[]) if team is not None and role is not None else None
    if role_refusal is not None:
        problems.append(Problem(role_refusal, field="role"))
    return problems


@dataclass(frozen=True)
class NewUser:
    username: str
    details: UserDetails
    team: Team
    role: Role


class AlreadyAdded(DomainError):  # noqa: N818 (a statement of fact, not a failure)
    """The same form sent again (Back and resubmit, a second press): the user it added."""

    def __init__(self, user: User) -> None:
        super().__init__(f"You already added {user}: this is their account")
        self.user = user


def earlier_addition(new: NewUser, *, by: User) -> User | None:
    """The user this administrator already added with these very details, if any."""
    user = User.objects.filter(
        username__iexact=new.username.strip(),
        first_name=new.details.first_name,
        last_name=new.details.last_name,
        email=new.details.email,
        memberships__team=new.team,
        memberships__role=new.role,
    ).first()
    if user is None:
        return None
    added_by_them = AuditEvent.objects.filter(verb=Verb.USER_CREATED, by=by, data__user_id=user.pk).exists()
    return user if added_by_them else None


@transaction.atomic
def create_user(new: NewUser, *, by: User, site: str) -> User:
    """A user with their first role in a team and no password: they are sent a one-time link to
    set one (ADR 0026). `site` is the address the link starts with (https://safehub.example).
    The same details sent again by the same administrator raise `AlreadyAdded`, with the user."""
    require_manager(by)
    earlier = earlier_addition(new, by=by)
    if earlier is not None:
        raise AlreadyAdded(earlier)
    username = new.username.strip()
    problems = _details_problems(new.details)
    refused_username = _username_problem(username)
    if refused_username is not None:
        problems.insert(0, refused_username)
    role_refusal = role_problem(new.role, new.team, held=[])
    if role_refusal is not None:
        problems.append(Problem(role_refusal, field="role"))
    if problems:
        raise Refused(problems)
    try:
        with transaction.atomic():  # a savepoint: the same username made a moment ago by someone else
            user = User(username=username, **new.details.as_data())
            user.set_unusable_password()
            user.save()
    except IntegrityError:  # someone else added the same username, or the same person, a moment ago
        taken = _email_taken(new.details.email, user=None)
        if taken is not None:
            raise Refused([taken]) from None
        raise DomainError(f"There is already a user with the username {username}", field="username") from None
    membership = Membership.objects.create(user=user, team=new.team, role=new.role)
    record(
        Verb.USER_CREATED,
        by=by,
        data={"user_id": user.pk, "username": username, "new": new.details.as_data() | {"is_active": True}},
    )
    record(Verb.ROLE_GRANTED, by=by, data={"user_id": user.pk, "username": username, **_membership_data(membership)})
    _send_link(user, by=by, site=site, first=True)
    return user


@transaction.atomic
def change_details(user: User, details: UserDetails, *, state: str, by: User) -> None:
    require_manager(by)
    problems = _details_problems(details, user=user)
    if problems:
        raise Refused(problems)
    user = _current(user, state)
    old = UserDetails(user.first_name, user.last_name, user.email, user.job_title).as_data()
    new = details.as_data()
    if old == new:
        return
    try:
        with transaction.atomic():  # a savepoint: another account given this address a moment ago
            User.objects.filter(pk=user.pk).update(**new)
    except IntegrityError:
        taken = _email_taken(details.email, user=user)
        if taken is None:
            raise
        raise Refused([taken]) from None
    changed = [name for name in new if old[name] != new[name]]
    record(
        Verb.USER_DETAILS_CHANGED,
        by=by,
        data={
            "user_id": user.pk,
            "username": user.username,
            "old": {name: old[name] for name in changed},
            "new": {name: new[name] for name in changed},
        },
    )


@transaction.atomic
def grant_role(user: User, *, team: Team, role: Role, state: str, by: User) -> Membership:
    require_manager(by)
    user = _current(user, state)
    held = list(Membership.objects.filter(user=user).select_related("team__agency"))
    if any(m.team_id == team.pk and m.role == role for m in held):
        raise DomainError(f"{user} is already a {role.label.lower()} in {team.name}", field="role")
    problem = role_problem(role, team, held=held, user=user)
    if problem is not None:
        raise DomainError(problem, field="role")
    membership = Membership.objects.create(user=user, team=team, role=role)
    record(
        Verb.ROLE_GRANTED,
        by=by,
        data={
            "user_id": user.pk,
            "username": user.username,
            **_membership_data(membership),
            "old": [_role_text(m) for m in held],
            "new": [_role_text(m) for m in [*held, membership]],
        },
    )
    return membership


def _role_text(membership: Membership) -> str:
    return f"{membership.role} in team {membership.team_id}"


def _active_administrators() -> int:
    return User.objects.filter(is_active=True, memberships__role=Role.ADMINISTRATOR).distinct().count()


@transaction.atomic
def remove_role(user: User, *, membership_id: int, state: str, by: User) -> None:
    require_manager(by)
    user = _current(user, state)
    held = list(Membership.objects.filter(user=user).select_related("team__agency"))
    membership = next((m for m in held if m.pk == membership_id), None)
    if membership is None:
        raise DomainError(f"{user} does not have that role any more")
    if membership.role == Role.ADMINISTRATOR:
        others = [m for m in held if m.role == Role.ADMINISTRATOR and m.pk != membership.pk]
        if user.pk == by.pk and not others:
            raise DomainError("You cannot take away your own administrator role: ask another administrator")
        if not others and user.is_active and _active_administrators() <= 1:
            raise DomainError("Safehub needs at least one active administrator: make someone else one first")
    membership.delete()
    record(
        Verb.ROLE_REMOVED,
        by=by,
        data={
            "user_id": user.pk,
            "username": user.username,
            **_membership_data(membership),
            "old": [_role_text(m) for m in held],
            "new": [_role_text(m) for m in held if m.pk != membership.pk],
        },
    )


def _reason(reason: str, *, doing: str) -> str:
    text = reason.strip()
    if not text:
        raise DomainError(f"Enter why you are {doing} this user", field="reason")
    if len(text) > REASON_LENGTH:
        raise DomainError(f"Enter a reason of at most {REASON_LENGTH} characters", field="reason")
    return text


@transaction.atomic
def deactivate_user(user: User, *, reason: str, state: str, by: User) -> None:
    """The user can no longer sign in, and any session they have ends at their next request (the
    sign-in backend refuses inactive users). Their records and audit entries stay as they are."""
    require_manager(by)
    why = _reason(reason, doing="deactivating")
    user = _current(user, state)
    if user.pk == by.pk:
        raise DomainError("You cannot deactivate your own account: ask another administrator")
    if not user.is_active:
        raise DomainError(f"{user} is already deactivated")
    if can_administer(user) and _active_administrators() <= 1:
        raise DomainError("Safehub needs at least one active administrator: make someone else one first")
    _switch(user, active=False, why=why, by=by)


@transaction.atomic
def reactivate_user(user: User, *, reason: str, state: str, by: User) -> None:
    require_manager(by)
    why = _reason(reason, doing="reactivating")
    user = _current(user, state)
    if user.is_active:
        raise DomainError(f"{user} is already active")
    _switch(user, active=True, why=why, by=by)


def _switch(user: User, *, active: bool, why: str, by: User) -> None:
    """Switch the account on or off, audited with the old and new value and the reason."""
    User.objects.filter(pk=user.pk).update(is_active=active)
    record(
        Verb.USER_REACTIVATED if active else Verb.USER_DEACTIVATED,
        by=by,
        data={
            "user_id": user.pk,
            "username": user.username,
            "old": {"is_active": not active},
            "new": {"is_active": active},
            "reason": why,
        },
    )


@transaction.atomic
def send_set_password_link(user: User, *, state: str, by: User, site: str) -> None:
    """A new one-time link, for a user whose link ran out or who forgot their password. Any
    earlier link stops working once a password is set with either."""
    require_manager(by)
    user = _current(user, state)
    if not user.is_active:
        raise DomainError(f"{user} is deactivated: reactivate them before sending a link")
    _send_link(user, by=by, site=site, first=False)


def _send_link(user: User, *, by: User, site: str, first: bool) -> None:
    record(
        Verb.SET_PASSWORD_LINK_SENT,
        by=by,
        data={"user_id": user.pk, "username": user.username, "email": user.email, "new_user": first},
    )
    # Sent before the transaction ends, so that an email that cannot go undoes the change with a
    # message, rather than leaving a user the audit trail says was sent a link they never got.
    try:
        passwords.send_link(user, link=passwords.link_for(user, site=site), first=first)
    except Exception:
        logger.exception("The set-password email to user %s could not be sent", user.pk)
        raise DomainError(
            "The email with the link could not be sent, so nothing was saved. Try again in a few minutes;"
            " if it happens again, the email settings need checking"
        ) from None


@transaction.atomic
def record_password_set(user: User) -> None:
    """Called by the set-password page once the new password is saved. A new password from the
    link an administrator sent ends a lock by wrong passwords: the link reached the account's own
    person, and the old password is gone (a locked code step stays: that is about the app)."""
    record(Verb.PASSWORD_SET, by=user, data={"user_id": user.pk, "username": user.username})
    if lockout.is_locked(user.username):
        lockout.unlock_account(
            user, reason="They set a new password with a one-time link", system_process="set-password-link"
        )


def name_problem(name: str, *, what: str) -> str | None:
    if not name.strip():
        return f"Enter the {what}'s name"
    if len(name) > AGENCY_NAME_LENGTH:
        return f"Enter a name of at most {AGENCY_NAME_LENGTH} characters"
    if not any(character.isalpha() for character in name):
        # Chosen from lists by name all day: "99999999999999999999" or "---" would be nobody's team.
        return f"Enter the {what}'s name in words, like Front door"
    return None


# --- The first administrator ---------------------------------------------------------------------

FIRST_ADMINISTRATOR = "create-administrator command"


@dataclass(frozen=True)
class FirstAdministrator:
    username: str
    details: UserDetails
    password: str
    agency: str  # the host agency's name: found, or created as the hub's host
    team: str  # a team of the host agency: found, or created


@transaction.atomic
def create_first_administrator(new: FirstAdministrator) -> User:
    """The one way in while the hub has no active administrator (a new installation, the Django
    admin off): from the command line, audited as that command. Once there is an administrator,
    they manage users on Safehub's pages, and this refuses."""
    if _active_administrators() > 0:
        raise DomainError("Safehub already has an active administrator: they add users on the Users page")
    username = new.username.strip()
    problems = _details_problems(new.details)
    refused_username = _username_problem(username)
    if refused_username is not None:
        problems.insert(0, refused_username)
    for name, what in ((new.agency, "agency"), (new.team, "team")):
        problem = name_problem(name.strip(), what=what)
        if problem is not None:
            problems.append(Problem(problem, field=what))
    try:
        validate_password(new.password, User(username=username, **new.details.as_data()))
    except ValidationError as error:
        problems.extend(Problem(message, field="password") for message in error.messages)
    if problems:
        raise Refused(problems)
    host = Agency.objects.filter(is_host=True).first()
    if host is None:
        host = Agency.objects.create(name=new.agency.strip(), kind=AgencyKind.CHILDRENS_SOCIAL_CARE, is_host=True)
        record(
            Verb.AGENCY_CREATED,
            system_process=FIRST_ADMINISTRATOR,
            data={"agency_id": host.pk, "new": {"name": host.name, "kind": host.kind, "is_host": True}},
        )
    elif host.name != new.agency.strip():
        raise DomainError(f"The hub's host agency is {host.name}: name it to add its administrator", field="agency")
    team, made = Team.objects.get_or_create(agency=host, name=new.team.strip())
    if made:
        record(
            Verb.TEAM_CREATED,
            system_process=FIRST_ADMINISTRATOR,
            data={"team_id": team.pk, "agency_id": host.pk, "agency": host.name, "new": {"name": team.name}},
        )
    user = User(username=username, **new.details.as_data())
    user.set_password(new.password)
    user.save()
    membership = Membership.objects.create(user=user, team=team, role=Role.ADMINISTRATOR)
    record(
        Verb.USER_CREATED,
        system_process=FIRST_ADMINISTRATOR,
        data={"user_id": user.pk, "username": username, "new": new.details.as_data() | {"is_active": True}},
    )
    record(
        Verb.ROLE_GRANTED,
        system_process=FIRST_ADMINISTRATOR,
        data={"user_id": user.pk, "username": username, **_membership_data(membership)},
    )
    return user
