"""The person page says what a worker needs first: the age, the flags (an open child protection
plan, a child in care, missing, a warning for workers' safety), every relationship both ways with
parental responsibility, and a chronology of the contacts about them; a merged-away record's
address sends the worker on to the record it was merged into."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import SubjectRole
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory
from safehub.contacts.workflow import ContactState
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.decisions.models import ChildDecision, ChildRecommendation, Decision, Outcome, Recommendation, Verdict
from safehub.people.models import Person, PersonKind, RelationshipKind, Service
from safehub.people.services import record_warnings
from safehub.people.tests.factories import (
    AdultFactory,
    InvolvementFactory,
    PersonFactory,
    RelationshipFactory,
    UnbornFactory,
)
from safehub.protocols.models import LocalProtocol
from safehub.screening.models import ScreeningRoute
from safehub.screening.services import record_screening

pytestmark = pytest.mark.django_db


def _page(client: Client, person: Person) -> str:
    response = client.get(reverse("people:person", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_age_and_the_flags(social_worker_client: Client, now: dt.datetime) -> None:
    child = PersonFactory(date_of_birth=dt.date(2016, 11, 25), nhs_number="4857773456")
    InvolvementFactory(person=child, service=Service.CHILD_PROTECTION_PLAN)
    InvolvementFactory(person=child, service=Service.CHILD_IN_CARE, started_on=dt.date(2026, 2, 1))
    InvolvementFactory(person=child, service=Service.CHILD_IN_NEED, ended_on=dt.date(2026, 3, 1))
    Person.objects.filter(pk=child.pk).update(
        missing_since=dt.date(2026, 11, 22), worker_safety_warning="Dog at the address"
    )
    page = _page(social_worker_client, child)
    assert "9 years old" in page  # 10 tomorrow
    for flag in ("Child protection plan", "Child in care", "Missing since 22 November 2026", "Worker safety warning"):
        assert flag in page, flag
    assert "Workers' safety: Dog at the address" in page
    assert "485 777 3456" in page


def test_a_closed_plan_raises_no_flag(social_worker_client: Client, now: dt.datetime) -> None:
    child = PersonFactory()
    InvolvementFactory(person=child, service=Service.CHILD_PROTECTION_PLAN, ended_on=dt.date(2026, 6, 1))
    page = _page(social_worker_client, child)
    assert "Flags" not in page
    assert "Child protection plan" not in page.split("<h2")[0]


def test_an_unborn_child_is_shown_as_unborn_with_the_mother(social_worker_client: Client, now: dt.datetime) -> None:
    unborn = UnbornFactory()
    assert "Unborn, expected 20 January 2027" in _page(social_worker_client, unborn)
    mother_page = _page(social_worker_client, unborn.mother)
    assert "Unborn child" in mother_page


def test_relationships_are_shown_both_ways_with_parental_responsibility(
    social_worker_client: Client, now: dt.datetime
) -> None:
    mia = PersonFactory(given_name="Mia", family_name="Harlow")
    sam = AdultFactory(given_name="Sam", family_name="Harlow", date_of_birth=dt.date(1988, 2, 3))
    RelationshipFactory(person=sam, relative=mia, kind=RelationshipKind.PARENT, has_parental_responsibility=True)
    on_mia = _page(social_worker_client, mia)
    assert "Sam Harlow" in on_mia
    assert "Parent" in on_mia
    assert "Has parental responsibility" in on_mia
    assert "3 February 1988" in on_mia
    on_sam = _page(social_worker_client, sam)
    assert "Child" in on_sam
    assert "This person has parental responsibility" in on_sam
    assert "Parent of this person" not in on_sam  # it said Mia was Sam's parent


def test_the_chronology_lists_each_contact_with_its_concern_rating_and_outcome(
    mash_team: object, manager: User, social_worker_client: Client, now: dt.datetime
) -> None:
    child = PersonFactory()
    decided = ContactFactory(
        team=mash_team,
        state=ContactState.CLOSED,
        subject=None,
        concern_categories=["neglect"],
        received_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
    )
    subject = ContactSubjectFactory(contact=decided, person=child)
    level = LocalProtocol.objects.get(is_active=True).levels.first()
    rec = Recommendation.objects.create(contact=decided, rating="amber", rationale="x", recommended_by=manager)
    ChildRecommendation.objects.create(
        recommendation=rec, subject=subject, rating="amber", level=level, outcome=Outcome.SECTION_17_ASSESSMENT
    )
    decision = Decision.objects.create(
        contact=decided, recommendation=rec, verdict=Verdict.APPROVED, rationale="y", decided_by=manager
    )
    ChildDecision.objects.create(decision=decision, subject=subject, outcome=Outcome.SECTION_17_ASSESSMENT)
    waiting = ContactFactory(
        team=mash_team,
        state=ContactState.SCREENING,
        subject=None,
        concern_categories=["going_missing"],
        initial_rating="red",
        received_at=dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC),
    )
    ContactSubjectFactory(contact=waiting, person=child, role=SubjectRole.SIBLING)
    page = _page(social_worker_client, child)
    chronology = page[page.index("Chronology of contacts") :]
    assert chronology.index(waiting.reference) < chronology.index(decided.reference)  # newest first
    for shown in (
        "23 November 2026",
        "Going missing",
        "Red (initial)",
        "Not decided yet: in basic screening",
        "Sibling or other child in the household",
        "2 March 2026",
        "Neglect",
        "Amber",
        escape(Outcome.SECTION_17_ASSESSMENT.label),
    ):
        assert shown in chronology, shown


def test_a_contact_closed_at_screening_says_where_it_went_not_undecided(
    mash_team: object, contact_officer: User, social_worker_client: Client, now: dt.datetime
) -> None:
    """Walk-through: a contact forwarded to the child's allocated worker read "Not decided" in the
    chronology and the screening history, as if it had been dropped."""
    child = PersonFactory()
    InvolvementFactory(
        person=child, service=Service.CHILD_IN_NEED, allocated_worker="Lydia Jones", worker_email="lydia@example.org"
    )
    forwarded = ContactFactory(team=mash_team, state=ContactState.SCREENING, subject=None)
    ContactSubjectFactory(contact=forwarded, person=child)
    record_screening(
        forwarded,
        route=ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER,
        by=contact_officer,
        at=now,
        version=forwarded.version,
    )
    page = _page(social_worker_client, child)
    chronology = page[page.index("Chronology of contacts") :]
    assert "Forwarded to the allocated worker (Lydia Jones)" in chronology
    assert "Not decided" not in chronology


def test_the_chronology_leaves_out_contacts_the_user_may_not_see(
    other_team: object, social_worker_client: Client, now: dt.datetime
) -> None:
    child = PersonFactory()
    elsewhere = ContactFactory(team=other_team, subject=None)
    ContactSubjectFactory(contact=elsewhere, person=child)
    page = _page(social_worker_client, child)
    assert elsewhere.reference not in page
    assert "No contacts you can see." in page


# Warnings --------------------------------------------------------------------------------------


def test_a_worker_records_and_clears_the_warnings(
    contact_officer: User, contact_officer_client: Client, now: dt.datetime
) -> None:
    child = PersonFactory()
    url = reverse("people:record-warnings", args=[child.pk])
    assert url in _page(contact_officer_client, child)
    form = {
        "missing_since_0": "22",
        "missing_since_1": "11",
        "missing_since_2": "2026",
        "worker_safety_warning": "Dog",
        "version": "0",
    }
    done = contact_officer_client.post(url, form, follow=True)
    assert done.redirect_chain[-1][0] == reverse("people:person", args=[child.pk])
    assert "Missing since 22 November 2026" in done.content.decode()
    child.refresh_from_db()
    assert (child.missing_since, child.worker_safety_warning, child.version) == (dt.date(2026, 11, 22), "Dog", 1)
    event = AuditEvent.objects.get(verb=Verb.PERSON_WARNINGS_RECORDED)
    assert (event.person_id, event.by_id) == (child.pk, contact_officer.pk)
    assert event.data == {
        "missing": True,
        "was_missing": False,
        "worker_safety_warning": True,
        "had_worker_safety_warning": False,
    }
    stale = contact_officer_client.post(url, {**form, "worker_safety_warning": "", "version": "0"})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()
    cleared = contact_officer_client.post(url, {"worker_safety_warning": "", "version": "1"}, follow=True)
    assert "Missing since" not in cleared.content.decode()
    child.refresh_from_db()
    assert (child.missing_since, child.worker_safety_warning) == (None, "")


def test_a_missing_date_in_the_future_is_refused(
    contact_officer: User, contact_officer_client: Client, now: dt.datetime
) -> None:
    child = PersonFactory()
    url = reverse("people:record-warnings", args=[child.pk])
    bad = contact_officer_client.post(
        url, {"missing_since_0": "1", "missing_since_1": "12", "missing_since_2": "2026", "version": "0"}
    )
    assert bad.status_code == 200
    assert "must be today or in the past" in bad.content.decode()
    with pytest.raises(DomainError):
        record_warnings(
            child, missing_since=dt.date(2026, 12, 1), worker_safety_warning="", by=contact_officer, at=now, version=0
        )
    child.refresh_from_db()
    assert child.missing_since is None
    with pytest.raises(ConcurrentChange):
        record_warnings(child, missing_since=None, worker_safety_warning="x", by=contact_officer, at=now, version=7)


# Merged records --------------------------------------------------------------------------------


def _merge(merged: Person, into: Person) -> None:
    Person.objects.filter(pk=merged.pk).update(merged_into=into)


def test_a_merged_away_address_sends_on_to_the_surviving_record_with_a_notice(
    social_worker: User, social_worker_client: Client, now: dt.datetime
) -> None:
    kept, middle, merged = PersonFactory(), PersonFactory(), PersonFactory(local_id="P0000999")
    _merge(merged, middle)
    _merge(middle, kept)  # the record it was merged into was merged again later
    response = social_worker_client.get(reverse("people:person", args=[merged.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person", args=[kept.pk])
    page = social_worker_client.get(response["Location"]).content.decode()
    assert "govuk-notification-banner" in page
    assert "P0000999" in page
    assert "was merged into this one" in page
    followed = AuditEvent.objects.get(verb=Verb.MERGED_PERSON_FOLLOWED)
    assert (followed.person_id, followed.by_id) == (merged.pk, social_worker.pk)
    assert followed.data == {"page": "person", "merged": merged.pk, "survivor": kept.pk}
    assert AuditEvent.objects.filter(verb=Verb.PERSON_VIEWED, person=kept).exists()


def test_a_user_who_may_not_see_the_survivor_still_gets_404(police_partner_client: Client, now: dt.datetime) -> None:
    kept, merged = PersonFactory(), PersonFactory()
    _merge(merged, kept)
    assert police_partner_client.get(reverse("people:person", args=[merged.pk])).status_code == 404
    assert not AuditEvent.objects.filter(verb=Verb.MERGED_PERSON_FOLLOWED).exists()
    assert AuditEvent.objects.filter(verb=Verb.READ_REFUSED, person=merged).exists()


def test_a_live_record_and_an_unknown_address_are_not_sent_anywhere(
    social_worker_client: Client, now: dt.datetime
) -> None:
    live = PersonFactory(kind=PersonKind.CHILD)
    assert social_worker_client.get(reverse("people:person", args=[live.pk])).status_code == 200
    assert social_worker_client.get(reverse("people:person", args=[999999])).status_code == 404
