from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact, StateChange
from safehub.contacts.services import transition
from safehub.contacts.tests.factories import ContactFactory
from safehub.contacts.workflow import (
    TRANSITIONS,
    ContactState,
    Event,
    TransitionNotAllowed,
    allowed_events,
    next_state,
    terminal_states,
)
from safehub.core.errors import ConcurrentChange


def _reachable_from(start: ContactState, *, avoiding: ContactState | None = None) -> set[ContactState]:
    seen, frontier = {start}, [start]
    while frontier:
        state = frontier.pop()
        for event in allowed_events(state):
            target = next_state(state, event)
            if target not in seen and target != avoiding:
                seen.add(target)
                frontier.append(target)
    return seen


def test_closed_is_the_only_terminal_state() -> None:
    assert terminal_states() == [ContactState.CLOSED]


def test_every_state_is_reachable_from_received() -> None:
    assert _reachable_from(ContactState.RECEIVED) == set(ContactState)


def test_approval_is_reachable_only_through_awaiting_approval() -> None:
    assert ContactState.APPROVED not in _reachable_from(ContactState.RECEIVED, avoiding=ContactState.AWAITING_APPROVAL)
    sources = {state for (state, _), target in TRANSITIONS.items() if target == ContactState.APPROVED}
    assert sources == {ContactState.AWAITING_APPROVAL}


@pytest.mark.parametrize("state", list(ContactState))
def test_allowed_events_round_trip(state: ContactState) -> None:
    for event in allowed_events(state):
        assert TRANSITIONS[(state, event)] == next_state(state, event)


@pytest.mark.parametrize(
    ("state", "event"),
    [(s, e) for s in ContactState for e in Event if (s, e) not in TRANSITIONS],
)
def test_every_other_pair_is_refused(state: ContactState, event: Event) -> None:
    with pytest.raises(TransitionNotAllowed, match="Reload the page"):
        next_state(state, event)


@pytest.mark.django_db
def test_transition_records_who_when_and_why(social_worker: Any, now: dt.datetime) -> None:
    contact: Contact = ContactFactory(state=ContactState.RECEIVED)
    transition(contact, Event.START_SCREENING, by=social_worker, due_at=None, note="picked up", at=now)
    contact.refresh_from_db()
    assert (contact.state, contact.version) == (ContactState.SCREENING, 1)
    change = StateChange.objects.get(contact=contact)
    assert (change.by, change.at, change.from_state, change.to_state, change.note) == (
        social_worker,
        now,
        "received",
        "screening",
        "picked up",
    )
    event = AuditEvent.objects.get(verb=Verb.STATE_CHANGED, contact=contact)
    assert event.data == {"from": "received", "to": "screening", "event": "start_screening"}


@pytest.mark.django_db
def test_a_stale_version_changes_nothing(social_worker: Any, now: dt.datetime) -> None:
    contact: Contact = ContactFactory(state=ContactState.RECEIVED)
    stale = Contact.objects.get(pk=contact.pk)
    transition(contact, Event.START_SCREENING, by=social_worker, due_at=None, at=now)
    with pytest.raises(ConcurrentChange):
        transition(stale, Event.START_SCREENING, by=social_worker, due_at=None, at=now)
    assert StateChange.objects.filter(contact=contact).count() == 1
    assert AuditEvent.objects.filter(verb=Verb.STATE_CHANGED).count() == 1
