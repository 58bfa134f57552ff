"""`safehub create-administrator`: a new hub's first administrator, with the admin off."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from safehub.accounts.models import Agency, Role, User
from safehub.audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db
ARGS = [
    "--username=first.admin",
    "--first-name=Grace",
    "--last-name=Obi",
    "--email=grace.obi@example.gov.uk",
    "--agency=Example Borough Council Children's Services",
    "--team=Business support",
]


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    answers: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": answers.pop(0))
    return answers


def test_a_new_hub_gets_its_first_administrator(typed: list[str]) -> None:
    typed += ["plum orbit kettle marsh"] * 2
    call_command("create_administrator", *ARGS)

    user = User.objects.get(username="first.admin")
    assert user.check_password("plum orbit kettle marsh")
    membership = user.memberships.select_related("team__agency").get()
    assert membership.role == Role.ADMINISTRATOR
    assert membership.team.agency.is_host
    verbs = list(AuditEvent.objects.order_by("seq").values_list("verb", "system_process"))
    assert [verb for verb, _ in verbs] == [Verb.AGENCY_CREATED, Verb.TEAM_CREATED, Verb.USER_CREATED, Verb.ROLE_GRANTED]
    assert {process for _, process in verbs} == {"create-administrator command"}


def test_it_refuses_once_there_is_an_administrator(typed: list[str], administrator: Any) -> None:
    typed += ["plum orbit kettle marsh"] * 2
    with pytest.raises(CommandError, match="Nothing was created"):
        call_command("create_administrator", *ARGS)
    assert not User.objects.filter(username="first.admin").exists()


@pytest.mark.parametrize(
    ("passwords", "extra"),
    [
        (["Summer2026!", "Summer2026!"], []),  # too short
        (["plum orbit kettle marsh", "plum orbit kettle march"], []),
        (["plum orbit kettle marsh"] * 2, ["--username=" + "x" * 300]),
    ],
)
def test_bad_input_creates_nothing(typed: list[str], passwords: list[str], extra: list[str]) -> None:
    typed += passwords
    with pytest.raises(CommandError):
        call_command("create_administrator", *ARGS, *extra)
    assert not User.objects.exists()
    assert not Agency.objects.exists()
    assert not AuditEvent.objects.exists()
