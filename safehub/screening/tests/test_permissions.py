"""Who may screen a contact: role × contact state → allowed."""

from __future__ import annotations

import pytest

from safehub.accounts.models import Role
from safehub.accounts.tests.factories import person_holding
from safehub.contacts.models import Contact
from safehub.contacts.workflow import ContactState
from safehub.screening.permissions import can_screen

FRONT_DOOR = {Role.CONTACT_OFFICER, Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER}


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize("state", list(ContactState), ids=[s.value for s in ContactState])
def test_front_door_staff_screen_received_contacts_and_those_in_screening(role: Role, state: ContactState) -> None:
    user = person_holding(role)
    assert can_screen(user) is (role in FRONT_DOOR)
    screenable = state in (ContactState.RECEIVED, ContactState.SCREENING)
    assert can_screen(user, Contact(state=state)) is (role in FRONT_DOOR and screenable)
