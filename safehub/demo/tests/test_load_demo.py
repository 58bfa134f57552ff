from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from safehub.accounts.demo import DEMO_PASSWORD
from safehub.accounts.models import Role, User
from safehub.audit.services import verify_chain
from safehub.contacts.models import Contact, StateChange
from safehub.contacts.workflow import ContactState, Event, next_state
from safehub.decisions.models import STATUTORY_OUTCOMES, Decision, OutcomeAction, Referral
from safehub.people.identifiers import is_valid_nhs_number
from safehub.people.models import Person, PersonKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(now: dt.datetime) -> str:
    out = StringIO()
    call_command("load_demo", people=150, weeks=2, seed=7, stdout=out)
    return out.getvalue()


def test_every_role_has_a_demo_account_that_signs_in(demo: str) -> None:
    roles: set[str] = set()
    for user in User.objects.filter(username__startswith="demo."):
        assert authenticate(username=user.username, password=DEMO_PASSWORD) == user
        roles |= user.roles()
    assert roles == set(Role.values)


def test_contacts_are_in_every_state(demo: str) -> None:
    states = set(Contact.objects.values_list("state", flat=True))
    assert states == {s.value for s in ContactState}


def test_histories_follow_the_workflow_table(demo: str) -> None:
    for contact in Contact.objects.prefetch_related("state_changes"):
        state = ContactState.RECEIVED
        changes = sorted(contact.state_changes.all(), key=lambda c: (c.at, c.pk))
        for change in changes:
            assert change.from_state == state
            state = next_state(state, Event(change.event))
            assert change.to_state == state
        assert contact.state == state
        assert contact.version == len(changes)


def test_referrals_exist_exactly_for_approved_statutory_decisions(demo: str) -> None:
    approved_statutory = set(
        Decision.objects.filter(verdict="approved", outcome__in=[o.value for o in STATUTORY_OUTCOMES]).values_list(
            "contact", flat=True
        )
    )
    assert approved_statutory
    assert set(Referral.objects.values_list("contact", flat=True)) == approved_statutory


def test_no_one_approves_their_own_recommendation(demo: str) -> None:
    for decision in Decision.objects.select_related("recommendation"):
        assert decision.decided_by_id != decision.recommendation.recommended_by_id


def test_people_are_plausible(demo: str) -> None:
    assert Person.objects.count() >= 150
    assert all(
        is_valid_nhs_number(n) for n in Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True)
    )
    assert not Person.objects.filter(kind=PersonKind.UNBORN, date_of_birth__isnull=False).exists()


def test_closed_contacts_have_no_due_time_and_the_audit_chain_holds(demo: str, now: dt.datetime) -> None:
    assert not Contact.objects.filter(state=ContactState.CLOSED, current_due_at__isnull=False).exists()
    assert StateChange.objects.filter(at__gt=now).count() == 0
    assert verify_chain().intact


def test_if_empty_adds_nothing_the_second_time(demo: str) -> None:
    before = Contact.objects.count()
    out = StringIO()
    call_command("load_demo", if_empty=True, stdout=out)
    assert "already loaded" in out.getvalue()
    assert Contact.objects.count() == before
    with pytest.raises(CommandError, match="empty database"):
        call_command("load_demo", people=20, weeks=1, stdout=StringIO())


def test_statutory_outcomes_name_an_assessment_social_worker_who_can_open_the_contact(demo: str) -> None:
    actions = OutcomeAction.objects.select_related("decision", "allocated_worker", "contact")
    statutory = [a for a in actions if a.decision.outcome in STATUTORY_OUTCOMES]
    assert statutory
    assert all(a.allocated_worker is not None for a in statutory)
    assert not any(a.allocated_worker for a in actions if a.decision.outcome not in STATUTORY_OUTCOMES)
    worker = statutory[0].allocated_worker
    assert worker is not None
    assert worker.memberships.get().team.name == "Assessment team 1"
    assert Contact.objects.visible_to(worker).filter(pk=statutory[0].contact_id).exists()
