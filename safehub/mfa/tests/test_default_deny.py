"""A session that has passed only the password reaches the second step, setting up an app and
signing out: nothing else, the admin included. Every other request goes to the second step."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Role, User
from safehub.accounts.tests.factories import user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactFactory
from safehub.mfa import services
from safehub.mfa.models import ResetAction
from safehub.mfa.sessions import second_step_url
from safehub.mfa.testing import current_code, sign_in_both_steps

pytestmark = pytest.mark.django_db

SECOND_STEP = reverse("mfa:second-step")


def _pages(contact: Contact) -> list[str]:
    return [
        reverse("queues:home"),
        reverse("queues:queue", args=["mine"]),
        reverse("contacts:record-contact"),
        contact.get_absolute_url(),
        reverse("people:search"),
        reverse("consultations:list"),
        reverse("audit:events"),
        reverse("protocols:list"),
        reverse("mfa:account"),
        reverse("users:locked-accounts"),
        reverse("mfa:recovery-codes"),
        reverse("accounts:login"),
        "/admin/",
        "/admin/accounts/user/",
        "/no-such-page/",
    ]


def test_a_password_only_session_is_sent_to_the_second_step_from_every_page(
    password_only: Client, mash_team: Any, settings: Any
) -> None:
    settings.SAFEHUB_ADMIN_ENABLED = True  # where the admin is on, it is closed to such a session too
    contact: Contact = ContactFactory(team=mash_team)
    for url in _pages(contact):
        response = password_only.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == second_step_url(url), url
    # A contact's page was asked for, and not shown: nothing read, nothing audited but the password.
    assert list(AuditEvent.objects.values_list("verb", flat=True)) == [Verb.PASSWORD_ACCEPTED]


def test_a_password_only_session_cannot_post_anything(password_only: Client, mash_team: Any) -> None:
    before = Contact.objects.count()
    response = password_only.post(reverse("contacts:record-contact"), {"anything": "at all"})
    assert response.status_code == 302
    assert response["Location"] == SECOND_STEP
    assert Contact.objects.count() == before
    response = password_only.post(reverse("mfa:new-recovery-codes"))
    assert response["Location"] == SECOND_STEP
    assert not AuditEvent.objects.filter(verb=Verb.MFA_RECOVERY_CODES_REGENERATED).exists()


def test_the_admin_is_closed_to_a_password_only_session_of_a_superuser(client: Client, settings: Any) -> None:
    settings.SAFEHUB_ADMIN_ENABLED = True
    boss = user_with_role(Role.ADMINISTRATOR, username="boss", is_staff=True, is_superuser=True)
    # The password alone (through Safehub's sign-in, where the admin's own sends) must not open the admin.
    client.post(reverse("accounts:login"), {"username": "boss", "password": "correct horse battery staple"})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(SECOND_STEP)
    sign_in_both_steps(client, boss)
    assert client.get("/admin/").status_code == 200


def test_a_password_only_session_sees_the_second_step_and_static_files_and_can_sign_out(
    password_only: Client, social_worker: User
) -> None:
    page = password_only.get(SECOND_STEP)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<h1 class="govuk-heading-l">Enter the 6-digit code</h1>' in html
    assert '<a class="govuk-service-navigation__link"' not in html  # no menu of pages it cannot reach
    assert password_only.get(reverse("mfa:recovery-code")).status_code == 200
    assert password_only.get("/static/safehub/safehub.css").status_code == 200
    response = password_only.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert AuditEvent.objects.filter(verb=Verb.LOGOUT, by=social_worker).exists()


def test_the_page_asked_for_is_where_the_second_step_leads(password_only: Client, social_worker: User) -> None:
    wanted = reverse("people:search")
    password_only.get(wanted)
    response = password_only.post(second_step_url(wanted), {"code": current_code(social_worker)})
    assert response.status_code == 302
    assert response["Location"] == wanted
    assert password_only.get(wanted).status_code == 200


def test_passing_the_second_step_gives_the_session_a_new_key(password_only: Client, social_worker: User) -> None:
    before = password_only.cookies["sessionid"].value
    password_only.post(SECOND_STEP, {"code": current_code(social_worker)})
    assert password_only.cookies["sessionid"].value != before


def test_signing_in_again_with_the_password_asks_for_the_second_step_again(
    social_worker_client: Client, social_worker: User
) -> None:
    assert social_worker_client.get(reverse("queues:home")).status_code == 302  # home sends on to a queue
    social_worker_client.post(
        reverse("accounts:login"), {"username": social_worker.username, "password": "correct horse battery staple"}
    )
    assert social_worker_client.get(reverse("people:search"))["Location"].startswith(SECOND_STEP)


def test_removing_someones_authenticator_ends_the_second_step_of_their_sessions(
    social_worker_client: Client, social_worker: User, administrator: User
) -> None:
    assert social_worker_client.get(reverse("people:search")).status_code == 200
    services.reset_authenticator(
        social_worker, by=administrator, action=ResetAction.RESET, reason="Lost phone", at=social_worker.date_joined
    )
    response = social_worker_client.get(reverse("people:search"))
    assert response["Location"].startswith(SECOND_STEP)
    assert social_worker_client.get(SECOND_STEP)["Location"] == reverse("mfa:set-up")


def test_a_user_who_has_not_set_up_an_app_is_sent_to_set_one_up(client: Client, mash_team: Any) -> None:
    user_with_role(Role.SOCIAL_WORKER, team=mash_team, username="new.starter", authenticator=False)
    client.post(reverse("accounts:login"), {"username": "new.starter", "password": "correct horse battery staple"})
    assert client.get(reverse("people:search"))["Location"].startswith(SECOND_STEP)
    assert client.get(SECOND_STEP)["Location"] == reverse("mfa:set-up")
    assert client.get(reverse("mfa:set-up")).status_code == 200


def test_a_test_client_without_an_authenticator_app_cannot_be_signed_in(mash_team: Any) -> None:
    user = user_with_role(Role.SOCIAL_WORKER, team=mash_team, username="no.app", authenticator=False)
    with pytest.raises(AssertionError, match="no authenticator app"):
        sign_in_both_steps(Client(), user)
