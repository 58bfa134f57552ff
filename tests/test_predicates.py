"""The role-only predicates of the smaller apps, by role (each app's permissions.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from safehub.accounts.models import Role, User
from safehub.accounts.tests.factories import person_holding
from safehub.audit.permissions import can_read_audit
from safehub.casework.permissions import can_import_casework
from safehub.consultations import permissions as consultations
from safehub.consultations.models import Consultation
from safehub.contacts import permissions as contacts
from safehub.contacts.models import Contact
from safehub.matching.permissions import can_review_duplicates
from safehub.people import permissions as people
from safehub.protocols import permissions as protocols
from safehub.screening.permissions import can_identify

R = Role
CASE = {R.CONTACT_OFFICER, R.SOCIAL_WORKER, R.SENIOR_PRACTITIONER, R.TEAM_MANAGER, R.STRATEGY_COORDINATOR}
FRONT_DOOR = {R.CONTACT_OFFICER, R.SOCIAL_WORKER, R.SENIOR_PRACTITIONER, R.TEAM_MANAGER}
QUALIFIED = {R.SOCIAL_WORKER, R.SENIOR_PRACTITIONER, R.TEAM_MANAGER}

MATRIX: list[tuple[str, Callable[[User], bool], set[Role]]] = [
    ("see contacts", contacts.can_see_contacts, CASE),
    ("find contacts", contacts.can_find_contacts, CASE),
    ("record a contact", contacts.can_record_contact, FRONT_DOOR),
    ("restrict a contact", lambda user: contacts.can_restrict(user, Contact()), {R.TEAM_MANAGER}),
    ("amend a contact", contacts.can_amend_contact, FRONT_DOOR),
    ("identify the people on a contact", can_identify, FRONT_DOOR),
    ("see consultations", consultations.can_see_consultations, CASE),
    ("record a consultation", consultations.can_record_consultation, QUALIFIED),
    ("send a summary", lambda user: consultations.can_send_summary(user, Consultation()), QUALIFIED),
    ("search people", people.can_search_people, CASE),
    ("record an involvement", people.can_record_involvement, FRONT_DOOR),
    ("import involvements", people.can_import_involvements, {R.TEAM_MANAGER}),
    ("import casework", can_import_casework, {R.TEAM_MANAGER, R.PERFORMANCE_LEAD}),
    ("review duplicates", can_review_duplicates, {R.SENIOR_PRACTITIONER, R.TEAM_MANAGER}),
    ("view protocols", protocols.can_view_protocols, {R.ADMINISTRATOR, R.TEAM_MANAGER}),
    ("change protocols", protocols.can_change_protocols, {R.ADMINISTRATOR}),
    ("read the audit trail", can_read_audit, {R.DATA_PROTECTION_OFFICER}),
]


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(("action", "predicate", "allowed"), MATRIX, ids=[m[0] for m in MATRIX])
def test_predicates_by_role(action: str, predicate: Callable[[User], bool], allowed: set[Role], role: Role) -> None:
    assert predicate(person_holding(role)) is (role in allowed), f"{role} may {action}"


def test_a_summary_is_sent_once() -> None:
    sent = Consultation(summary_sent_at=dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC))
    assert not consultations.can_send_summary(person_holding(R.SOCIAL_WORKER), sent)
