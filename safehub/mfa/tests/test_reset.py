"""An administrator unlocks someone's second step or removes their authenticator app, with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.models import Role, User
from safehub.audit.models import AuditEvent, Verb
from safehub.mfa import services
from safehub.mfa.models import AuthenticatorReset, CodeAttempts, ResetAction

pytestmark = pytest.mark.django_db

RESET = reverse("mfa:reset")


def test_an_administrator_removes_someones_app_with_a_reason(
    administrator_client: Client, administrator: User, social_worker: User, now: Any
) -> None:
    services.regenerate_recovery_codes(social_worker, at=now)

    response = administrator_client.post(
        RESET, {"username": social_worker.username, "action": "reset", "reason": "Phone stolen; called them back"}
    )

    assert response["Location"] == RESET
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
    assert not StaticDevice.objects.filter(user=social_worker).exists()
    reset = AuthenticatorReset.objects.get()
    assert (reset.user, reset.by, reset.action, reset.reason) == (
        social_worker,
        administrator,
        ResetAction.RESET,
        "Phone stolen; called them back",
    )
    event = AuditEvent.objects.get(verb=Verb.MFA_RESET)
    assert event.by == administrator
    assert event.data == {"user": social_worker.pk, "username": social_worker.username, "reset": reset.pk}
    page = administrator_client.get(RESET).content.decode()
    assert f"{social_worker.username}&#x27;s sign-in codes are reset" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "", "action": "reset", "reason": "x"}, "Enter the username of the person to help"),
        ({"username": "nobody", "action": "reset", "reason": "x"}, "There is no user with that username"),
        ({"username": "social.worker", "action": "", "reason": "x"}, "Choose what to do"),
        ({"username": "social.worker", "action": "erase", "reason": "x"}, "Choose what to do"),
        ({"username": "social.worker", "action": "reset", "reason": "  "}, "Enter why you are doing this"),
        ({"username": "administrator", "action": "reset", "reason": "x"}, "You cannot reset your own sign-in codes"),
        ({"username": "social.worker", "action": "unlock", "reason": "x"}, "is not locked out"),
        ({"username": "u" * 300, "action": "reset", "reason": "x"}, "Username: enter no more than 150 characters"),
    ],
)
def test_a_reset_that_cannot_be_done_says_why_and_changes_nothing(
    administrator_client: Client, social_worker: User, data: dict[str, str], message: str
) -> None:
    response = administrator_client.post(RESET, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert TOTPDevice.objects.filter(user=social_worker).exists()
    assert not AuthenticatorReset.objects.exists()
    assert not AuditEvent.objects.filter(verb__in=[Verb.MFA_RESET, Verb.MFA_UNLOCKED]).exists()


def test_removing_the_app_of_someone_without_one_says_so(administrator_client: Client, social_worker: User) -> None:
    TOTPDevice.objects.filter(user=social_worker).delete()
    response = administrator_client.post(RESET, {"username": "social.worker", "action": "reset", "reason": "x"})
    assert "has no authenticator app: there is nothing to reset" in response.content.decode()


def test_an_administrator_unlocks_someone(administrator_client: Client, social_worker: User, now: Any) -> None:
    CodeAttempts.objects.create(user=social_worker, failures=10, locked_at=now)

    administrator_client.post(RESET, {"username": "social.worker", "action": "unlock", "reason": "Typo streak"})

    assert not services.is_locked(social_worker)
    assert CodeAttempts.objects.get(user=social_worker).failures == 0
    assert TOTPDevice.objects.filter(user=social_worker).exists()  # they keep their app
    assert AuditEvent.objects.get(verb=Verb.MFA_UNLOCKED).data["username"] == "social.worker"


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.DATA_PROTECTION_OFFICER])
def test_only_administrators_may_reset(client_for_role: Any, role: Role, social_worker: User) -> None:
    client = client_for_role(role)
    assert client.get(RESET).status_code == 403
    client.post(RESET, {"username": "social.worker", "action": "reset", "reason": "x"})
    assert TOTPDevice.objects.filter(user=social_worker).exists()


def test_partners_are_not_told_the_reset_page_exists(police_partner_client: Client) -> None:
    assert police_partner_client.get(RESET).status_code == 404


def test_the_service_refuses_anyone_but_an_administrator(manager: User, social_worker: User, now: Any) -> None:
    with pytest.raises(services.DomainError, match="Only an administrator"):
        services.reset_authenticator(social_worker, by=manager, action=ResetAction.RESET, reason="x", at=now)


def test_the_admin_does_not_offer_django_otp_devices() -> None:
    """Secrets and devices are changed through the audited page only, never the admin."""
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


def test_administrators_find_the_reset_page_from_their_account_page(
    administrator_client: Client, social_worker_client: Client
) -> None:
    link = f'<a class="govuk-link" href="{RESET}">Reset someone\'s sign-in codes</a>'
    assert link in administrator_client.get(reverse("mfa:account")).content.decode()
    assert RESET not in social_worker_client.get(reverse("mfa:account")).content.decode()
