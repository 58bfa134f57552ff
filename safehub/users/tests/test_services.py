"""Managing users, agencies and teams: each change with its audit entry, each refusal changing nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Agency, AgencyKind, Membership, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, UserFactory
from safehub.audit.models import AuditEvent, Verb
from safehub.core.errors import ConcurrentChange, DomainError, Refused
from safehub.mfa.testing import sign_in_both_steps
from safehub.signin import lockout
from safehub.users import agencies, services
from safehub.users.services import NewUser, UserDetails, account_state

pytestmark = pytest.mark.django_db
SITE = "https://safehub.example/"


def _details(**changes: str) -> UserDetails:
    values = {
        "first_name": "Asha",
        "last_name": "Patel",
        "email": "asha.patel@example.gov.uk",
        "job_title": "Social worker",
    }
    return UserDetails(**(values | changes))


def _new(team: Team, role: Role = Role.SOCIAL_WORKER, username: str = "asha.patel", **changes: str) -> NewUser:
    return NewUser(username=username, details=_details(**changes), team=team, role=role)


def _events(verb: Verb) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb).order_by("seq"))


def test_an_administrator_creates_a_user_with_a_role_and_a_link(
    administrator: User, mash_team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        user = services.create_user(_new(mash_team), by=administrator, site=SITE)

    assert not user.has_usable_password()
    assert list(user.memberships.values_list("team", "role")) == [(mash_team.pk, Role.SOCIAL_WORKER)]
    [created] = _events(Verb.USER_CREATED)
    assert created.by == administrator
    assert created.data["username"] == "asha.patel"
    assert created.data["new"]["email"] == "asha.patel@example.gov.uk"
    [granted] = _events(Verb.ROLE_GRANTED)
    assert (granted.data["team_id"], granted.data["role"]) == (mash_team.pk, "social_worker")
    [sent] = _events(Verb.SET_PASSWORD_LINK_SENT)
    assert sent.data["new_user"] is True
    [email] = mail.outbox
    assert email.to == ["asha.patel@example.gov.uk"]
    assert "https://safehub.example/set-password/" in email.body
    assert "asha.patel" in email.body


def test_the_link_sets_a_password_once(
    administrator: User, mash_team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        user = services.create_user(_new(mash_team), by=administrator, site=SITE)
    link = re.search(r"https://safehub.example(/set-password/\S+)", mail.outbox[0].body)
    assert link is not None
    client = Client()
    form_page = client.get(link.group(1), follow=True)  # Django moves the token out of the address
    assert "Set your password" in form_page.content.decode()
    form_address = form_page.redirect_chain[-1][0]

    weak = client.post(form_address, {"new_password1": "Summer2026!", "new_password2": "Summer2026!"})
    assert "at least 12 characters" in weak.content.decode()
    good = "plum orbit kettle marsh"
    done = client.post(form_address, {"new_password1": good, "new_password2": good})

    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:login")
    user.refresh_from_db()
    assert user.check_password(good)
    [set_event] = _events(Verb.PASSWORD_SET)
    assert set_event.by == user
    again = Client().get(link.group(1), follow=True)
    assert "This link does not work" in again.content.decode()


def test_a_new_password_from_the_link_ends_a_lock_by_wrong_passwords(
    administrator: User, social_worker: User, now: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """An administrator sends a locked user a link to set a new password: once set, they can sign in
    with it (a walk-through found it refused, with nothing said to either of them)."""
    for _ in range(10):
        lockout.record_failure(social_worker.username, client="192.0.2.10", at=now)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_set_password_link(social_worker, state=account_state(social_worker), by=administrator, site=SITE)
    link = re.search(r"https://safehub.example(/set-password/\S+)", mail.outbox[0].body)
    assert link is not None
    client = Client()
    form_address = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    good = "plum orbit kettle marsh"

    client.post(form_address, {"new_password1": good, "new_password2": good})

    assert not lockout.is_locked(social_worker.username)
    [unlocked] = _events(Verb.ACCOUNT_UNLOCKED)
    assert unlocked.system_process == "set-password-link"
    assert "one-time link" in unlocked.data["reason"]
    assert Client().post(reverse("accounts:login"), {"username": social_worker.username, "password": good})[
        "Location"
    ] == reverse("mfa:second-step")


def test_a_deactivated_users_link_does_not_work(
    administrator: User, mash_team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        user = services.create_user(_new(mash_team), by=administrator, site=SITE)
    services.deactivate_user(user, reason="Left the council", state=account_state(user), by=administrator)
    link = re.search(r"https://safehub.example(/set-password/\S+)", mail.outbox[0].body)
    assert link is not None

    assert "This link does not work" in Client().get(link.group(1), follow=True).content.decode()


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("x" * 300, "at most 150 characters"),
        ("asha patel", "letters, numbers"),
        ("", "Enter a username"),
    ],
)
def test_a_bad_username_is_refused(administrator: User, mash_team: Team, username: str, message: str) -> None:
    with pytest.raises(Refused) as refused:
        services.create_user(_new(mash_team, username=username), by=administrator, site=SITE)
    assert message in refused.value.problems[0].message
    assert not User.objects.filter(email="asha.patel@example.gov.uk").exists()
    assert not _events(Verb.USER_CREATED)


def test_a_username_is_taken_whatever_its_case(administrator: User, mash_team: Team) -> None:
    services.create_user(_new(mash_team), by=administrator, site=SITE)
    with pytest.raises(Refused, match="already a user with the username"):
        services.create_user(
            _new(mash_team, username="Asha.Patel", email="another.asha@example.gov.uk"), by=administrator, site=SITE
        )
    with pytest.raises(services.AlreadyAdded):  # the same details again: the same person
        services.create_user(_new(mash_team, username="Asha.Patel"), by=administrator, site=SITE)
    assert User.objects.filter(username__iexact="asha.patel").count() == 1


def test_only_an_administrator_manages_users(manager: User, mash_team: Team) -> None:
    with pytest.raises(PermissionDenied):
        services.create_user(_new(mash_team), by=manager, site=SITE)
    with pytest.raises(PermissionDenied):
        agencies.create_agency(name="Another", kind=AgencyKind.HEALTH, is_host=False, by=manager)


# --- Roles and agencies ------------------------------------------------------------------------


def test_a_police_partner_cannot_be_made_data_protection_officer(
    administrator: User, police_partner: User, mash_team: Team
) -> None:
    """Issue 12: a superuser gave the police partner the data-protection role, unaudited."""
    police_desk = police_partner.memberships.get().team
    for team in (police_desk, mash_team):
        with pytest.raises(DomainError) as refused:
            services.grant_role(
                police_partner,
                team=team,
                role=Role.DATA_PROTECTION_OFFICER,
                state=account_state(police_partner),
                by=administrator,
            )
        assert "partner" in refused.value.message or "one agency" in refused.value.message
    assert list(police_partner.memberships.values_list("role", flat=True)) == [Role.PARTNER_PROFESSIONAL]
    assert not _events(Verb.ROLE_GRANTED)


def test_hub_staff_cannot_be_partner_professionals(administrator: User, social_worker: User, mash_team: Team) -> None:
    with pytest.raises(DomainError, match="partner agency's designated professional"):
        services.grant_role(
            social_worker,
            team=mash_team,
            role=Role.PARTNER_PROFESSIONAL,
            state=account_state(social_worker),
            by=administrator,
        )


def test_a_partner_agency_team_takes_only_partner_professionals(administrator: User) -> None:
    desk = TeamFactory(name="Health desk", agency=PartnerAgencyFactory(name="Example Health", kind=AgencyKind.HEALTH))
    with pytest.raises(Refused, match="is a partner agency"):
        services.create_user(_new(desk, role=Role.TEAM_MANAGER), by=administrator, site=SITE)
    user = services.create_user(_new(desk, role=Role.PARTNER_PROFESSIONAL), by=administrator, site=SITE)
    assert user.memberships.get().role == Role.PARTNER_PROFESSIONAL


def test_a_role_in_another_host_team_is_given_and_audited(administrator: User, social_worker: User) -> None:
    assessment = TeamFactory(name="Assessment team 1")
    services.grant_role(
        social_worker,
        team=assessment,
        role=Role.SENIOR_PRACTITIONER,
        state=account_state(social_worker),
        by=administrator,
    )

    assert social_worker.memberships.filter(team=assessment, role=Role.SENIOR_PRACTITIONER).exists()
    [event] = _events(Verb.ROLE_GRANTED)
    assert event.data["role"] == "senior_practitioner"
    assert len(event.data["new"]) == len(event.data["old"]) + 1


def test_giving_the_same_role_twice_is_refused(administrator: User, social_worker: User, mash_team: Team) -> None:
    with pytest.raises(DomainError, match="already a social worker"):
        services.grant_role(
            social_worker, team=mash_team, role=Role.SOCIAL_WORKER, state=account_state(social_worker), by=administrator
        )


def test_a_role_is_taken_away_and_audited(administrator: User, social_worker: User) -> None:
    membership = social_worker.memberships.get()
    services.remove_role(
        social_worker, membership_id=membership.pk, state=account_state(social_worker), by=administrator
    )

    assert not social_worker.memberships.exists()
    [event] = _events(Verb.ROLE_REMOVED)
    assert (event.data["role"], event.data["new"]) == ("social_worker", [])


def test_the_last_administrator_keeps_their_role(administrator: User) -> None:
    membership = administrator.memberships.get()
    with pytest.raises(DomainError, match="your own administrator role"):
        services.remove_role(
            administrator, membership_id=membership.pk, state=account_state(administrator), by=administrator
        )
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- Deactivating ------------------------------------------------------------------------------


def test_deactivating_needs_a_reason_and_is_audited(administrator: User, social_worker: User) -> None:
    with pytest.raises(DomainError, match="Enter why"):
        services.deactivate_user(social_worker, reason="  ", state=account_state(social_worker), by=administrator)
    services.deactivate_user(
        social_worker, reason="Left the council", state=account_state(social_worker), by=administrator
    )

    assert not User.objects.get(pk=social_worker.pk).is_active
    [event] = _events(Verb.USER_DEACTIVATED)
    assert event.data == {
        "user_id": social_worker.pk,
        "username": social_worker.username,
        "old": {"is_active": True},
        "new": {"is_active": False},
        "reason": "Left the council",
    }
    social_worker.refresh_from_db()
    services.reactivate_user(social_worker, reason="Came back", state=account_state(social_worker), by=administrator)
    assert User.objects.get(pk=social_worker.pk).is_active
    assert _events(Verb.USER_REACTIVATED)[0].data["reason"] == "Came back"


def test_a_deactivated_users_session_ends_at_their_next_request(administrator: User, social_worker: User) -> None:
    client = Client()
    sign_in_both_steps(client, social_worker)
    assert client.get(reverse("queues:home")).status_code == 302
    assert client.get(reverse("queues:queue", args=["threshold"])).status_code == 200

    services.deactivate_user(
        social_worker, reason="Left the council", state=account_state(social_worker), by=administrator
    )

    response = client.get(reverse("queues:queue", args=["threshold"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_administrator_cannot_deactivate_themselves(administrator: User) -> None:
    with pytest.raises(DomainError, match="your own account"):
        services.deactivate_user(administrator, reason="Testing", state=account_state(administrator), by=administrator)


# --- Stale forms ---------------------------------------------------------------------------------


def test_a_change_from_a_stale_page_is_refused(administrator: User, social_worker: User) -> None:
    """Two administrators on the same page: the second's change was made against what is gone."""
    seen = account_state(social_worker)
    services.change_details(social_worker, _details(first_name="Asha"), state=seen, by=administrator)

    with pytest.raises(ConcurrentChange):
        services.change_details(social_worker, _details(first_name="Ruth"), state=seen, by=administrator)
    with pytest.raises(ConcurrentChange):
        services.deactivate_user(social_worker, reason="Left", state=seen, by=administrator)

    social_worker.refresh_from_db()
    assert (social_worker.first_name, social_worker.is_active) == ("Asha", True)
    [event] = _events(Verb.USER_DETAILS_CHANGED)
    assert event.data["new"]["first_name"] == "Asha"
    assert "first_name" in event.data["old"]


# --- Agencies and teams ------------------------------------------------------------------------


def test_agencies_and_teams_are_created_and_renamed_with_audit(administrator: User) -> None:
    agency = agencies.create_agency(
        name="Example Probation", kind=AgencyKind.PROBATION, is_host=False, by=administrator
    )
    team = agencies.create_team(agency, name="MASH desk", by=administrator)
    agencies.rename_agency(agency, name="Example Probation Service", old_name="Example Probation", by=administrator)
    agencies.rename_team(team, name="Public protection desk", old_name="MASH desk", by=administrator)

    agency.refresh_from_db()
    team.refresh_from_db()
    assert (agency.name, team.name) == ("Example Probation Service", "Public protection desk")
    assert _events(Verb.AGENCY_CREATED)[0].data["new"] == {
        "name": "Example Probation",
        "kind": "probation",
        "is_host": False,
    }
    assert _events(Verb.TEAM_CREATED)[0].data["new"] == {"name": "MASH desk"}
    assert _events(Verb.AGENCY_RENAMED)[0].data["old"] == {"name": "Example Probation"}
    assert _events(Verb.TEAM_RENAMED)[0].data["new"] == {"name": "Public protection desk"}


def test_there_is_exactly_one_host_agency(administrator: User) -> None:
    with pytest.raises(DomainError, match="already has its host"):
        agencies.create_agency(
            name="Second council", kind=AgencyKind.CHILDRENS_SOCIAL_CARE, is_host=True, by=administrator
        )
    assert Agency.objects.filter(is_host=True).count() == 1


def test_duplicate_names_are_refused(administrator: User, mash_team: Team) -> None:
    with pytest.raises(DomainError, match="already an agency called"):
        agencies.create_agency(
            name=mash_team.agency.name.upper(), kind=AgencyKind.HEALTH, is_host=False, by=administrator
        )
    with pytest.raises(DomainError, match="already has a team called"):
        agencies.create_team(mash_team.agency, name="mash", by=administrator)


def test_a_rename_from_a_stale_page_changes_nothing(administrator: User, mash_team: Team) -> None:
    agencies.rename_team(mash_team, name="Front door", old_name="MASH", by=administrator)
    with pytest.raises(ConcurrentChange):
        agencies.rename_team(mash_team, name="MASH team", old_name="MASH", by=administrator)
    mash_team.refresh_from_db()
    assert mash_team.name == "Front door"
    assert len(_events(Verb.TEAM_RENAMED)) == 1


def test_a_link_that_cannot_be_sent_undoes_the_new_user(
    administrator: User, mash_team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("safehub.users.passwords.send_mail", refuse)
    with pytest.raises(DomainError, match="could not be sent, so nothing was saved"):
        services.create_user(_new(mash_team), by=administrator, site=SITE)

    assert not User.objects.filter(username="asha.patel").exists()
    assert not _events(Verb.USER_CREATED)


def test_a_username_taken_between_the_check_and_the_insert_gets_a_message(
    administrator: User, social_worker: User, mash_team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two administrators adding the same person at the same moment: both pass the check, the
    database's unique username refuses the second insert, and that is a message, not a 500."""
    monkeypatch.setattr(services, "_username_problem", lambda username: None)
    with pytest.raises(DomainError, match="already a user with the username"):
        services.create_user(_new(mash_team, username=social_worker.username), by=administrator, site=SITE)
    assert User.objects.filter(username=social_worker.username).count() == 1
    assert not _events(Verb.USER_CREATED)


def test_two_accounts_never_share_an_email_address(
    administrator: User, mash_team: Team, social_worker: User, manager: User
) -> None:
    """The link to set a password goes to the address: it must reach the account's own person."""
    social_worker.email = "asha.patel@example.gov.uk"
    social_worker.save()

    with pytest.raises(Refused) as refused:
        services.create_user(_new(mash_team, email="Asha.Patel@example.gov.uk"), by=administrator, site=SITE)

    assert [(p.field, p.message) for p in refused.value.problems] == [
        (
            "email",
            "The account social.worker already has this email address: each person has one account"
            " (reactivate theirs if they have come back)",
        )
    ]
    assert not User.objects.filter(username="asha.patel").exists()
    with pytest.raises(Refused):
        services.change_details(
            manager, _details(email="asha.patel@example.gov.uk"), state=account_state(manager), by=administrator
        )
    # Their own address is theirs to keep while other details change.
    services.change_details(
        social_worker,
        _details(email="asha.patel@example.gov.uk", first_name="Asha"),
        state=account_state(social_worker),
        by=administrator,
    )


def test_two_administrators_giving_one_address_to_two_accounts_at_once_one_is_told(
    administrator: User, mash_team: Team, manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both checked the address before either saved: the database's rule refuses the second, with
    the same words as the check (ADR 0026), and nothing of theirs is written."""
    real_username_problem, real_current = services._username_problem, services._current

    def someone_else_adds_them_first(username: str) -> Any:
        UserFactory(username="a.patel", email="ASHA.PATEL@example.gov.uk")
        return real_username_problem(username)

    monkeypatch.setattr(services, "_username_problem", someone_else_adds_them_first)
    with pytest.raises(Refused) as refused:
        services.create_user(_new(mash_team, email="asha.patel@example.gov.uk"), by=administrator, site=SITE)

    assert [(p.field, p.message) for p in refused.value.problems] == [
        (
            "email",
            "The account a.patel already has this email address: each person has one account"
            " (reactivate theirs if they have come back)",
        )
    ]
    assert not User.objects.filter(username="asha.patel").exists()
    assert not _events(Verb.USER_CREATED)

    def someone_else_takes_the_address_first(user: User, state: str) -> User:
        UserFactory(username="m.other", email="new.address@example.gov.uk")
        return real_current(user, state)

    monkeypatch.setattr(services, "_current", someone_else_takes_the_address_first)
    with pytest.raises(Refused, match=r"The account m\.other already has this email address"):
        services.change_details(
            manager, _details(email="New.Address@example.gov.uk"), state=account_state(manager), by=administrator
        )
    manager.refresh_from_db()
    assert manager.email != "New.Address@example.gov.uk"
    assert not _events(Verb.USER_DETAILS_CHANGED)


@pytest.mark.parametrize("name", ["99999999999999999999", "---", "  1 2 3 "])
def test_a_team_or_agency_is_named_in_words(administrator: User, mash_team: Team, name: str) -> None:
    with pytest.raises(DomainError, match="name in words"):
        agencies.create_team(mash_team.agency, name=name, by=administrator)
    with pytest.raises(DomainError, match="name in words"):
        agencies.create_agency(name=name, kind=AgencyKind.HEALTH, is_host=False, by=administrator)
    assert not Team.objects.filter(name=name.strip()).exists()
