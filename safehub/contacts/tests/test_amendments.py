"""Amending a contact after intake (contacts.amendments, ADR 0018): each kind, its audit event with
the values before and after, the states that allow it, stale forms and double submissions, and
addenda after the decision that leave what the decision saw as it was."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts import amendments, known
from safehub.contacts.models import (
    Amendment,
    AmendmentKind,
    ConsentPosition,
    Contact,
    ContactSearchTerm,
    ContactSubject,
    SubjectRole,
)
from safehub.contacts.permissions import AMENDMENTS, DECIDED_STATES
from safehub.contacts.rules import IDENTIFYING_REFERRER_FIELDS
from safehub.contacts.tests.factories import (
    SIBLING,
    ContactApprovedFactory,
    ContactAwaitingThresholdFactory,
    ContactFactory,
    ContactSubjectFactory,
)
from safehub.contacts.workflow import ContactState
from safehub.core.errors import ConcurrentChange, DomainError, Refused
from safehub.people.models import PersonKind
from safehub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
K = AmendmentKind


def _events(contact: Contact) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=Verb.CONTACT_AMENDED, contact=contact))


def _digest(text: str) -> str:
    return f"sha256:{hashlib.sha256(text.encode()).hexdigest()}"


def _mia(contact: Contact) -> ContactSubject:
    return contact.subjects.get(given_name="Mia")


def test_a_sibling_found_later_joins_the_contact_not_yet_identified(
    social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    done = amendments.add_person(
        contact, SIBLING, reason="School told us", by=social_worker, at=now, version=0, submission_key=uuid.uuid4()
    )
    assert done.created
    leo = contact.subjects.get(given_name="Leo")
    assert leo.person is None  # not identified yet: screening links him (screening.views.identify_people)
    assert leo.order == _mia(contact).order + 1
    amendment = done.amendment
    assert (amendment.kind, amendment.subject, amendment.after_decision) == (K.PERSON_ADDED, leo, False)
    assert amendment.changes["given_name"] == {"from": None, "to": "Leo"}
    assert amendment.changes["date_of_birth"] == {"from": None, "to": "2019-03-02"}
    contact.refresh_from_db()
    assert contact.version == 1
    # Find a contact finds it by him now.
    assert ContactSearchTerm.objects.filter(contact=contact, term="w:leo").exists()
    (event,) = _events(contact)
    assert event.data["kind"] == "person_added"
    assert event.data["subject"] == leo.pk
    assert event.data["changes"]["date_of_birth"] == {"from": None, "to": "2019-03-02"}
    assert event.data["changes"]["role"] == {"from": None, "to": "sibling"}
    assert event.data["changes"]["given_name"] == {"from": None, "to": _digest("Leo")}  # names only as digests


def test_a_person_added_needs_a_valid_description_and_a_reason(
    social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    bad = {**SIBLING, "date_of_birth": dt.date(2030, 1, 1)}
    with pytest.raises(Refused) as refused:
        amendments.add_person(contact, bad, reason=" ", by=social_worker, at=now, version=0)
    assert {p.field for p in refused.value.problems} == {"date_of_birth", "reason"}
    assert contact.subjects.count() == 1
    assert not Amendment.objects.exists()
    assert _events(contact) == []


def test_removing_someone_marks_them_removed_and_never_deletes_them(
    social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    aunt = ContactSubjectFactory(contact=contact, role=SubjectRole.OTHER_ADULT, kind=PersonKind.ADULT, given_name="Jo")
    done = amendments.remove_person(contact, aunt, reason="Named by mistake", by=social_worker, at=now, version=0)
    assert list(contact.subjects.all()) == [_mia(contact)]
    kept = ContactSubject.everyone.get(pk=aunt.pk)
    assert kept.removed_at == now
    assert done.amendment.subject == kept
    assert done.amendment.reason == "Named by mistake"
    (event,) = _events(contact)
    assert event.data["changes"] == {"removed": {"from": False, "to": True}}
    assert "reason" not in event.data  # free text stays on the amendment, out of the trail
    assert not ContactSearchTerm.objects.filter(contact=contact, term="w:jo").exists()


def test_the_last_child_cannot_be_removed(social_worker: User, mash_team: Any, now: dt.datetime) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    with pytest.raises(DomainError, match="Mia Harlow is the only child on this contact"):
        amendments.remove_person(contact, _mia(contact), reason="Wrong", by=social_worker, at=now, version=0)
    assert _mia(contact).removed_at is None
    # With a sibling added, either child may go, not both.
    amendments.add_person(contact, SIBLING, reason="Found", by=social_worker, at=now, version=0)
    amendments.remove_person(contact, _mia(contact), reason="Wrong family", by=social_worker, at=now, version=1)
    leo = contact.subjects.get()
    with pytest.raises(DomainError, match="Leo Harlow is the only child"):
        amendments.remove_person(contact, leo, reason="Wrong", by=social_worker, at=now, version=2)


def test_a_correction_changes_the_contact_and_keeps_the_old_value(
    contact_officer: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team, state=ContactState.SCREENING)
    mia = _mia(contact)
    fields = {**known.known_subject_values(mia), "date_of_birth": dt.date(2016, 6, 17), "given_name": "Mya"}
    done = amendments.correct_person(
        contact, mia, fields, reason="Hospital records", by=contact_officer, at=now, version=0
    )
    mia.refresh_from_db()
    assert (mia.given_name, mia.date_of_birth) == ("Mya", dt.date(2016, 6, 17))
    assert done.amendment.changes == {
        "given_name": {"from": "Mia", "to": "Mya"},
        "date_of_birth": {"from": "2016-05-17", "to": "2016-06-17"},
    }
    (event,) = _events(contact)
    assert event.data["changes"]["date_of_birth"] == {"from": "2016-05-17", "to": "2016-06-17"}
    assert event.data["changes"]["given_name"] == {"from": _digest("Mia"), "to": _digest("Mya")}
    assert ContactSearchTerm.objects.filter(contact=contact, term="w:mya").exists()


def test_correcting_the_concern_records_what_changed_and_digests_free_text(
    social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    before = contact.narrative
    fields = {**known.known_contact_values(contact), "narrative": "Hungry most days.", "source": "3A"}
    done = amendments.correct_contact(contact, fields, reason="Typed wrongly", by=social_worker, at=now, version=0)
    contact.refresh_from_db()
    assert (contact.narrative, contact.source) == ("Hungry most days.", "3A")
    assert set(done.amendment.changes) == {"narrative", "source"}
    (event,) = _events(contact)
    assert event.data["changes"]["source"] == {"from": "2A", "to": "3A"}
    assert event.data["changes"]["narrative"] == {"from": _digest(before), "to": _digest("Hungry most days.")}


def test_a_family_not_told_after_all_needs_why_and_told_after_all_drops_it(
    social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    """002 §22: the family is not told only for a reason the seeds allow, each with why; a correction
    saying so asks for them as the contact form does, and one saying they were told drops them."""
    contact = ContactAwaitingThresholdFactory(team=mash_team, consent=ConsentPosition.INFORMED)
    fields = {**known.known_contact_values(contact), "consent": ConsentPosition.NOT_INFORMED_SAFEGUARDING}
    with pytest.raises(Refused) as refused:
        amendments.correct_contact(contact, fields, reason="Rang back", by=social_worker, at=now, version=0)
    # The parents cannot then know of the contact, or agree to it (walk-through).
    assert [p.field for p in refused.value.problems] == ["parents_aware", "parents_agree", "not_told_reasons"]
    fields |= {"parents_aware": "no", "parents_agree": "no"}
    with pytest.raises(Refused) as refused:
        amendments.correct_contact(contact, fields, reason="Rang back", by=social_worker, at=now, version=0)
    assert [p.field for p in refused.value.problems] == ["not_told_reasons"]
    fields["not_told"] = {"increased_risk": ""}
    with pytest.raises(Refused, match="Say how telling them would increase the risk"):
        amendments.correct_contact(contact, fields, reason="Rang back", by=social_worker, at=now, version=0)
    assert not Amendment.objects.exists()

    fields["not_told"] = {"increased_risk": "  He hits her when challenged "}
    done = amendments.correct_contact(contact, fields, reason="Rang back", by=social_worker, at=now, version=0)
    contact.refresh_from_db()
    assert contact.not_told == {"increased_risk": "He hits her when challenged"}
    assert done.amendment.changes["not_told"] == {"from": {}, "to": {"increased_risk": "He hits her when challenged"}}

    told = {**known.known_contact_values(contact), "consent": ConsentPosition.INFORMED}
    amendments.correct_contact(contact, told, reason="Mum was told", by=social_worker, at=now, version=1)
    contact.refresh_from_db()
    assert (contact.consent, contact.not_told) == (ConsentPosition.INFORMED, {})


def test_a_correction_that_changes_nothing_is_refused(social_worker: User, mash_team: Any, now: dt.datetime) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    fields = known.known_contact_values(contact)
    with pytest.raises(DomainError, match="You have not changed any detail"):
        amendments.correct_contact(contact, fields, reason="Nothing", by=social_worker, at=now, version=0)
    contact.refresh_from_db()
    assert contact.version == 0


def test_a_professional_referrer_keeps_a_name_and_an_anonymous_one_keeps_none(
    social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    fields = {**known.known_contact_values(contact), "referrer_name": ""}
    with pytest.raises(Refused, match="Enter the referrer's name"):
        amendments.correct_contact(contact, fields, reason="x", by=social_worker, at=now, version=0)
    fields["referrer_kind"] = "anonymous"
    fields.update(dict.fromkeys(IDENTIFYING_REFERRER_FIELDS, ""))
    amendments.correct_contact(contact, fields, reason="Asked not to be named", by=social_worker, at=now, version=0)
    contact.refresh_from_db()
    assert (contact.referrer_kind, contact.referrer_name, contact.referrer_agency) == ("anonymous", "", "")


def test_a_correction_to_anonymous_that_keeps_identifying_details_is_refused(
    social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team, referrer_role="Designated safeguarding lead")
    fields = {**known.known_contact_values(contact), "referrer_kind": "anonymous", "referrer_name": ""}
    with pytest.raises(Refused) as refused:
        amendments.correct_contact(contact, fields, reason="Asked not to be named", by=social_worker, at=now, version=0)
    assert [(p.field, p.message[:40]) for p in refused.value.problems] == [
        ("referrer_kind", "The referrer asked to stay anonymous: le")
    ]
    contact.refresh_from_db()
    assert (contact.version, contact.referrer_kind, contact.referrer_role) == (
        0,
        "professional",
        "Designated safeguarding lead",
    )
    assert not contact.amendments.exists()


def test_information_needs_what_and_where_from(social_worker: User, mash_team: Any, now: dt.datetime) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    with pytest.raises(Refused) as refused:
        amendments.add_information(contact, " ", source="", by=social_worker, at=now, version=0)
    assert {p.field for p in refused.value.problems} == {"information", "reason"}
    done = amendments.add_information(
        contact, "Dad moved back in last week.", source="Mother, by phone", by=social_worker, at=now, version=0
    )
    assert (done.amendment.information, done.amendment.reason) == ("Dad moved back in last week.", "Mother, by phone")
    (event,) = _events(contact)
    assert event.data["changes"] == {}
    assert "information" not in event.data


def test_a_stale_form_is_refused_and_changes_nothing(social_worker: User, mash_team: Any, now: dt.datetime) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    amendments.add_information(contact, "First", source="School", by=social_worker, at=now, version=0)
    with pytest.raises(ConcurrentChange, match="changed by someone else"):
        amendments.add_person(contact, SIBLING, reason="Found", by=social_worker, at=now, version=0)
    assert contact.subjects.count() == 1
    assert Amendment.objects.count() == 1
    assert len(_events(contact)) == 1


def test_a_form_sent_twice_makes_one_amendment(social_worker: User, mash_team: Any, now: dt.datetime) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    key = uuid.uuid4()
    first = amendments.add_person(
        contact, SIBLING, reason="Found", by=social_worker, at=now, version=0, submission_key=key
    )
    again = amendments.add_person(
        contact, SIBLING, reason="Found", by=social_worker, at=now, version=0, submission_key=key
    )
    assert (first.created, again.created) == (True, False)
    assert again.amendment == first.amendment
    assert contact.subjects.count() == 2
    assert len(_events(contact)) == 1


def test_the_same_details_sent_again_on_a_stale_form_land_on_the_first(
    social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    """Back, then Send: the page drawn again has a new one-time key but the old version."""
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    first = amendments.add_information(
        contact, "More", source="School", by=social_worker, at=now, version=0, submission_key=uuid.uuid4()
    )
    again = amendments.add_information(
        contact, "More", source="School", by=social_worker, at=now, version=0, submission_key=uuid.uuid4()
    )
    assert (again.amendment, again.created) == (first.amendment, False)
    with pytest.raises(ConcurrentChange):
        amendments.add_information(
            contact, "Other", source="School", by=social_worker, at=now, version=0, submission_key=uuid.uuid4()
        )


def test_only_front_door_staff_amend(strategy_coordinator: User, mash_team: Any, now: dt.datetime) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    with pytest.raises(PermissionDenied):
        amendments.add_information(contact, "x", source="y", by=strategy_coordinator, at=now, version=0)


# --- after the decision: addenda --------------------------------------------------------------


def test_after_approval_a_correction_is_an_addendum_that_changes_nothing(
    social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactApprovedFactory(team=mash_team)
    mia = _mia(contact)
    fields = {**known.known_subject_values(mia), "date_of_birth": dt.date(2016, 6, 17)}
    done = amendments.correct_person(
        contact, mia, fields, reason="Birth certificate", by=social_worker, at=now, version=0
    )
    assert done.amendment.after_decision
    mia.refresh_from_db()
    assert mia.date_of_birth == dt.date(2016, 5, 17)  # what the decision saw
    # The next correction starts from what is known now, the addendum's value.
    as_known = known.known_subject_values(mia)
    assert as_known["date_of_birth"] == dt.date(2016, 6, 17)
    later = amendments.correct_person(
        contact, mia, {**as_known, "given_name": "Mya"}, reason="Spelling", by=social_worker, at=now, version=1
    )
    assert later.amendment.changes == {"given_name": {"from": "Mia", "to": "Mya"}}
    assert _events(contact)[0].data["after_decision"] is True


def test_after_approval_a_person_added_is_recorded_but_not_added(
    social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactApprovedFactory(team=mash_team)
    done = amendments.add_person(contact, SIBLING, reason="Found at the visit", by=social_worker, at=now, version=0)
    assert done.amendment.subject is None
    assert done.amendment.changes["given_name"] == {"from": None, "to": "Leo"}
    assert contact.subjects.count() == 1  # the decision was about Mia alone


def test_after_approval_a_removal_is_an_addendum_and_the_person_stays(
    social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactApprovedFactory(team=mash_team)
    uncle = ContactSubjectFactory(
        contact=contact, role=SubjectRole.OTHER_ADULT, kind=PersonKind.ADULT, given_name="Ray"
    )
    amendments.remove_person(contact, uncle, reason="Not in the household", by=social_worker, at=now, version=0)
    assert uncle in contact.subjects.all()  # what the decision saw
    assert known.removed_by_addenda(contact) == {uncle.pk}
    with pytest.raises(DomainError, match="not on this contact now"):
        amendments.remove_person(contact, uncle, reason="Again", by=social_worker, at=now, version=1)


# --- which states allow which amendments -------------------------------------------------------


def test_every_state_says_which_amendments_it_allows() -> None:
    assert set(AMENDMENTS) == set(ContactState)


def _attempt(kind: AmendmentKind, contact: Contact, by: User, at: dt.datetime) -> amendments.Amended:
    mia = _mia(contact)
    if kind == K.PERSON_ADDED:
        return amendments.add_person(contact, SIBLING, reason="Found", by=by, at=at, version=0)
    if kind == K.PERSON_REMOVED:
        aunt = ContactSubjectFactory(contact=contact, role=SubjectRole.OTHER_ADULT, kind=PersonKind.ADULT)
        return amendments.remove_person(contact, aunt, reason="Mistake", by=by, at=at, version=0)
    if kind == K.DETAILS_CORRECTED:
        fields = {**known.known_subject_values(mia), "given_name": "Mya"}
        return amendments.correct_person(contact, mia, fields, reason="Spelling", by=by, at=at, version=0)
    return amendments.add_information(contact, "More", source="School", by=by, at=at, version=0)


# Consent is recorded per person on the consent app's page (ADR 0034): the table says in which states
# the amend page offers it (test_amendment_views), and only older contacts have such amendments.
WRITTEN_HERE = [kind for kind in AmendmentKind if kind != K.CONSENT_RECORDED]


@pytest.mark.parametrize("kind", WRITTEN_HERE, ids=[k.value for k in WRITTEN_HERE])
@pytest.mark.parametrize("state", list(ContactState), ids=[s.value for s in ContactState])
def test_each_state_allows_the_amendments_its_table_names(
    state: ContactState, kind: AmendmentKind, social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team, state=state)
    allowed = kind in AMENDMENTS[state]
    expected = {
        ContactState.RECEIVED: set(AmendmentKind),
        ContactState.SCREENING: set(AmendmentKind),
        ContactState.AWAITING_THRESHOLD: set(AmendmentKind),
        ContactState.AWAITING_CONSENT: set(AmendmentKind),
        ContactState.MASH_CHECKS: set(AmendmentKind),
        ContactState.AWAITING_APPROVAL: {K.CONSENT_RECORDED, K.INFORMATION_ADDED},
        ContactState.APPROVED: set(AmendmentKind),
        ContactState.CLOSED: set(AmendmentKind) - {K.CONSENT_RECORDED},
    }[state]
    assert allowed is (kind in expected)
    if not allowed:
        with pytest.raises(DomainError):
            _attempt(kind, contact, social_worker, now)
        assert not Amendment.objects.exists()
        contact.refresh_from_db()
        assert contact.version == 0
        return
    done = _attempt(kind, contact, social_worker, now)
    assert done.created
    assert done.amendment.after_decision is (state in DECIDED_STATES)
    contact.refresh_from_db()
    assert contact.state == state  # an amendment never moves the contact on
    assert contact.version == 1


def test_the_person_page_no_longer_lists_a_contact_they_were_removed_from(
    social_worker: User, social_worker_client: Any, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    person = PersonFactory(given_name="Jo")
    aunt = ContactSubjectFactory(
        contact=contact, role=SubjectRole.OTHER_ADULT, kind=PersonKind.ADULT, given_name="Jo", person=person
    )
    page = reverse("people:person", args=[person.pk])
    assert contact.reference in social_worker_client.get(page).content.decode()
    amendments.remove_person(contact, aunt, reason="Named by mistake", by=social_worker, at=now, version=0)
    assert contact.reference not in social_worker_client.get(page).content.decode()
