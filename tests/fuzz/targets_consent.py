"""Fuzz targets for consent: an answer, a competence assessment, a request to share without consent, its
decision and its withdrawal."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safehub.accounts.models import AgencyKind, Role
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.consent import services
from safehub.consent.models import ConsentOverride
from safehub.contacts.models import ConsentPosition, Contact, ReferrerKind, SubjectRole
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory
from safehub.contacts.workflow import ContactState
from tests.fuzz.harness import Target, Variant, World, url

SW = Role.SOCIAL_WORKER
TM = Role.TEAM_MANAGER
RECEIVED = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
REASON = "The family refused, and the bruising needs partners' information before we decide today."


def _contact(world: World) -> Contact:
    contact: Contact = ContactFactory(team=world.team, received_at=RECEIVED, consent=ConsentPosition.REFUSED)
    ContactSubjectFactory(
        contact=contact, given_name="Sam", role=SubjectRole.SIBLING, date_of_birth=dt.date(2012, 3, 2)
    )
    return contact


def _answer(world: World) -> list[Variant]:
    contact = _contact(world)
    child = contact.subjects.first()
    fill = {
        "subject": str(child.pk),
        "purpose": "mash_checks",
        "answer": "given",
        "given_by": "parent",
        "giver_name": "Lena Harlow",
        "given_on_0": "24",
        "given_on_1": "11",
        "given_on_2": "2026",
        "method": "verbal",
    }
    address = url("consent:answer", contact.pk)
    return [Variant.from_page(world.client(SW), address, page=address, fill=fill)]


def _competence(world: World) -> list[Variant]:
    contact = _contact(world)
    sam = contact.subjects.get(given_name="Sam")
    fill = {
        "subject": str(sam.pk),
        "purpose": "mash_checks",
        "understands": "yes",
        "consequences": "yes",
        "weighs": "yes",
        "voluntary": "yes",
        "rationale": "Sam said back what would be shared, with whom, and what saying no would mean for him.",
        "assessed_on_0": "24",
        "assessed_on_1": "11",
        "assessed_on_2": "2026",
    }
    address = url("consent:competence", contact.pk)
    variant = Variant.from_page(world.client(SW), address, page=address, fill=fill)
    # Other words for the rationale are shorter than the 50 characters it needs: sent as it is unless a
    # hostile change picks it, as a page's chosen button is.
    variant.fixed = {"rationale": [fill["rationale"]]}
    return [variant]


def _ask(world: World) -> list[Variant]:
    contact = _contact(world)
    address = url("consent:ask", contact.pk)
    fill = {"purpose": "mash_checks", "reason": REASON}
    variant = Variant.from_page(world.client(SW), address, page=address, fill=fill)
    variant.fixed = {"reason": [REASON]}  # another few words are too short a reason (50 characters)
    return [variant]


def _asked(world: World) -> ConsentOverride:
    contact = _contact(world)
    return services.ask_override(contact, "mash_checks", REASON, by=world.user(SW), at=timezone.now())


def _decide(world: World) -> list[Variant]:
    asked = _asked(world)
    police = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    page = url("consent:override", asked.pk)
    fill = {
        "decide-decision": "agree",
        "decide-power": "children_act_s47",
        "decide-rationale": "Risk of significant harm if we wait: share what partners need to decide today.",
        "decide-owner": str(police.pk),
        "decide-owner_agreed_by": "DS Example",
        "decide-owner_agreed_on_0": "24",
        "decide-owner_agreed_on_1": "11",
        "decide-owner_agreed_on_2": "2026",
        "decide-owner_agreed_time": "09:30",
    }
    address = url("consent:decide", asked.pk)
    variant = Variant.from_page(world.client(TM), address, page=page, fill=fill)
    variant.fixed = {"decide-rationale": [fill["decide-rationale"]]}  # another few words are too short
    return [variant]


def _withdraw(world: World) -> list[Variant]:
    asked = _asked(world)
    page = url("consent:override", asked.pk)
    address = url("consent:withdraw", asked.pk)
    return [Variant.from_page(world.client(SW), address, page=page, fill={"withdraw-note": "The mother consented"})]


def _pause(world: World) -> list[Variant]:
    contact: Contact = ContactFactory(
        team=world.team,
        received_at=RECEIVED,
        state=ContactState.AWAITING_THRESHOLD,
        referrer_kind=ReferrerKind.PROFESSIONAL,
        consent=ConsentPosition.INFORMED,
    )
    fill = {"asked": "Asked the school to talk to the mother about the referral and call back"}
    variant = Variant.from_page(world.client(SW), url("consent:pause", contact.pk), fill=fill)
    variant.fixed = {"asked": [fill["asked"]]}  # other words are too short
    return [variant]


def _resume(world: World) -> list[Variant]:
    contact: Contact = ContactFactory(
        team=world.team,
        received_at=RECEIVED,
        state=ContactState.AWAITING_CONSENT,
        referrer_kind=ReferrerKind.PROFESSIONAL,
        consent=ConsentPosition.INFORMED,
    )
    fill = {"outcome": "safeguarding", "note": "New bruising reported by the school today"}
    variant = Variant.from_page(world.client(SW), url("consent:resume", contact.pk), fill=fill)
    variant.fixed = {"note": [fill["note"]]}
    return [variant]


TARGETS = [
    Target("consent:answer", _answer),
    Target("consent:competence", _competence),
    Target("consent:ask", _ask),
    Target("consent:decide", _decide),
    Target("consent:withdraw", _withdraw),
    Target("consent:pause", _pause),
    Target("consent:resume", _resume),
]
