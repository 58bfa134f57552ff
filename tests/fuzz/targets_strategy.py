"""Fuzz targets for strategy discussions: starting one from a contact, arranging it, letting it wait
past the standard, and cancelling it."""

from __future__ import annotations

import datetime as dt

from safehub.accounts.models import Role
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactFactory
from safehub.people.models import PersonKind, Service
from safehub.people.tests.factories import OpenInvolvementFactory, PersonFactory
from safehub.strategy.models import StrategyDiscussion
from safehub.strategy.tests.helpers import approved_for_strategy, arrange_for, hold_for
from tests.fuzz.harness import Target, Variant, World, url

SW, TM, COORDINATOR = Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.STRATEGY_COORDINATOR
PARTNER = Role.PARTNER_PROFESSIONAL
AT = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)  # the suite's clock is an hour later: Bexley's is due at 13:00


def _discussion(world: World) -> StrategyDiscussion:
    return approved_for_strategy(world.team, social_worker=world.user(SW), manager=world.user(TM), at=AT)


def _page(discussion: StrategyDiscussion) -> str:
    return url("strategy:discussion", discussion.pk)


def _start_now(world: World) -> list[Variant]:
    contact: Contact = ContactFactory(team=world.team)
    children = [str(s.pk) for s in contact.subjects.all() if s.is_child]
    fill = {"children": children, "reason": "Disclosed being hit with a belt"}
    return [Variant.from_page(world.client(TM), url("strategy:start-now", contact.pk), fill=fill)]


def _start_for_person(world: World) -> list[Variant]:
    child = PersonFactory(kind=PersonKind.CHILD)
    OpenInvolvementFactory(person=child, service=Service.CHILD_IN_NEED)
    fill = {"reason": "New injury seen at nursery"}
    return [Variant.from_page(world.client(TM), url("strategy:start-for-person", child.pk), fill=fill)]


def _arrange(world: World) -> list[Variant]:
    discussion = _discussion(world)
    fill = {
        "arrange-meeting_on_0": "24",
        "arrange-meeting_on_1": "11",
        "arrange-meeting_on_2": "2026",
        "arrange-meeting_time": "12:30",
        "arrange-meeting_format": "video",
        "arrange-place": "https://meet.example/s1",
        "arrange-chair": str(world.user(TM).pk),
    }
    address = url("strategy:arrange", discussion.pk)
    return [Variant.from_page(world.client(COORDINATOR), address, page=_page(discussion), fill=fill)]


def _exception(world: World) -> list[Variant]:
    discussion = _discussion(world)
    fill = {
        "exception-due_on_0": "25",
        "exception-due_on_1": "11",
        "exception-due_on_2": "2026",
        "exception-due_time": "08:00",
        "exception-reason": "The children are with their grandmother; police have seen them",
    }
    address = url("strategy:exception", discussion.pk)
    return [Variant.from_page(world.client(TM), address, page=_page(discussion), fill=fill)]


def _cancel(world: World) -> list[Variant]:
    discussion = _discussion(world)
    address = url("strategy:cancel", discussion.pk)
    fill = {"cancel-reason": "Started for the wrong family"}
    return [Variant.from_page(world.client(TM), address, page=_page(discussion), fill=fill)]


def _arranged(world: World) -> StrategyDiscussion:
    """Arranged for 09:30 with the police (the suite's police partner's agency); now is 10:00."""
    world.user(PARTNER)
    return arrange_for(_discussion(world), by=world.user(COORDINATOR), chair=world.user(TM), at=AT)


def _held(world: World) -> StrategyDiscussion:
    return hold_for(_arranged(world), by=world.user(TM), at=AT + dt.timedelta(minutes=45))


def _record(world: World) -> list[Variant]:
    discussion = _arranged(world)
    police = discussion.invitations.get()
    fill = {
        f"attendance_{police.pk}": "attended",
        f"contribution_{police.pk}": "Two call-outs this year",
        "analysis": "Bruising fits the account of a slap",
        "decision": "s47_joint",
        "police_investigate": "yes",
        "medical_examination": "no",
        "family_told": "yes",
        "who_tells": "The social worker",
        "tell_on_0": "24",
        "tell_on_1": "11",
        "tell_on_2": "2026",
        "tell_time": "17:00",
        "safety_plan": "Father stays with his brother",
    }
    return [Variant.from_page(world.client(TM), url("strategy:record", discussion.pk), fill=fill)]


def _send_record(world: World) -> list[Variant]:
    discussion = _held(world)
    address = url("strategy:send-record", discussion.pk)
    return [Variant.from_page(world.client(COORDINATOR), address, page=_page(discussion))]


def _add_action(world: World) -> list[Variant]:
    discussion = _held(world)
    fill = {
        "action-description": "Share the school's attendance record",
        "action-agency": str(discussion.invitations.get().agency_id),
        "action-owner": "DC Example",
        "action-due_on_0": "26",
        "action-due_on_1": "11",
        "action-due_on_2": "2026",
        "action-due_time": "12:00",
    }
    address = url("strategy:add-action", discussion.pk)
    return [Variant.from_page(world.client(COORDINATOR), address, page=_page(discussion), fill=fill)]


def _close_action(world: World) -> list[Variant]:
    discussion = _held(world)
    action = discussion.actions.get()
    address = url("strategy:close-action", discussion.pk, action.pk)
    fill = {f"close-{action.pk}-note": "Father interviewed under caution"}
    return [Variant.from_page(world.client(PARTNER), address, page=_page(discussion), fill=fill)]


def _agree_contribution(world: World) -> list[Variant]:
    """The police, who asked that their contribution go no further, agree that it may go in the record."""
    discussion = hold_for(_arranged(world), by=world.user(TM), at=AT + dt.timedelta(minutes=45), kept_by_police="Bail")
    police = discussion.invitations.get()
    address = url("strategy:agree-contribution", discussion.pk, police.pk)
    fill = {f"agree-{police.pk}-note": "Health may know of the investigation"}
    return [Variant.from_page(world.client(PARTNER), address, page=_page(discussion), fill=fill)]


def _conference(world: World) -> list[Variant]:
    discussion = _held(world)
    fill = {
        "conference-held": "date",
        "conference-conference_on_0": "10",
        "conference-conference_on_1": "12",
        "conference-conference_on_2": "2026",
    }
    address = url("strategy:conference", discussion.pk)
    return [Variant.from_page(world.client(TM), address, page=_page(discussion), fill=fill)]


TARGETS = [
    Target("strategy:start-now", _start_now),
    Target("strategy:start-for-person", _start_for_person),
    Target("strategy:arrange", _arrange),
    Target("strategy:exception", _exception),
    Target("strategy:cancel", _cancel),
    Target("strategy:record", _record),
    Target("strategy:send-record", _send_record),
    Target("strategy:agree-contribution", _agree_contribution),
    Target("strategy:add-action", _add_action),
    Target("strategy:close-action", _close_action),
    Target("strategy:conference", _conference),
]
