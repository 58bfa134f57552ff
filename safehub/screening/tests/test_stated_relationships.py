"""Linking a contact's people at screening records the relationships the contact states between
them (a parent to the child and siblings, the child and siblings to each other, a household
member or alleged perpetrator to the child), so the next contact about any of them finds the
family; nothing is recorded twice, nobody is related to themselves, and an other adult or a
removed subject states nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact, ContactSubject, SubjectRole
from safehub.contacts.tests.factories import ContactInScreeningFactory, ContactSubjectFactory
from safehub.matching.models import PersonIndexEntry
from safehub.people.households import family_of
from safehub.people.models import Person, PersonKind, Relationship, RelationshipKind
from safehub.people.tests.factories import AdultFactory, PersonFactory, RelationshipFactory
from safehub.screening.services import identify_subject

pytestmark = pytest.mark.django_db


def _family_contact(team: Any, *extra: tuple[str, str, str]) -> Contact:
    """Amelia (the child), her brother Oliver and their mother Rachel, with parental responsibility."""
    contact: Contact = ContactInScreeningFactory(team=team, subject=None)
    ContactSubjectFactory(contact=contact, given_name="Amelia", family_name="Brook", role=SubjectRole.CHILD)
    ContactSubjectFactory(
        contact=contact,
        given_name="Oliver",
        family_name="Brook",
        sex="male",
        date_of_birth=dt.date(2019, 3, 2),
        role=SubjectRole.SIBLING,
    )
    ContactSubjectFactory(
        contact=contact,
        given_name="Rachel",
        family_name="Brook",
        date_of_birth=dt.date(1990, 7, 9),
        kind=PersonKind.ADULT,
        role=SubjectRole.PARENT,
        has_parental_responsibility=True,
    )
    for given, role, kind in extra:
        ContactSubjectFactory(
            contact=contact,
            given_name=given,
            family_name="Stone",
            date_of_birth=dt.date(1985, 1, 1),
            kind=kind,
            role=role,
        )
    return contact


def _link_all(contact: Contact, by: Any, at: dt.datetime) -> dict[str, Person]:
    linked = {}
    for subject in contact.subjects.order_by("pk"):
        contact.refresh_from_db()
        linked[subject.given_name] = identify_subject(subject, person=None, by=by, at=at, version=contact.version)
    return linked


def _held() -> set[tuple[str, str, str, bool]]:
    return {
        (r.person.given_name, r.relative.given_name, r.kind, r.has_parental_responsibility)
        for r in Relationship.objects.select_related("person", "relative")
    }


def _page(client: Client, person: Person) -> str:
    response = client.get(reverse("people:person", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _relatives(page: str) -> set[tuple[str, str, str]]:
    """The person page's family table: (name, what they are to this person, parental responsibility)."""
    assert "No relationships recorded" not in page
    table = page.split("Family and household", 1)[1].split("</table>", 1)[0]
    cells = r'<td class="govuk-table__cell">\s*(?:<a [^>]*>)?([^<]*?)(?:</a>)?\s*</td>'
    rows = re.findall(r'<tr class="govuk-table__row">\s*' + r"\s*".join([cells] * 4), table)
    return {(name, description, responsibility) for name, description, _born, responsibility in rows}


def test_a_family_contact_records_the_family(
    contact_officer: Any, social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    people = _link_all(_family_contact(mash_team), contact_officer, now)
    assert _held() == {
        ("Amelia", "Oliver", RelationshipKind.SIBLING, False),
        ("Rachel", "Amelia", RelationshipKind.PARENT, True),
        ("Rachel", "Oliver", RelationshipKind.PARENT, True),
    }
    events = AuditEvent.objects.filter(verb=Verb.RELATIONSHIP_RECORDED)
    assert events.count() == 3
    assert {e.person_id for e in events} == {people["Amelia"].pk, people["Rachel"].pk}
    # The next contact about Oliver finds his sister and mother.
    assert family_of([people["Oliver"].pk]) == {p.pk for p in people.values()}
    assert _relatives(_page(social_worker_client, people["Amelia"])) == {
        ("Oliver Brook", "Sibling", ""),
        ("Rachel Brook", "Parent", "Has parental responsibility"),
    }
    assert _relatives(_page(social_worker_client, people["Oliver"])) == {
        ("Amelia Brook", "Sibling", ""),
        ("Rachel Brook", "Parent", "Has parental responsibility"),
    }
    assert _relatives(_page(social_worker_client, people["Rachel"])) == {
        ("Amelia Brook", "Child", "This person has parental responsibility"),
        ("Oliver Brook", "Child", "This person has parental responsibility"),
    }


def test_a_parent_s_name_finds_the_child_in_the_index(contact_officer: Any, mash_team: Any, now: dt.datetime) -> None:
    people = _link_all(_family_contact(mash_team), contact_officer, now)
    for child in ("Amelia", "Oliver"):
        assert PersonIndexEntry.objects.get(person=people[child]).features["parent_names"] == ["rachel"]


def test_linking_again_records_nothing_twice(contact_officer: Any, mash_team: Any, now: dt.datetime) -> None:
    contact = _family_contact(mash_team)
    people = _link_all(contact, contact_officer, now)
    before = _held()
    # Re-linking each subject to the same record (still in screening), and a second contact
    # naming the same family, add nothing.
    for subject in contact.subjects.order_by("pk"):
        contact.refresh_from_db()
        identify_subject(
            subject, person=people[subject.given_name], by=contact_officer, at=now, version=contact.version
        )
    again = _family_contact(mash_team)
    for subject in again.subjects.order_by("pk"):
        again.refresh_from_db()
        identify_subject(subject, person=people[subject.given_name], by=contact_officer, at=now, version=again.version)
    assert _held() == before
    assert AuditEvent.objects.filter(verb=Verb.RELATIONSHIP_RECORDED).count() == 3


def test_a_sibling_held_the_other_way_round_is_not_recorded_again(
    contact_officer: Any, mash_team: Any, now: dt.datetime
) -> None:
    contact = _family_contact(mash_team)
    amelia = identify_subject(
        contact.subjects.get(given_name="Amelia"), person=None, by=contact_officer, at=now, version=contact.version
    )
    oliver = PersonFactory(given_name="Oliver", family_name="Brook")
    RelationshipFactory(person=oliver, relative=amelia, kind=RelationshipKind.SIBLING)
    contact.refresh_from_db()
    identify_subject(
        contact.subjects.get(given_name="Oliver"), person=oliver, by=contact_officer, at=now, version=contact.version
    )
    assert Relationship.objects.filter(kind=RelationshipKind.SIBLING).count() == 1


def test_an_other_adult_is_related_to_nobody(contact_officer: Any, mash_team: Any, now: dt.datetime) -> None:
    contact = _family_contact(mash_team, ("Dev", SubjectRole.OTHER_ADULT, PersonKind.ADULT))
    people = _link_all(contact, contact_officer, now)
    dev = people["Dev"]
    assert not Relationship.objects.filter(person=dev).exists()
    assert not Relationship.objects.filter(relative=dev).exists()


def test_a_household_member_and_an_alleged_perpetrator_are_related_to_the_child(
    contact_officer: Any, mash_team: Any, now: dt.datetime
) -> None:
    contact = _family_contact(
        mash_team,
        ("Gary", SubjectRole.HOUSEHOLD_MEMBER, PersonKind.ADULT),
        ("Kyle", SubjectRole.ALLEGED_PERPETRATOR, PersonKind.ADULT),
    )
    _link_all(contact, contact_officer, now)
    held = _held()
    assert ("Gary", "Amelia", RelationshipKind.HOUSEHOLD_MEMBER, False) in held
    assert ("Kyle", "Amelia", RelationshipKind.ALLEGED_PERPETRATOR, False) in held
    assert not {r for r in held if r[0] in {"Gary", "Kyle"} and r[1] != "Amelia"}


def test_the_same_person_twice_on_a_contact_is_not_related_to_themselves(
    contact_officer: Any, mash_team: Any, now: dt.datetime
) -> None:
    contact = _family_contact(mash_team)
    amelia = identify_subject(
        contact.subjects.get(given_name="Amelia"), person=None, by=contact_officer, at=now, version=contact.version
    )
    contact.refresh_from_db()
    identify_subject(
        contact.subjects.get(given_name="Oliver"), person=amelia, by=contact_officer, at=now, version=contact.version
    )
    assert not Relationship.objects.exists()


def test_a_removed_subject_states_no_relationship(contact_officer: Any, mash_team: Any, now: dt.datetime) -> None:
    contact = _family_contact(mash_team)
    rachel = contact.subjects.get(given_name="Rachel")
    mum = AdultFactory(given_name="Rachel", family_name="Brook")
    ContactSubject.everyone.filter(pk=rachel.pk).update(person=mum, removed_at=now)
    _link_all(contact, contact_officer, now)
    assert _held() == {("Amelia", "Oliver", RelationshipKind.SIBLING, False)}
