"""The Django admin: off unless turned on, and when on, every change it makes is in the audit trail."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.models import Agency, AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.audit.models import AuditEvent, Verb
from safehub.mfa.testing import sign_in_both_steps
from safehub.users.admin import AuditedModelAdmin

pytestmark = pytest.mark.django_db


class _FormReader(HTMLParser):
    """The values a browser would send from the page's main form, as it stands."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        name = attr.get("name", "")
        if tag == "input" and name and attr.get("type") not in {"submit", "button"}:
            if attr.get("type") in {"checkbox", "radio"} and "checked" not in attr:
                return
            self.data.setdefault(name, []).append(attr.get("value", "on" if attr.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attr:
            self.data[self._select].append(attr.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] = [self.data[self._textarea][0] + data]


def _form(response: Any) -> dict[str, Any]:
    reader = _FormReader()
    reader.feed(response.content.decode())
    return {name: values if len(values) != 1 else values[0] for name, values in reader.data.items()}


@pytest.fixture
def superuser(db: None) -> User:
    user = User.objects.create_superuser("root.admin", "root@example.org", "correct horse battery staple")
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


@pytest.fixture
def admin_client_on(superuser: User, settings: Any) -> Client:
    settings.SAFEHUB_ADMIN_ENABLED = True
    client = Client()
    sign_in_both_steps(client, superuser)
    return client


def test_the_admin_is_off_by_default_outside_development_and_the_demo(client: Client, superuser: User) -> None:
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404
    sign_in_both_steps(client, superuser)
    assert client.get("/admin/").status_code == 404
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 404


def test_the_admin_answers_when_turned_on(admin_client_on: Client) -> None:
    assert admin_client_on.get("/admin/").status_code == 200


def test_every_model_in_the_admin_is_audited() -> None:
    plain = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if not isinstance(model_admin, AuditedModelAdmin)
    ]
    assert plain == []


def test_giving_a_role_in_the_admin_is_audited_with_old_and_new(
    admin_client_on: Client, superuser: User, police_partner: User, mash_team: Team
) -> None:
    """Issue 12: a superuser gave the police partner the data-protection role with zero audit events."""
    url = reverse("admin:accounts_user_change", args=[police_partner.pk])
    data = _form(admin_client_on.get(url))
    data |= {
        "memberships-1-team": str(mash_team.pk),
        "memberships-1-role": Role.DATA_PROTECTION_OFFICER.value,
        "memberships-1-user": str(police_partner.pk),
        "_save": "Save",
    }

    response = admin_client_on.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert police_partner.memberships.filter(role=Role.DATA_PROTECTION_OFFICER).exists()
    [event] = AuditEvent.objects.filter(verb=Verb.ADMIN_RECORD_CHANGED)
    assert event.by == superuser
    assert event.data["model"] == "accounts.user"
    assert event.data["object_id"] == str(police_partner.pk)
    assert event.data["old"]["memberships"] == [
        f"partner_professional in team {police_partner.memberships.first().team_id}"
    ]
    assert f"data_protection_officer in team {mash_team.pk}" in event.data["new"]["memberships"]
    assert event.data["password_changed"] is False


def test_a_password_changed_in_the_admin_is_audited_without_the_password(
    admin_client_on: Client, social_worker: User
) -> None:
    url = reverse("admin:auth_user_password_change", args=[social_worker.pk])
    new = "plum orbit kettle marsh"
    response = admin_client_on.post(url, {"password1": new, "password2": new, "usable_password": "true"})

    assert response.status_code == 302
    [event] = AuditEvent.objects.filter(verb=Verb.ADMIN_RECORD_CHANGED)
    assert event.data["password_changed"] is True
    social_worker.refresh_from_db()
    assert social_worker.password not in str(event.data)
    assert "password" not in event.data["new"]


def test_adding_and_renaming_an_agency_in_the_admin_is_audited(admin_client_on: Client) -> None:
    admin_client_on.post(reverse("admin:accounts_agency_add"), {"name": "Example Health", "kind": AgencyKind.HEALTH})
    agency = Agency.objects.get(name="Example Health")
    [added] = AuditEvent.objects.filter(verb=Verb.ADMIN_RECORD_ADDED)
    assert added.data["new"]["name"] == "Example Health"

    admin_client_on.post(
        reverse("admin:accounts_agency_change", args=[agency.pk]),
        {"name": "Example Health Trust", "kind": AgencyKind.HEALTH},
    )

    [changed] = AuditEvent.objects.filter(verb=Verb.ADMIN_RECORD_CHANGED)
    assert changed.data["old"] == {"name": "Example Health"}
    assert changed.data["new"] == {"name": "Example Health Trust"}


def test_deleting_several_records_at_once_audits_each(admin_client_on: Client) -> None:
    first = PartnerAgencyFactory(name="Example Housing", kind=AgencyKind.HOUSING)
    second = PartnerAgencyFactory(name="Example Probation", kind=AgencyKind.PROBATION)

    response = admin_client_on.post(
        reverse("admin:accounts_agency_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Agency.objects.filter(pk__in=[first.pk, second.pk]).exists()
    deleted = AuditEvent.objects.filter(verb=Verb.ADMIN_RECORD_DELETED)
    assert sorted(event.data["old"]["name"] for event in deleted) == ["Example Housing", "Example Probation"]


def test_deleting_one_record_is_audited(admin_client_on: Client) -> None:
    agency = PartnerAgencyFactory(name="Example Housing", kind=AgencyKind.HOUSING)

    admin_client_on.post(reverse("admin:accounts_agency_delete", args=[agency.pk]), {"post": "yes"})

    [event] = AuditEvent.objects.filter(verb=Verb.ADMIN_RECORD_DELETED)
    assert event.data["object_id"] == str(agency.pk)
    assert event.data["old"]["kind"] == "housing"
