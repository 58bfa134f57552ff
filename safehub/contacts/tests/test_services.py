"""Recording a contact refuses what the rules refuse, whoever calls (a form, an import, an API)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from safehub.accounts.models import Team, User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts import services
from safehub.contacts.models import Contact, ContactSearchTerm, ReferrerKind
from safehub.contacts.services import ContactDetails, record_contact
from safehub.core.errors import Refused

pytestmark = pytest.mark.django_db


def _fields(at: dt.datetime, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "received_at": at - dt.timedelta(hours=1),
        "channel": "phone",
        "source": "2A",
        "referrer_kind": ReferrerKind.PROFESSIONAL,
        "referrer_name": "Priya Shah",
        "referrer_agency": "Example Primary School",
        "concern_categories": ["neglect"],
        "narrative": "Arrived hungry on several days.",
        "immediate_protection": "no",
        "parents_aware": "yes",
        "parents_agree": "yes",
        "consent": "given",
    }
    fields.update(overrides)
    return fields


def _child(**overrides: Any) -> dict[str, Any]:
    return {"role": "child", "kind": "child", "given_name": "Mia", "family_name": "Harlow", **overrides}


def test_every_problem_is_reported_at_once_with_its_field_and_person(
    mash_team: Team, contact_officer: User, now: dt.datetime
) -> None:
    details = ContactDetails(
        _fields(now, received_at=now + dt.timedelta(days=1), referrer_name=""),
        [
            _child(role="parent", kind="adult"),
            _child(role="parent", kind="adult", given_name="", family_name="", date_of_birth=dt.date(2030, 1, 1)),
        ],
    )
    with pytest.raises(Refused) as refused:
        record_contact(details, team=mash_team, by=contact_officer, at=now)
    found = {(p.message, p.field, p.item) for p in refused.value.problems}
    assert found == {
        ("The date received must be today or in the past", "received_at", None),
        ("Enter the referrer's name", "referrer_name", None),
        ("Add at least one child the concern is about", "subjects", None),
        ("Date of birth must be today or in the past", "date_of_birth", 1),
        ("Enter at least a first or last name", "family_name", 1),
    }
    assert not Contact.objects.exists()


def test_a_contact_cannot_be_received_before_the_child_was_born(
    mash_team: Team, contact_officer: User, now: dt.datetime
) -> None:
    details = ContactDetails(
        _fields(now, received_at=dt.datetime(2015, 1, 1, tzinfo=dt.UTC)), [_child(date_of_birth=dt.date(2016, 5, 17))]
    )
    with pytest.raises(Refused, match="cannot be received before Mia was born"):
        record_contact(details, team=mash_team, by=contact_officer, at=now)


@pytest.mark.parametrize(
    ("subject", "message"),
    [
        (
            _child(kind="unborn", date_of_birth=dt.date(2026, 1, 1), expected_date_of_delivery=dt.date(2027, 1, 1)),
            "An unborn child has no date of birth",
        ),
        (_child(kind="unborn", date_of_birth=None), "Enter the expected date of delivery for an unborn child"),
        (
            _child(kind="adult", role="parent", date_of_birth=dt.date(2012, 1, 1)),
            "Someone under 18 is a child",
        ),
        (_child(kind="unborn", expected_date_of_delivery=dt.date(2026, 6, 1)), "too far in the past"),
        (_child(expected_date_of_delivery=dt.date(2027, 1, 1)), "Only an unborn child has an expected date"),
    ],
)
def test_unborn_children_have_an_expected_date_not_a_birthday(
    mash_team: Team, contact_officer: User, now: dt.datetime, subject: dict[str, Any], message: str
) -> None:
    with pytest.raises(Refused, match=message):
        record_contact(ContactDetails(_fields(now), [subject]), team=mash_team, by=contact_officer, at=now)


@pytest.mark.parametrize(
    "filled",
    [
        {"referrer_name": "Anne Wright"},
        {"referrer_role": "Designated safeguarding lead"},
        {"referrer_agency": "Hillside Academy"},
        {"referrer_phone": "07700 900000"},
        {"referrer_email": "dsl@example.org"},
        {"referrer_address": "1 School Lane"},
        {"referrer_relationship": "Neighbour"},
    ],
)
def test_an_anonymous_referrer_with_identifying_details_is_refused_and_nothing_is_saved(
    mash_team: Team, contact_officer: User, now: dt.datetime, filled: dict[str, str]
) -> None:
    blank = {"referrer_kind": ReferrerKind.ANONYMOUS, "referrer_name": "", "referrer_agency": ""}
    fields = _fields(now, **{**blank, **filled})
    with pytest.raises(Refused) as refused:
        record_contact(ContactDetails(fields, [_child()]), team=mash_team, by=contact_officer, at=now)
    assert [(p.message, p.field) for p in refused.value.problems] == [
        (
            "The referrer asked to stay anonymous: leave their name, role, agency and contact details empty,"
            " or choose who made the contact",
            "referrer_kind",
        )
    ]
    assert not Contact.objects.exists()


def test_an_anonymous_referrer_with_nothing_that_identifies_them_is_recorded(
    mash_team: Team, contact_officer: User, now: dt.datetime
) -> None:
    fields = _fields(now, referrer_kind=ReferrerKind.ANONYMOUS, referrer_name="", referrer_agency="")
    contact = record_contact(ContactDetails(fields, [_child()]), team=mash_team, by=contact_officer, at=now)
    assert (contact.referrer_kind, contact.referrer_name, contact.referrer_agency) == (ReferrerKind.ANONYMOUS, "", "")


def test_the_same_details_submitted_again_are_the_contact_already_recorded(
    mash_team: Team, contact_officer: User, now: dt.datetime
) -> None:
    details = ContactDetails(_fields(now), [_child()])
    first = record_contact(details, team=mash_team, by=contact_officer, at=now, submission_key=uuid.uuid4())
    retyped = ContactDetails(_fields(now, narrative=f"  {details.fields['narrative']} "), [_child()])
    again = record_contact(retyped, team=mash_team, by=contact_officer, at=now, submission_key=uuid.uuid4())
    assert again.pk == first.pk
    assert (Contact.objects.count(), first.subjects.count()) == (1, 1)
    assert AuditEvent.objects.filter(verb=Verb.CONTACT_RECORDED).count() == 1


def test_two_submissions_at_the_same_moment_make_one_contact(
    mash_team: Team, contact_officer: User, now: dt.datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other tab's submission commits between our check and our insert: the constraint decides."""
    details = ContactDetails(_fields(now), [_child()])
    theirs = record_contact(details, team=mash_team, by=contact_officer, at=now, submission_key=uuid.uuid4())
    real = services.already_recorded
    calls: list[int] = []

    def not_yet_then_real(*args: Any, **kwargs: Any) -> Contact | None:
        calls.append(1)
        return None if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(services, "already_recorded", not_yet_then_real)
    ours = record_contact(details, team=mash_team, by=contact_officer, at=now, submission_key=uuid.uuid4())
    assert ours.pk == theirs.pk
    assert Contact.objects.count() == 1


def test_recording_a_contact_writes_the_terms_find_a_contact_looks_it_up_by(
    mash_team: Team, contact_officer: User, now: dt.datetime
) -> None:
    child = _child(family_name="O’Donnell-Zoë", address="Flat 3, 12 Elm Rd", postcode="da67at")
    contact = record_contact(ContactDetails(_fields(now), [child]), team=mash_team, by=contact_officer, at=now)
    terms = set(ContactSearchTerm.objects.filter(contact=contact).values_list("term", flat=True))
    assert terms == {
        "w:mia",
        "w:odonnell",
        "w:zoe",
        "w:flat",
        "w:3",
        "w:12",
        "w:elm",
        "w:rd",
        "w:road",
        "w:priya",
        "w:shah",
        "w:example",
        "w:primary",
        "w:school",
        "p:DA6 7AT",
    }


def test_a_form_drawn_again_a_minute_later_is_still_the_same_contact(
    mash_team: Team, contact_officer: User, now: dt.datetime
) -> None:
    """After Back, the form is drawn again with the time it is opened; nobody typed that time."""
    first = record_contact(ContactDetails(_fields(now), [_child()]), team=mash_team, by=contact_officer, at=now)
    later = _fields(now, received_at=now - dt.timedelta(minutes=59))
    again = record_contact(ContactDetails(later, [_child()]), team=mash_team, by=contact_officer, at=now)
    assert again.pk == first.pk
    assert Contact.objects.count() == 1


def test_the_same_details_typed_again_hours_later_are_a_repeat_call_of_their_own(
    mash_team: Team, contact_officer: User, now: dt.datetime
) -> None:
    details = ContactDetails(_fields(now), [_child()])
    first = record_contact(details, team=mash_team, by=contact_officer, at=now)
    later = record_contact(details, team=mash_team, by=contact_officer, at=now + dt.timedelta(hours=3))
    assert later.pk != first.pk


def test_a_professional_says_whether_the_family_consented_or_was_told(
    mash_team: Team, contact_officer: User, now: dt.datetime
) -> None:
    # 002 §18–19: a member of the public needs no consent; a professional should have it, or have told the family.
    with pytest.raises(Refused, match="A professional should have the family's consent"):
        record_contact(
            ContactDetails(_fields(now, consent="not_required_public"), [_child()]),
            team=mash_team,
            by=contact_officer,
            at=now,
        )
    public = _fields(now, referrer_kind=ReferrerKind.PUBLIC, referrer_agency="", consent="not_required_public")
    assert record_contact(ContactDetails(public, [_child()]), team=mash_team, by=contact_officer, at=now).pk


def test_a_family_not_told_is_not_told_for_a_coded_reason_each_with_why(
    mash_team: Team, contact_officer: User, now: dt.datetime
) -> None:
    # 002 §22 a–c: increased risk, prejudice to an investigation, undue delay; each chosen with its rationale.
    not_told = _fields(now, consent="not_informed_safeguarding")
    with pytest.raises(Refused) as refused:
        record_contact(ContactDetails(not_told, [_child()]), team=mash_team, by=contact_officer, at=now)
    # A family not told neither knows of the contact nor agrees to it (walk-through).
    assert [p.field for p in refused.value.problems] == ["parents_aware", "parents_agree", "not_told_reasons"]
    assert refused.value.problems[0].message.startswith("The referrer did not tell the family")
    not_told = {**not_told, "parents_aware": "no", "parents_agree": "unknown"}
    with pytest.raises(Refused) as refused:
        record_contact(ContactDetails(not_told, [_child()]), team=mash_team, by=contact_officer, at=now)
    assert [(p.message, p.field) for p in refused.value.problems] == [
        ("Choose why the family was not told", "not_told_reasons")
    ]
    half = {**not_told, "not_told": {"increased_risk": "The father threatened the mother", "undue_delay": " "}}
    with pytest.raises(Refused) as refused:
        record_contact(ContactDetails(half, [_child()]), team=mash_team, by=contact_officer, at=now)
    assert [(p.message, p.field) for p in refused.value.problems] == [
        ("Say why seeking to tell them would cause undue delay", "not_told_undue_delay")
    ]
    kept = {**not_told, "not_told": {"prejudice_investigation": " Police are investigating the father "}}
    contact = record_contact(ContactDetails(kept, [_child()]), team=mash_team, by=contact_officer, at=now)
    assert contact.not_told == {"prejudice_investigation": "Police are investigating the father"}

    told = {**_fields(now, consent="informed", narrative="Another"), "not_told": {"undue_delay": "x"}}
    assert record_contact(ContactDetails(told, [_child()]), team=mash_team, by=contact_officer, at=now).not_told == {}
