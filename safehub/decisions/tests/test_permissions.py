"""Who may recommend, approve and action a decision: role × contact state → allowed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from safehub.accounts.models import Role, User
from safehub.accounts.tests.factories import person_holding, user_with_role
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactFactory
from safehub.contacts.workflow import ContactState
from safehub.decisions import permissions
from safehub.decisions.models import Recommendation
from safehub.protocols.models import LocalProtocol

pytestmark = pytest.mark.django_db

R, S = Role, ContactState
QUALIFIED = {R.SOCIAL_WORKER, R.SENIOR_PRACTITIONER, R.TEAM_MANAGER}
FRONT_DOOR = {R.CONTACT_OFFICER, *QUALIFIED}
MATRIX: list[tuple[Callable[..., bool], ContactState, set[Role]]] = [
    (permissions.can_recommend, S.AWAITING_THRESHOLD, QUALIFIED),
    # Bexley, active after migrating: its senior practitioners approve too (002 roles table).
    (permissions.can_approve, S.AWAITING_APPROVAL, {R.TEAM_MANAGER, R.SENIOR_PRACTITIONER}),
    (permissions.can_action_outcome, S.APPROVED, FRONT_DOOR),
]


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(("predicate", "state", "allowed"), MATRIX, ids=[m[0].__name__ for m in MATRIX])
def test_decision_predicates_by_role_and_state(
    predicate: Callable[..., bool], state: ContactState, allowed: set[Role], role: Role
) -> None:
    user = person_holding(role)
    assert predicate(user) is (role in allowed)  # whether the role ever may
    for other in ContactState:
        contact = ContactFactory(state=other)
        assert predicate(user, contact) is (role in allowed and other == state), f"{role} in {other}"


def _recommended_by(user: User) -> Contact:
    contact: Contact = ContactFactory(state=S.AWAITING_APPROVAL)
    Recommendation.objects.create(
        contact=contact,
        rating="amber",
        rationale="Needs support",
        recommended_by=user,
    )
    return contact


def test_a_manager_never_approves_their_own_recommendation() -> None:
    manager = user_with_role(R.TEAM_MANAGER, username="author.manager")
    other = user_with_role(R.TEAM_MANAGER, username="other.manager")
    contact = _recommended_by(manager)
    assert not permissions.can_approve(manager, contact)
    assert permissions.can_approve(other, contact)


def test_who_may_approve_is_the_local_protocols_setting() -> None:
    senior = user_with_role(R.SENIOR_PRACTITIONER, username="senior.approver")
    contact = _recommended_by(user_with_role(R.SOCIAL_WORKER, username="author.worker"))
    assert permissions.can_approve(senior, contact)  # Bexley
    LocalProtocol.objects.filter(is_active=True).update(is_active=False)
    LocalProtocol.objects.filter(slug="walsall").update(is_active=True)
    assert not permissions.can_approve(senior, contact)  # Walsall 004 §5, §7: a manager
    assert not permissions.can_approve(senior)


def test_a_senior_practitioner_never_approves_their_own_recommendation() -> None:
    senior = user_with_role(R.SENIOR_PRACTITIONER, username="author.senior")
    contact = _recommended_by(senior)
    assert not permissions.can_approve(senior, contact)
    assert permissions.can_approve(user_with_role(R.SENIOR_PRACTITIONER, username="other.senior"), contact)
