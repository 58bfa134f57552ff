"""Fuzz targets for the front door: recording a contact, restricting and allocating it, and amending it."""

from __future__ import annotations

from safehub.accounts.models import Role
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory
from safehub.contacts.workflow import ContactState
from tests.fuzz.harness import Target, Variant, World, url

CO, TM = Role.CONTACT_OFFICER, Role.TEAM_MANAGER

A_CONTACT = {
    "received_on_0": "24",
    "received_on_1": "11",
    "received_on_2": "2026",
    "received_time": "09:15",
    "channel": "phone",
    "source": "2A",
    "referrer_kind": "professional",
    "referrer_name": "Priya Shah",
    "referrer_role": "Designated safeguarding lead",
    "referrer_agency": "Example Primary School",
    "concern_categories": ["neglect"],
    "narrative": "Arrived hungry on several days.",
    "immediate_protection": "no",
    "parents_aware": "yes",
    "parents_agree": "yes",
    "consent": "given",
}
A_CHILD = {
    "role": "child",
    "kind": "child",
    "given_name": "Mia",
    "family_name": "Harlow",
    "sex": "female",
    "date_of_birth_0": "17",
    "date_of_birth_1": "5",
    "date_of_birth_2": "2016",
    "postcode": "DA6 7AT",
}


def _contact(world: World, state: ContactState) -> Contact:
    contact: Contact = ContactFactory(team=world.team, state=state)
    return contact


def _record_contact(world: World) -> list[Variant]:
    client = world.client(CO)
    address = url("contacts:record-contact")
    child = {f"person-0-{name}": value for name, value in A_CHILD.items()}
    variants = [
        Variant.from_page(client, address, fill={**A_CONTACT, **child}),
        # "Add another person" and "Remove": the page is drawn again with what was typed.
        Variant.from_page(client, address, fill={**A_CONTACT, **child}, button=("add-person", "1")),
        Variant.from_page(client, address, fill={**A_CONTACT, **child, "remove-person-0": "1"}),
    ]
    for variant in variants:  # the page reads the number of the person removed from the button's name
        variant.extra_names = ["remove-person-²", "remove-person-99999999999999999999", "remove-person-x"]
    return variants


def _record_contact_passed(response: object) -> bool:
    return getattr(response, "status_code", 0) in (200, 302) and b"There is a problem" not in getattr(
        response, "content", b""
    )


def _restrict(world: World) -> list[Variant]:
    contact = _contact(world, ContactState.AWAITING_THRESHOLD)
    client = world.client(TM)
    address = url("contacts:restrict", contact.pk)
    social_worker = world.user(Role.SOCIAL_WORKER)
    restricted = _contact(world, ContactState.AWAITING_THRESHOLD)
    lift = url("contacts:restrict", restricted.pk)
    restricted.refresh_from_db()
    made = {"version": restricted.version, "people": [social_worker.pk], "reason": "A staff member's child"}
    assert client.post(lift, made).status_code == 302
    return [
        Variant.from_page(
            client, address, fill={"people": [str(social_worker.pk)], "reason": "A staff member's child"}
        ),
        Variant.from_page(client, lift, button=("action", "lift")),
    ]


def _allocate(world: World) -> list[Variant]:
    contact = _contact(world, ContactState.AWAITING_THRESHOLD)
    worker = world.user(Role.SOCIAL_WORKER)
    return [Variant.from_page(world.client(TM), url("contacts:allocate", contact.pk), fill={"worker": str(worker.pk)})]


def _amend(world: World) -> list[Variant]:
    contact = _contact(world, ContactState.AWAITING_THRESHOLD)
    return [Variant.from_page(world.client(CO), url("contacts:amend", contact.pk), fill={"change": "information"})]


def _add_person(world: World) -> list[Variant]:
    contact = _contact(world, ContactState.AWAITING_THRESHOLD)
    fill = {**A_CHILD, "given_name": "Leo", "role": "sibling", "reason": "The school told us about him"}
    return [Variant.from_page(world.client(CO), url("contacts:amend-add-person", contact.pk), fill=fill)]


def _remove_person(world: World) -> list[Variant]:
    contact = _contact(world, ContactState.AWAITING_THRESHOLD)
    sibling = ContactSubjectFactory(contact=contact, role="sibling", order=1)
    fill = {"subject": str(sibling.pk), "reason": "Named by mistake"}
    return [Variant.from_page(world.client(CO), url("contacts:amend-remove-person", contact.pk), fill=fill)]


def _correct_contact(world: World) -> list[Variant]:
    contact = _contact(world, ContactState.AWAITING_THRESHOLD)
    fill = {"referrer_name": "Priya Shahid", "reason": "The referrer's name was misspelt"}
    return [Variant.from_page(world.client(CO), url("contacts:amend-details", contact.pk), fill=fill)]


def _correct_person(world: World) -> list[Variant]:
    contact = _contact(world, ContactState.AWAITING_THRESHOLD)
    subject = contact.subjects.get()
    fill = {"given_name": "Mila", "reason": "The hospital confirmed her name"}
    return [Variant.from_page(world.client(CO), url("contacts:amend-person", contact.pk, subject.pk), fill=fill)]


def _information(world: World) -> list[Variant]:
    contact = _contact(world, ContactState.AWAITING_THRESHOLD)
    fill = {"information": "Mum called: they have moved", "source": "The child's mother by phone"}
    return [Variant.from_page(world.client(CO), url("contacts:amend-information", contact.pk), fill=fill)]


TARGETS = [
    Target("contacts:record-contact", _record_contact, passed=_record_contact_passed),
    Target("contacts:restrict", _restrict),
    Target("contacts:allocate", _allocate),
    Target("contacts:amend", _amend),
    Target("contacts:amend-add-person", _add_person),
    Target("contacts:amend-remove-person", _remove_person),
    Target("contacts:amend-details", _correct_contact),
    Target("contacts:amend-person", _correct_person),
    Target("contacts:amend-information", _information),
]
