"""Fuzz targets for the searches, the second step of signing in, set-password links, locked accounts
and the administrator's pages for users, agencies and teams."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpResponse
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from safehub.accounts.models import AgencyKind, Membership, Role
from safehub.accounts.tests.factories import PartnerAgencyFactory, user_with_role
from safehub.mfa import services as mfa
from safehub.mfa.codes import next_usable_code
from safehub.mfa.models import CodeAttempts
from safehub.mfa.sessions import FRESH_CODES_KEY
from safehub.mfa.testing import current_code
from safehub.signin.models import AccountLockout
from safehub.users import services as users
from tests.fuzz.harness import Target, Variant, World, bare, redirected, url
from tests.fuzz.targets_records import PASSWORD

CO, SW, ADMIN = Role.CONTACT_OFFICER, Role.SOCIAL_WORKER, Role.ADMINISTRATOR
AT = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)


class ResultsClient(Client):
    """A search posts what was typed and redirects to its results: the results page, drawn from what
    was kept, is fetched in the same example, so that no input gives a server error there either."""

    def post(self, path: Any, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        response = super().post(path, data, *args, **kwargs)
        if response.status_code == 302:
            results = self.get(response["Location"])
            assert results.status_code == 200, f"the results page answered {results.status_code}"
        return response


def _searched(response: HttpResponse) -> bool:
    return response.status_code == 302 and "?search=" in response.get("Location", "")


def _results_client(world: World, role: Role) -> Client:
    client = ResultsClient()
    client.cookies = world.client(role).cookies
    return client


def _find_contact(world: World) -> list[Variant]:
    client = _results_client(world, CO)
    address = url("contacts:find-contact")
    return [
        Variant.from_page(client, address, fill={"q": "Harlow"}),
        Variant.from_page(client, address, fill={"q": "DA6 7AT"}),
    ]


def _search_people(world: World) -> list[Variant]:
    client = _results_client(world, SW)
    address = url("people:search")
    return [
        Variant.from_page(client, address, fill={"family_name": "Harlow"}),
        Variant.from_page(client, address, fill={"given_name": "Mia", "family_name": "Harlow"}),
    ]


# --- The second step of signing in ----------------------------------------------------------------


def _password_only(world: World, username: str) -> Callable[[], Client]:
    """A session past the password alone, and a client on it for each example: passing the second
    step gives the session a new key, which the example's rollback takes away again."""
    client = Client()
    response = client.post(url("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return _on_session(client.cookies[settings.SESSION_COOKIE_NAME].value)


def _on_session(key: str) -> Callable[[], Client]:
    def fresh() -> Client:
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = key
        return client

    return fresh


def _past_the_step(response: HttpResponse) -> bool:
    return redirected(response) and "/sign-in/" not in response.get("Location", "")


def _second_step(world: World) -> list[Variant]:
    user = world.user(SW)
    fresh = _password_only(world, user.username)
    address = url("mfa:second-step")
    return [Variant.from_page(fresh(), address, fill={"code": current_code(user)}, fresh_client=fresh)]


def _recovery_code(world: World) -> list[Variant]:
    user = world.user(SW)
    [code, *_] = mfa.regenerate_recovery_codes(user, at=AT)
    fresh = _password_only(world, user.username)
    address = url("mfa:recovery-code")
    return [Variant.from_page(fresh(), address, fill={"code": code}, fresh_client=fresh)]


def _set_up(world: World) -> list[Variant]:
    user = user_with_role(SW, team=world.team, username="new.starter", authenticator=False)
    fresh = _password_only(world, user.username)
    address = url("mfa:set-up")
    page = fresh()
    device = mfa.start_set_up(user)  # the app to set up, made once: each example confirms it
    code = next_usable_code(device, at=time.time())
    return [Variant.from_page(page, address, fill={"code": code}, fresh_client=fresh)]


def _went_to_recovery_codes(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"] == url("mfa:recovery-codes")


def _recovery_codes(world: World) -> list[Variant]:
    client = world.client(SW)
    session = client.session
    session[FRESH_CODES_KEY] = ["abcde-fghij", "klmno-pqrst"]
    session.save()
    fresh = _on_session(session.session_key or "")
    address = url("mfa:recovery-codes")
    return [Variant.from_page(fresh(), address, fill={"saved": "on"}, fresh_client=fresh)]


def _codes_saved(response: HttpResponse) -> bool:
    """Saved: on to where the user was going (without the codes in the session, to their account page)."""
    return redirected(response) and response["Location"] != url("mfa:account")


def _new_recovery_codes(world: World) -> list[Variant]:
    return [bare(world.client(SW), url("mfa:new-recovery-codes"))]


def _account(world: World) -> list[Variant]:
    return [bare(world.client(SW), url("mfa:account"))]


def _account_shown(response: HttpResponse) -> bool:
    return response.status_code == 200 and b"Your account" in response.content


# --- Passwords ------------------------------------------------------------------------------------


def _set_password(world: World) -> list[Variant]:
    user = user_with_role(SW, team=world.team, username="new.starter")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = url("passwords:set-password", uid, default_token_generator.make_token(user))
    client = Client()
    page = client.get(link, follow=True)  # Django moves the token out of the address, into the session
    assert page.status_code == 200
    address = page.redirect_chain[-1][0]
    good = "plum orbit kettle marsh"
    variant = Variant.from_page(client, address, fill={"new_password1": good, "new_password2": good})
    # The two passwords must agree: a valid variation of one alone never gets through, so neither is
    # varied as valid. Hostile values still go into either (or both), and the pair may be left out.
    variant.fixed = {"new_password1": [good], "new_password2": [good]}
    return [variant]


def _change_password(world: World) -> list[Variant]:
    """The signed-in user's own session for each example: a change gives it a new key, which the
    example's rollback takes away again."""
    fresh = _on_session(world.client(SW).cookies[settings.SESSION_COOKIE_NAME].value)
    new = "plum orbit kettle marsh"
    fill = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    variant = Variant.from_page(fresh(), url("signin:change-password"), fill=fill, fresh_client=fresh)
    # Another "valid" password is a wrong current one, or a new one unlike its repetition: the three
    # are sent as they are unless a hostile change picks them, as a page's chosen button is.
    variant.fixed = {name: [value] for name, value in fill.items()}
    return [variant]


def _password_changed(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"] == url("mfa:account")


def _password_set(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"] == url("accounts:login")


# --- Users, agencies and teams ----------------------------------------------------------------------


def _create_user(world: World) -> list[Variant]:
    fill = {
        "username": "asha.patel",
        "first_name": "Asha",
        "last_name": "Patel",
        "email": "asha.patel@example.gov.uk",
        "job_title": "Social worker",
        "team": str(world.team.pk),
        "role": Role.SOCIAL_WORKER.value,
    }
    return [Variant.from_page(world.client(ADMIN), url("users:create-user"), fill=fill)]


def _change_user(world: World) -> list[Variant]:
    client = world.client(ADMIN)
    subject = user_with_role(SW, team=world.team, username="asha.patel")
    Membership.objects.create(user=subject, team=world.team, role=Role.SENIOR_PRACTITIONER)
    leaver = user_with_role(SW, team=world.team, username="left.council")
    users.deactivate_user(leaver, reason="Left", state=users.account_state(leaver), by=world.user(ADMIN))
    locked_out = user_with_role(SW, team=world.team, username="locked.out")
    AccountLockout.objects.create(user=locked_out, failures=10, locked_at=AT)
    CodeAttempts.objects.create(user=locked_out, failures=10, locked_at=AT)
    lost_phone = user_with_role(SW, team=world.team, username="lost.phone")
    reason = "Confirmed who they are by video call"

    def change(user: Any, change: str, **fill: Any) -> Variant:
        address = url("users:change-user", user.pk, change)
        return Variant.from_page(client, address, page=url("users:user", user.pk), fill=fill)

    return [
        change(subject, "details", first_name="Asha", last_name="Patel-Jones", email="asha@example.gov.uk"),
        change(subject, "grant-role", team=str(world.team.pk), role=Role.TEAM_MANAGER.value),
        change(subject, "remove-role"),
        change(subject, "deactivate", reason="Left the council on 30 November"),
        change(leaver, "reactivate", reason="Came back from leave"),
        change(subject, "send-link"),
        change(locked_out, "unlock", reason="They called from their desk phone"),
        change(locked_out, "reset-sign-in-codes", action="unlock", reason=reason),
        change(lost_phone, "reset-sign-in-codes", action="reset", reason=reason),
    ]


def _create_agency(world: World) -> list[Variant]:
    fill = {"name": "Example Community Health", "kind": "health"}
    return [Variant.from_page(world.client(ADMIN), url("users:create-agency"), fill=fill)]


def _agency(world: World) -> list[Variant]:
    client = world.client(ADMIN)
    address = url("users:agency", world.team.agency_id)
    return [
        Variant.from_page(client, address, having="rename-name", fill={"rename-name": "Example Borough"}),
        Variant.from_page(client, address, having="team-name", fill={"team-name": "Early help"}),
        # A partner's page has its addresses too: the agreed secure one is where its requests are emailed.
        Variant.from_page(
            client,
            url("users:agency", PartnerAgencyFactory(name="Example Surgery", kind=AgencyKind.GP_PRACTICE).pk),
            having="secure-email",
            fill={"secure-email": "example.surgery@nhs.example"},
        ),
    ]


def _rename_team(world: World) -> list[Variant]:
    return [
        Variant.from_page(world.client(ADMIN), url("users:rename-team", world.team.pk), fill={"name": "Front door"})
    ]


TARGETS = [
    Target("contacts:find-contact", _find_contact, passed=_searched),
    Target("people:search", _search_people, passed=_searched),
    Target("mfa:second-step", _second_step, passed=_past_the_step),
    Target("mfa:recovery-code", _recovery_code, passed=_past_the_step),
    Target("mfa:set-up", _set_up, passed=_went_to_recovery_codes),
    Target("mfa:recovery-codes", _recovery_codes, passed=_codes_saved),
    Target("mfa:new-recovery-codes", _new_recovery_codes, passed=_went_to_recovery_codes),
    Target("mfa:account", _account, passed=_account_shown),
    Target("passwords:set-password", _set_password, passed=_password_set),
    Target("signin:change-password", _change_password, passed=_password_changed),
    Target("users:create-user", _create_user),
    Target("users:change-user", _change_user),
    Target("users:create-agency", _create_agency),
    Target("users:agency", _agency),
    Target("users:rename-team", _rename_team),
]
