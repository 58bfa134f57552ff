from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import ContactSubject
from safehub.contacts.tests.factories import ContactFactory
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.matching import duplicates
from safehub.matching.index import index_people
from safehub.matching.models import BlockingKey, DuplicatePair, Merge, PairStatus
from safehub.people.models import Involvement, Person, Relationship, RelationshipKind, Service, Sex
from safehub.people.tests.factories import (
    AddressFactory,
    AdultFactory,
    InvolvementFactory,
    PersonFactory,
    RelationshipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def twice_recorded() -> tuple[Person, Person]:
    """One boy recorded twice (a nickname and a day-month swap), with a twin sister who is not him."""
    home = AddressFactory(line_1="3 Mill Lane", postcode="DA6 7AT")
    first = PersonFactory(
        given_name="Frederick",
        family_name="Hughes",
        sex=Sex.MALE,
        date_of_birth=dt.date(2017, 4, 8),
        address=home,
        local_id="P0000101",
    )
    second = PersonFactory(
        given_name="Freddie",
        family_name="Hughes",
        sex=Sex.MALE,
        date_of_birth=dt.date(2017, 8, 4),
        address=AddressFactory(line_1="3 Mill Lane", postcode="DA6 7AT"),
        local_id="P0000102",
    )
    PersonFactory(
        given_name="Isla",
        family_name="Hughes",
        sex=Sex.FEMALE,
        date_of_birth=dt.date(2017, 4, 8),
        address=home,
        local_id="P0000103",
    )
    index_people()
    return first, second


def _pair(left: Person, right: Person) -> DuplicatePair:
    a, b = sorted([left, right], key=lambda p: p.pk)
    return DuplicatePair.objects.create(
        left=a, right=b, probability=0.95, found_at=dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    )


def test_find_duplicates_queues_the_same_child_but_not_the_twin(
    twice_recorded: tuple[Person, Person], now: dt.datetime
) -> None:
    result = duplicates.find_duplicates(at=now)
    pairs = {(p.left_id, p.right_id) for p in DuplicatePair.objects.all()}
    first, second = twice_recorded
    assert (min(first.pk, second.pk), max(first.pk, second.pk)) in pairs
    isla = Person.objects.get(given_name="Isla")
    assert not any(isla.pk in pair for pair in pairs)
    assert result.new == len(pairs)
    assert AuditEvent.objects.filter(verb=Verb.DUPLICATES_FOUND).count() == 1


def test_finding_again_adds_nothing_and_never_reasks_a_decided_pair(
    twice_recorded: tuple[Person, Person], now: dt.datetime, manager: User
) -> None:
    duplicates.find_duplicates(at=now)
    pair = DuplicatePair.objects.get()
    duplicates.mark_not_same(pair, by=manager, at=now, version=pair.version)
    again = duplicates.find_duplicates(at=now)
    assert again.new == 0
    assert DuplicatePair.objects.get().status == PairStatus.NOT_SAME
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_merge_moves_every_link_and_unmerge_restores_them(
    twice_recorded: tuple[Person, Person], now: dt.datetime, manager: User
) -> None:
    kept, other = twice_recorded
    mother = AdultFactory(given_name="Ruth", family_name="Hughes")
    RelationshipFactory(person=mother, relative=kept, kind=RelationshipKind.PARENT)
    moved_relationship = RelationshipFactory(person=mother, relative=other, kind=RelationshipKind.CARER)
    duplicate_relationship = RelationshipFactory(person=mother, relative=other, kind=RelationshipKind.PARENT)
    involvement = InvolvementFactory(person=other, service=Service.EARLY_HELP, started_on=dt.date(2025, 1, 6))
    subject = ContactFactory().subjects.create(order=9, given_name="Freddie", family_name="Hughes", person=other)
    pair = _pair(kept, other)

    done = duplicates.merge(pair, keep=kept, by=manager, at=now, version=pair.version)

    other.refresh_from_db()
    assert other.merged_into == kept
    assert Involvement.objects.get(pk=involvement.pk).person == kept
    assert ContactSubject.objects.get(pk=subject.pk).person == kept
    assert Relationship.objects.get(pk=moved_relationship.pk).relative == kept
    # The kept record already has this relationship: it stays on the merged record, hidden with it.
    assert Relationship.objects.get(pk=duplicate_relationship.pk).relative == other
    assert not BlockingKey.objects.filter(person=other).exists()
    assert Person.objects.visible_to(manager).filter(pk=other.pk).count() == 0
    event = AuditEvent.objects.get(verb=Verb.PERSONS_MERGED)
    assert event.by == manager
    assert event.data["merged"] == other.pk

    duplicates.unmerge(done, by=manager, at=now)

    assert Person.objects.get(pk=other.pk).merged_into is None
    assert Involvement.objects.get(pk=involvement.pk).person == other
    assert ContactSubject.objects.get(pk=subject.pk).person == other
    assert Relationship.objects.get(pk=moved_relationship.pk).relative == other
    assert BlockingKey.objects.filter(person=other).exists()
    assert DuplicatePair.objects.get(pk=pair.pk).status == PairStatus.PENDING
    assert Merge.objects.get(pk=done.pk).undone_by == manager
    assert AuditEvent.objects.filter(verb=Verb.PERSONS_UNMERGED).count() == 1


def test_a_stale_decision_is_refused_and_changes_nothing(
    twice_recorded: tuple[Person, Person], now: dt.datetime, manager: User, second_manager: User
) -> None:
    kept, other = twice_recorded
    pair = _pair(kept, other)
    seen = pair.version
    duplicates.mark_not_same(pair, by=second_manager, at=now, version=seen)
    with pytest.raises(ConcurrentChange):
        duplicates.merge(DuplicatePair.objects.get(pk=pair.pk), keep=kept, by=manager, at=now, version=seen)
    assert not Person.objects.filter(merged_into__isnull=False).exists()
    assert not Merge.objects.exists()


def test_an_undone_merge_cannot_be_undone_twice(
    twice_recorded: tuple[Person, Person], now: dt.datetime, manager: User
) -> None:
    kept, other = twice_recorded
    pair = _pair(kept, other)
    done = duplicates.merge(pair, keep=kept, by=manager, at=now, version=pair.version)
    duplicates.unmerge(done, by=manager, at=now)
    with pytest.raises(DomainError, match="already been undone"):
        duplicates.unmerge(Merge.objects.get(pk=done.pk), by=manager, at=now)


def test_only_reviewers_may_merge(twice_recorded: tuple[Person, Person], now: dt.datetime, social_worker: User) -> None:
    kept, other = twice_recorded
    pair = _pair(kept, other)
    with pytest.raises(PermissionDenied):
        duplicates.merge(pair, keep=kept, by=social_worker, at=now, version=pair.version)
    assert DuplicatePair.objects.get(pk=pair.pk).status == PairStatus.PENDING


def test_keeping_a_third_person_is_refused(
    twice_recorded: tuple[Person, Person], now: dt.datetime, manager: User
) -> None:
    kept, other = twice_recorded
    pair = _pair(kept, other)
    with pytest.raises(DomainError):
        duplicates.merge(pair, keep=PersonFactory(), by=manager, at=now, version=pair.version)


def test_review_page_merges_and_undoes(
    twice_recorded: tuple[Person, Person], now: dt.datetime, manager_client: Client
) -> None:
    kept, other = twice_recorded
    pair = _pair(kept, other)
    url = reverse("matching:pair", args=[pair.pk])
    page = manager_client.get(url)
    assert page.status_code == 200
    assert b"Why " in page.content  # the explanation
    assert AuditEvent.objects.filter(verb=Verb.PERSON_VIEWED, person=kept).exists()

    response = manager_client.post(url, {"version": pair.version, "decision": str(kept.pk)})
    assert response.status_code == 302
    assert Person.objects.get(pk=other.pk).merged_into == kept

    again = manager_client.post(url, {"version": pair.version, "decision": str(kept.pk)})
    assert again.status_code == 200  # already decided: shown, nothing done twice
    assert Merge.objects.count() == 1

    undo = manager_client.post(reverse("matching:undo-merge", args=[Merge.objects.get().pk]))
    assert undo.status_code == 302
    assert Person.objects.get(pk=other.pk).merged_into is None


def test_review_page_requires_a_decision(
    twice_recorded: tuple[Person, Person], now: dt.datetime, manager_client: Client
) -> None:
    pair = _pair(*twice_recorded)
    response = manager_client.post(reverse("matching:pair", args=[pair.pk]), {"version": pair.version})
    assert response.status_code == 200
    assert b"Select whether these are the same person" in response.content
    assert DuplicatePair.objects.get(pk=pair.pk).status == PairStatus.PENDING


def test_unknown_pair_is_not_found(manager_client: Client) -> None:
    assert manager_client.get(reverse("matching:pair", args=[999999])).status_code == 404
