"""Fuzz target for recording a police domestic-abuse notification's incident and risk assessment."""

from __future__ import annotations

import datetime as dt

from safehub.accounts.models import Role
from safehub.contacts.models import Channel, SubjectRole
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory
from tests.fuzz.harness import Target, Variant, World, url

CO = Role.CONTACT_OFFICER
RECEIVED = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def _record(world: World) -> list[Variant]:
    contact = ContactFactory(
        team=world.team,
        received_at=RECEIVED,
        channel=Channel.POLICE_NOTIFICATION,
        concern_categories=["domestic_abuse"],
    )
    victim = ContactSubjectFactory(contact=contact, role=SubjectRole.PARENT, given_name="Ann", order=5)
    children = [s for s in contact.subjects.all() if s.role in (SubjectRole.CHILD, SubjectRole.SIBLING)]
    fill = {
        "police_reference": "WMP-1",
        "incident_on_0": "23",
        "incident_on_1": "11",
        "incident_on_2": "2026",
        "incident_time": "22:30",
        "place": "The family home",
        "victim": str(victim.pk),
        "assessment": "dara",
        "risk_level": "high",
        **{f"present_{child.pk}": "yes" for child in children},
    }
    address = url("domestic_abuse:record", contact.pk)
    return [Variant.from_page(world.client(CO), address, page=address, fill=fill)]


def _question(world: World) -> list[Variant]:
    address = url("domestic_abuse:question", 3)
    fill = {"text": "Is the victim very frightened of what comes next?", "in_use": "on"}
    return [Variant.from_page(world.client(Role.ADMINISTRATOR), address, page=address, fill=fill)]


def _add_question(world: World) -> list[Variant]:
    address = url("domestic_abuse:add-question")
    fill = {"text": "Does the victim have somewhere safe to go?"}
    return [Variant.from_page(world.client(Role.ADMINISTRATOR), address, page=address, fill=fill)]


TARGETS = [
    Target("domestic_abuse:record", _record),
    Target("domestic_abuse:question", _question),
    Target("domestic_abuse:add-question", _add_question),
]
