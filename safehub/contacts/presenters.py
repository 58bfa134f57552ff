"""What the contact page shows: rows, people, timeline and the next actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse

from safehub.accounts.models import User
from safehub.checks.permissions import can_start_checks
from safehub.contacts import permissions
from safehub.contacts.models import ConcernCategory, Contact, StateChange
from safehub.contacts.workflow import STATES, ContactState, Event
from safehub.core.presenters import Due, brag_tag_class, due
from safehub.decisions.permissions import can_action_outcome, can_approve, can_recommend
from safehub.decisions.queries import latest_recommendation
from safehub.screening.permissions import can_screen


@dataclass(frozen=True)
class Action:
    text: str
    href: str


@dataclass(frozen=True)
class TimelineEntry:
    title: str
    at: datetime
    by: str
    note: str


def concern_labels(codes: list[str]) -> list[str]:
    labels = dict(ConcernCategory.choices)
    return [labels.get(code, code) for code in codes]


def state_tag_class(state: str) -> str:
    return STATES[ContactState(state)].tag_class


def actions_for(user: User, contact: Contact) -> list[Action]:
    """The buttons the user may press now; the workflow table decides what can come next."""
    candidates = [
        (can_screen(user, contact), "Screen this contact", "screening:screen-contact"),
        (can_recommend(user, contact), "Rate and recommend", "decisions:recommend"),
        (can_start_checks(user, contact), "Start MASH checks", "checks:start"),
        (can_approve(user, contact), "Approve or return the recommendation", "decisions:approve"),
        (can_action_outcome(user, contact), "Record the outcome as actioned", "decisions:action-outcome"),
    ]
    return [Action(text, reverse(url, args=[contact.pk])) for allowed, text, url in candidates if allowed]


def timeline(changes: list[StateChange]) -> list[TimelineEntry]:
    return [
        TimelineEntry(Event(change.event).label, change.at, str(change.by), change.note)
        for change in sorted(changes, key=lambda c: (c.at, c.pk), reverse=True)
    ]


@dataclass(frozen=True)
class ContactPage:
    contact: Contact
    state_label: str
    state_tag: str
    due: Due | None
    concerns: list[str]
    rating: str
    rating_tag: str
    actions: list[Action]
    timeline: list[TimelineEntry]
    screening: Any
    can_restrict: bool


def contact_page(user: User, contact: Contact, *, at: datetime) -> ContactPage:
    latest = latest_recommendation(contact)
    return ContactPage(
        contact=contact,
        state_label=ContactState(contact.state).label,
        state_tag=state_tag_class(contact.state),
        due=due(contact.current_due_at, at=at) if contact.state != ContactState.CLOSED else None,
        concerns=concern_labels(contact.concern_categories),
        rating=latest.get_rating_display() if latest else "",
        rating_tag=brag_tag_class(latest.rating) if latest else "",
        actions=actions_for(user, contact),
        timeline=timeline(list(contact.state_changes.all())),
        screening=getattr(contact, "screening", None),
        can_restrict=permissions.can_restrict(user, contact),
    )
