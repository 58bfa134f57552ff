"""Operation Encompass (issue 15; Home Office statutory guidance, November 2025): each school-age
child's school told before the next school day, by the worker where the school is in the register,
by a person where it is not; a child educated at home through the elective home education officer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact
from safehub.core.errors import DomainError
from safehub.core.working_time import LONDON
from safehub.domestic_abuse import services as domestic_abuse
from safehub.domestic_abuse.tests.test_notifications import details, notification_contact
from safehub.letters import encompass, services
from safehub.letters.models import LetterKind, Message, School
from safehub.letters.tests.helpers import set_hub_details
from safehub.letters.timeliness import encompass_due
from safehub.protocols.models import LocalProtocol
from safehub.sharing.exits import Exit
from safehub.sharing.models import Disclosure

SCHOOL_DAY = dt.time(8, 30)
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def _london(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (_london(2026, 11, 24, 7, 0), _london(2026, 11, 24, 8, 30)),  # before school: that morning
        (_london(2026, 11, 24, 8, 30), _london(2026, 11, 25, 8, 30)),  # at the start: the next day
        (_london(2026, 11, 27, 18, 0), _london(2026, 11, 30, 8, 30)),  # Friday evening: Monday
        (_london(2026, 12, 24, 22, 0), _london(2026, 12, 29, 8, 30)),  # Christmas Eve: after Boxing Day's Monday
        (_london(2026, 8, 28, 23, 0), _london(2026, 9, 1, 8, 30)),  # the late summer bank holiday weekend
    ],
)
def test_the_school_is_told_before_the_start_of_the_next_school_day(received: dt.datetime, due: dt.datetime) -> None:
    assert encompass_due(received, school_day_start=SCHOOL_DAY, extra_holidays=frozenset()) == due


@pytest.fixture
def notified(mash_team: Any, contact_officer: Any, now: dt.datetime) -> Contact:
    set_hub_details()
    School.objects.create(name="Example Primary School", dsl_name="Ms Ada Lead", dsl_email="dsl@example-primary.sch.uk")
    School.objects.create(
        name="Elective home education",
        dsl_name="Mr Ben Officer",
        dsl_email="ehe@example.gov.uk",
        home_education=True,
    )
    contact = notification_contact(mash_team, now - dt.timedelta(hours=2))
    contact.subjects.filter(given_name="Mia").update(school="Example primary school")
    contact.subjects.filter(given_name="Leo").update(school="Home educated")
    domestic_abuse.record_notification(contact, details(contact), by=contact_officer, at=now, version=None)
    return contact


@pytest.mark.django_db
def test_the_worker_tells_each_childs_school_once_with_what_the_guidance_asks(
    notified: Contact, now: dt.datetime
) -> None:
    assert encompass.queue_encompass(now) == 2
    assert encompass.queue_encompass(now) == 0
    mia, leo = (Message.objects.get(child__given_name=name) for name in ("Mia", "Leo"))
    assert (mia.kind, mia.email, mia.recipient_name) == (
        LetterKind.ENCOMPASS,
        "dsl@example-primary.sch.uk",
        "Ms Ada Lead",
    )
    assert leo.email == "ehe@example.gov.uk"  # educated at home: the council's officer
    for words in ("Mia Harlow", "WMP-20261123-0457", "The family home", "the child was present"):
        assert words in mia.body
    assert "was not present" in leo.body
    assert mia.sent_by == notified.domestic_abuse.recorded_by
    row = Disclosure.objects.get(pk=mia.disclosure_id)
    assert (row.route, row.purpose) == (Exit.ENCOMPASS, "encompass")
    assert "dpa_sch8" in row.bases
    assert AuditEvent.objects.filter(verb=Verb.MESSAGE_SENT, contact=notified).count() == 2


@pytest.mark.django_db
def test_a_school_not_in_the_register_waits_for_a_person_to_choose_it(
    notified: Contact, now: dt.datetime, contact_officer_client: Client
) -> None:
    notified.subjects.filter(given_name="Mia").update(school="Another Academy")
    assert encompass.queue_encompass(now) == 1  # Leo's officer only
    [waiting] = encompass.waiting(notified.domestic_abuse)
    assert waiting.why == "'Another Academy' is not in the register of schools: choose it"
    page = contact_officer_client.get(notified.get_absolute_url()).content.decode()
    assert "Tell Mia Harlow&#x27;s school (Operation Encompass)" in page
    url = reverse("letters:tell-school", args=[notified.pk, waiting.subject.pk])
    assert contact_officer_client.post(url, {"submission_key": "not a key", "school": ""}).status_code == 200
    school = School.objects.get(name="Example Primary School")
    key = "7b0e6d1c-5f59-4a7e-9a51-0f3a3c2b9e10"
    assert contact_officer_client.post(url, {"submission_key": key, "school": school.pk}).status_code == 302
    assert contact_officer_client.post(url, {"submission_key": key, "school": school.pk}).status_code == 302
    assert Message.objects.filter(kind=LetterKind.ENCOMPASS).count() == 2
    assert encompass.waiting(notified.domestic_abuse) == []


@pytest.mark.django_db
def test_an_administrator_keeps_the_register_with_one_home_education_officer(administrator_client: Client) -> None:
    School.objects.create(
        name="Elective home education", dsl_name="A", dsl_email="ehe@example.gov.uk", home_education=True
    )
    form = {
        "name": "Example High School",
        "dsl_name": "Mr C Lead",
        "dsl_email": "dsl@example-high.sch.uk",
        "active": "on",
    }
    assert administrator_client.post(reverse("letters:add-school"), form).status_code == 302
    second = {**form, "name": "Home tuition", "home_education": "on"}
    refused = administrator_client.post(reverse("letters:add-school"), second)
    assert "already has an elective home education officer" in refused.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.SCHOOL_REGISTER_CHANGED).count() == 1


@pytest.mark.django_db
def test_the_figures_count_each_child_told_in_time_or_not(notified: Contact, now: dt.datetime) -> None:
    from safehub.reports.indicators import telling_people

    notified.subjects.filter(given_name="Leo").update(school="")  # Leo: nobody knows his school
    encompass.queue_encompass(now)
    [row] = telling_people.figures(at=now)
    # Police's notification came at 08:00 on a Tuesday: the schools were due to know by 08:30. Mia's was
    # told at 10:00, late; Leo's, still not known, is counted as not told.
    assert [row.counts[f"encompass_{m}"] for m in ("due", "on_time", "late", "not_sent")] == [2, 0, 1, 1]


@pytest.mark.django_db
def test_the_register_refuses_a_name_it_has_in_other_capitals_and_a_number_that_is_not_one(
    administrator_client: Client,
) -> None:
    School.objects.create(name="Fletcher High School", dsl_name="A", dsl_email="dsl@fletcher.sch.uk")
    form = {"name": "fletcher high school", "dsl_name": "B", "dsl_email": "b@fletcher.sch.uk", "phone": "abc"}
    page = administrator_client.post(reverse("letters:add-school"), {**form, "active": "on"}).content.decode()
    assert "already has a school of that name" in page
    assert "Enter a telephone number" in page
    assert School.objects.count() == 1


@pytest.mark.django_db
def test_saving_a_school_is_a_service_that_records_its_audit_event(administrator: Any, social_worker: Any) -> None:
    school = School(name="Example Infant School", dsl_name="Ms D Lead", dsl_email="dsl@example-infant.sch.uk")
    with pytest.raises(PermissionDenied):
        services.save_school(school, changed=["name"], by=social_worker, at=NOW)
    saved = services.save_school(school, changed=["name", "dsl_name"], by=administrator, at=NOW)
    event = AuditEvent.objects.get(verb=Verb.SCHOOL_REGISTER_CHANGED)
    assert event.data == {"school": saved.pk, "added": True, "changed": ["dsl_name", "name"]}
    saved.dsl_name = "Mr E Lead"
    services.save_school(saved, changed=["dsl_name"], by=administrator, at=NOW)
    assert AuditEvent.objects.filter(verb=Verb.SCHOOL_REGISTER_CHANGED).count() == 2
    assert School.objects.get().dsl_name == "Mr E Lead"


@pytest.mark.django_db
def test_only_the_front_door_may_tell_a_school_and_a_rule_is_said_not_forbidden(
    notified: Contact, social_worker: Any, performance_lead: Any, contact_officer_client: Client, now: dt.datetime
) -> None:
    mia = notified.subjects.get(given_name="Mia")
    school = School.objects.get(name="Example Primary School")
    with pytest.raises(PermissionDenied):
        encompass.tell_school(notified.domestic_abuse, mia, school, by=performance_lead, at=now)
    adult = notified.subjects.get(given_name="Ann")
    with pytest.raises(DomainError, match="Choose a child on this notification"):
        encompass.tell_school(notified.domestic_abuse, adult, school, by=social_worker, at=now)
    # The words cannot be completed (the hub's telephone number is not set): the page says so, as an error.
    LocalProtocol.objects.filter(is_active=True).update(hub_phone="")
    notified.subjects.filter(given_name="Mia").update(school="Another Academy")
    url = reverse("letters:tell-school", args=[notified.pk, mia.pk])
    key = "5d0e6d1c-5f59-4a7e-9a51-0f3a3c2b9e10"
    refused = contact_officer_client.post(url, {"submission_key": key, "school": school.pk})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "govuk-error-summary" in page
    assert "The notice still holds ((hub_phone))" in page
    assert not Message.objects.filter(child=mia).exists()


@pytest.mark.django_db
def test_a_notification_whose_incident_is_not_recorded_is_listed_not_missed(
    mash_team: Any, contact_officer: Any, now: dt.datetime, contact_officer_client: Client
) -> None:
    """Walk-through: a police notification closed without its incident recorded told no school and was on
    no list. The notice needs when, where and whether the child was present, so it is listed until then."""
    set_hub_details()
    contact = notification_contact(mash_team, now - dt.timedelta(hours=2))
    assert encompass.incidents_unrecorded([contact.pk], at=now) == [contact]
    page = contact_officer_client.get(reverse("letters:waiting")).content.decode()
    assert "Police notifications whose incident is not recorded (1)" in page
    assert contact.reference in page
    domestic_abuse.record_notification(contact, details(contact), by=contact_officer, at=now, version=None)
    assert encompass.incidents_unrecorded([contact.pk], at=now) == []
