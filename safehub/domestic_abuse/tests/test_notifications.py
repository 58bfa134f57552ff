"""A police domestic-abuse notification (issue 13): its incident and risk assessment, the DASH threshold
(a protocol setting, 14 by default), professional judgement below it, DARA and grades, repeats within 12
months of a MARAC referral, and every problem at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Team, User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Channel, Contact, ContactSubject, SubjectRole
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory
from safehub.core.errors import ConcurrentChange, DomainError, Refused
from safehub.core.working_time import LONDON
from safehub.domestic_abuse import rules, services
from safehub.domestic_abuse.models import DashQuestion, MaracBasis, Notification
from safehub.domestic_abuse.presenters import summaries
from safehub.domestic_abuse.queries import repeats
from safehub.people.tests.factories import PersonFactory
from safehub.protocols.models import LocalProtocol

H = dt.timedelta(hours=1)


def notification_contact(team: Team, at: dt.datetime, *, victim_born: dt.date = dt.date(1990, 3, 4)) -> Contact:
    """A police notification of domestic abuse: a mother (the victim), her partner, and two children."""
    contact: Contact = ContactFactory(
        team=team, received_at=at, channel=Channel.POLICE_NOTIFICATION, concern_categories=["domestic_abuse"]
    )
    contact.subjects.all().delete()
    ContactSubjectFactory(contact=contact, role=SubjectRole.CHILD, given_name="Mia", family_name="Harlow", order=1)
    ContactSubjectFactory(contact=contact, role=SubjectRole.SIBLING, given_name="Leo", family_name="Harlow", order=2)
    ContactSubjectFactory(
        contact=contact,
        role=SubjectRole.PARENT,
        given_name="Ann",
        family_name="Harlow",
        date_of_birth=victim_born,
        sex="female",
        order=3,
    )
    ContactSubjectFactory(
        contact=contact, role=SubjectRole.ALLEGED_PERPETRATOR, given_name="Dean", family_name="Cole", order=4
    )
    return contact


def _subject(contact: Contact, name: str) -> ContactSubject:
    return contact.subjects.get(given_name=name)


def details(contact: Contact, *, yes: int = 0, **changes: Any) -> rules.Details:
    """The details of a DASH notification with `yes` "yes" answers (the rest "no")."""
    numbers = list(DashQuestion.objects.filter(in_use=True).values_list("number", flat=True))
    fields: dict[str, Any] = {
        "police_reference": "WMP-20261123-0457",
        "incident_at": contact.received_at - 8 * H,
        "place": "The family home",
        "victim": _subject(contact, "Ann").pk,
        "perpetrator": _subject(contact, "Dean").pk,
        "children_present": {_subject(contact, "Mia").pk: "yes", _subject(contact, "Leo").pk: "no"},
        "assessment": "dash",
        "answers": {n: "yes" if i < yes else "no" for i, n in enumerate(numbers)},
    }
    return rules.Details(**(fields | changes))


@pytest.fixture
def contact(mash_team: Team, now: dt.datetime) -> Contact:
    return notification_contact(mash_team, now - 2 * H)


def test_the_checklist_is_held_as_data_24_questions_from_the_migration(db: None) -> None:
    assert DashQuestion.objects.filter(in_use=True).count() == 24
    assert DashQuestion.objects.get(number=15).text.startswith("Has the alleged perpetrator tried to strangle")


@pytest.mark.parametrize(("yes", "basis"), [(13, ""), (14, MaracBasis.THRESHOLD), (24, MaracBasis.THRESHOLD)])
def test_fourteen_yes_answers_refer_to_marac_thirteen_do_not(
    contact: Contact, contact_officer: User, now: dt.datetime, yes: int, basis: str
) -> None:
    notification = services.record_notification(
        contact, details(contact, yes=yes), by=contact_officer, at=now, version=None
    )

    assert (notification.dash_score, notification.marac_basis, notification.marac_threshold) == (yes, basis, 14)
    event = AuditEvent.objects.get(verb=Verb.DOMESTIC_ABUSE_RECORDED)
    assert event.contact_id == contact.pk
    assert event.data["dash_score"] == yes


def test_the_threshold_is_the_protocols(contact: Contact, contact_officer: User, now: dt.datetime) -> None:
    LocalProtocol.objects.filter(is_active=True).update(marac_threshold=10)

    notification = services.record_notification(
        contact, details(contact, yes=10), by=contact_officer, at=now, version=None
    )

    assert (notification.marac_basis, notification.marac_threshold) == (MaracBasis.THRESHOLD, 10)


def test_below_the_threshold_professional_judgement_refers_with_its_rationale(
    contact: Contact, contact_officer: User, now: dt.datetime
) -> None:
    with pytest.raises(Refused) as refused:
        services.record_notification(
            contact, details(contact, yes=9, refer_on_judgement=True), by=contact_officer, at=now, version=None
        )
    assert [p.field for p in refused.value.problems] == ["rationale"]

    notification = services.record_notification(
        contact,
        details(contact, yes=9, refer_on_judgement=True, rationale="Escalating: third call-out in a month"),
        by=contact_officer,
        at=now,
        version=None,
    )
    assert (notification.marac_basis, notification.judgement_rationale) == (
        MaracBasis.JUDGEMENT,
        "Escalating: third call-out in a month",
    )


@pytest.mark.parametrize(
    ("assessment", "level", "basis"),
    [
        ("dara", "high", MaracBasis.HIGH_RISK),
        ("dara", "medium", ""),
        ("grade", "high", MaracBasis.HIGH_RISK),
        ("grade", "standard", ""),
    ],
)
def test_dara_and_a_grade_give_a_level_high_refers(
    contact: Contact, contact_officer: User, now: dt.datetime, assessment: str, level: str, basis: str
) -> None:
    notification = services.record_notification(
        contact,
        details(contact, assessment=assessment, risk_level=level, answers={}),
        by=contact_officer,
        at=now,
        version=None,
    )

    assert (notification.marac_basis, notification.dash_score, notification.dash_answers) == (basis, None, [])


def test_every_problem_at_once_and_nothing_saved(contact: Contact, contact_officer: User, now: dt.datetime) -> None:
    bad = details(
        contact,
        police_reference=" ",
        incident_at=contact.received_at + H,
        place="",
        perpetrator=_subject(contact, "Ann").pk,
        children_present={},
        answers={1: "yes", 2: "perhaps"},
    )

    with pytest.raises(Refused) as refused:
        services.record_notification(contact, bad, by=contact_officer, at=now, version=None)

    fields = [p.field for p in refused.value.problems]
    assert fields[:6] == [
        "police_reference",
        "incident_on",
        "place",
        "perpetrator",
        f"present_{_subject(contact, 'Mia').pk}",
        f"present_{_subject(contact, 'Leo').pk}",
    ]
    assert "dash_2" in fields
    assert "dash_24" in fields
    assert "dash_1" not in fields
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.DOMESTIC_ABUSE_RECORDED).exists()


def test_only_a_police_domestic_abuse_notification_and_only_front_door_staff(
    mash_team: Team, contact: Contact, contact_officer: User, police_partner: User, now: dt.datetime
) -> None:
    with pytest.raises(PermissionDenied):
        services.record_notification(contact, details(contact), by=police_partner, at=now, version=None)
    school: Contact = ContactFactory(team=mash_team, received_at=now - H)
    with pytest.raises(DomainError, match="Only a police notification"):
        services.record_notification(school, details(contact), by=contact_officer, at=now, version=None)


def test_a_second_recording_is_told_who_recorded_and_a_stale_correction_is_refused(
    contact: Contact, contact_officer: User, social_worker: User, now: dt.datetime
) -> None:
    first = services.record_notification(contact, details(contact, yes=3), by=contact_officer, at=now, version=None)
    with pytest.raises(DomainError, match="recorded this notification at"):
        services.record_notification(contact, details(contact, yes=20), by=social_worker, at=now, version=None)

    with pytest.raises(Refused, match="Say why you are correcting"):
        services.record_notification(contact, details(contact, yes=15), by=social_worker, at=now, version=0)
    corrected = services.record_notification(
        contact,
        details(contact, yes=15, correction_reason="Police sent the full checklist"),
        by=social_worker,
        at=now + H,
        version=first.version,
    )
    assert (corrected.dash_score, corrected.marac_basis, corrected.version) == (15, MaracBasis.THRESHOLD, 1)
    assert (corrected.corrected_by, corrected.correction_reason) == (social_worker, "Police sent the full checklist")
    change = AuditEvent.objects.get(verb=Verb.DOMESTIC_ABUSE_CHANGED)
    assert change.data["changes"]["dash_score"] == [3, 15]
    assert change.data["reason"] == "Police sent the full checklist"
    stale = details(contact, yes=1, correction_reason="Typo")
    with pytest.raises(ConcurrentChange):
        services.record_notification(contact, stale, by=contact_officer, at=now + H, version=0)
    assert Notification.objects.get().dash_score == 15


def test_a_repeat_is_another_incident_within_12_months_of_the_last_marac_referral_and_goes_back_to_marac(
    mash_team: Team, contact_officer: User, manager: User, now: dt.datetime
) -> None:
    referred = notification_contact(mash_team, now - dt.timedelta(days=300))
    services.record_notification(referred, details(referred, yes=16), by=contact_officer, at=now, version=None)
    second = notification_contact(mash_team, now - dt.timedelta(days=100))
    again = services.record_notification(second, details(second, yes=2), by=contact_officer, at=now, version=None)
    latest = notification_contact(mash_team, now - H)
    services.record_notification(latest, details(latest, yes=2), by=contact_officer, at=now, version=None)
    stranger = notification_contact(mash_team, now - H, victim_born=dt.date(1985, 1, 1))
    other = services.record_notification(stranger, details(stranger, yes=2), by=contact_officer, at=now, version=None)

    # SafeLives: a repeat goes back to MARAC whatever its score; another woman of the same name does not.
    assert (again.marac_basis, other.marac_basis) == (MaracBasis.REPEAT, "")
    loaded = list(Notification.objects.select_related("victim").order_by("incident_at"))
    found = repeats(manager, loaded)
    by_contact = {n.contact_id: found.get(n.pk) for n in loaded}
    assert by_contact[referred.pk] is None  # the first referral repeats nothing
    assert by_contact[second.pk] is not None
    assert by_contact[second.pk].earlier.contact == referred
    assert by_contact[latest.pk] is not None
    assert by_contact[latest.pk].reference == second.reference  # the latest referral: the repeat's
    assert by_contact[stranger.pk] is None  # born another day


def test_more_than_12_months_after_the_referral_is_not_a_repeat_and_one_person_record_matches(
    mash_team: Team, contact_officer: User, manager: User, now: dt.datetime
) -> None:
    long_ago = notification_contact(mash_team, now - dt.timedelta(days=370))
    services.record_notification(long_ago, details(long_ago, yes=20), by=contact_officer, at=now, version=None)
    latest = notification_contact(mash_team, now - H, victim_born=dt.date(1991, 1, 1))
    services.record_notification(latest, details(latest, yes=1), by=contact_officer, at=now, version=None)
    notifications = list(Notification.objects.select_related("victim"))
    assert repeats(manager, notifications) == {}

    # Screening identified both victims as one person (the second's date of birth was wrong).
    person = PersonFactory()
    ContactSubject.objects.filter(given_name="Ann").update(person=person)
    Notification.objects.filter(contact=long_ago).update(incident_at=now - dt.timedelta(days=200))
    notifications = list(Notification.objects.select_related("victim"))
    found = repeats(manager, notifications)
    assert [n.contact_id for n in notifications if n.pk in found] == [latest.pk]


def test_a_repeat_of_a_contact_the_user_may_not_see_is_flagged_without_naming_it(
    mash_team: Team, other_team: Team, contact_officer: User, manager: User, now: dt.datetime
) -> None:
    elsewhere = notification_contact(other_team, now - dt.timedelta(days=30))
    services.record_notification(elsewhere, details(elsewhere, yes=18), by=contact_officer, at=now, version=None)
    latest = notification_contact(mash_team, now - H)
    services.record_notification(latest, details(latest), by=contact_officer, at=now, version=None)

    notification = Notification.objects.select_related("victim").get(contact=latest)
    summary = summaries(manager, [notification], {})[latest.pk]
    assert summary.repeat is not None
    assert summary.repeat.reference == ""


def test_the_page_records_it_and_the_contact_page_shows_it(
    contact: Contact, contact_officer: User, now: dt.datetime, client: Client
) -> None:
    from safehub.mfa.testing import sign_in_both_steps

    sign_in_both_steps(client, contact_officer)
    url = reverse("domestic_abuse:record", args=[contact.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "24. Is the alleged perpetrator known to the police" in page.content.decode()
    incident = (contact.received_at - 8 * H).astimezone(LONDON)
    post = {
        "police_reference": "WMP-1",
        "incident_on_0": incident.day,
        "incident_on_1": incident.month,
        "incident_on_2": incident.year,
        "incident_time": incident.strftime("%H:%M"),
        "place": "Flat 2, Example Road",
        "victim": _subject(contact, "Ann").pk,
        "perpetrator": _subject(contact, "Dean").pk,
        f"present_{_subject(contact, 'Mia').pk}": "yes",
        f"present_{_subject(contact, 'Leo').pk}": "unknown",
        "assessment": "dash",
    } | {f"dash_{n}": "yes" if n <= 14 else "no" for n in range(1, 25)}

    response = client.post(url, post)
    assert response.status_code == 302
    shown = client.get(reverse("contacts:contact", args=[contact.pk])).content.decode()
    assert "DASH 14 of 24 (MARAC at 14)" in shown
    assert "Mia Harlow: there" in shown
    assert "Leo Harlow: not known if there" in shown

    # Back and submit again: nothing duplicated, the user is told.
    again = client.post(url, post)
    assert again.status_code == 200
    assert "recorded this notification at" in again.content.decode()
    assert Notification.objects.count() == 1


def test_the_page_shows_every_problem_and_a_partner_gets_404(
    contact: Contact, contact_officer: User, police_partner: User, client: Client
) -> None:
    from safehub.mfa.testing import sign_in_both_steps

    sign_in_both_steps(client, contact_officer)
    url = reverse("domestic_abuse:record", args=[contact.pk])
    page = client.post(url, {"assessment": "dash", "police_reference": "", "dash_3": "perhaps"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Enter the police reference" in body
    assert "Choose the victim from the people on the contact" in body
    # The rules' problems come in the same round as the boxes' own: the incident's place, each child, each answer.
    assert "Enter where the incident happened" in body
    assert "Say whether Mia Harlow was there" in body
    assert "Answer DASH question 3" in body
    assert "Answer DASH question 24" in body
    assert not Notification.objects.exists()

    partner = Client()
    sign_in_both_steps(partner, police_partner)
    assert partner.get(url).status_code == 404


def test_an_administrator_rewords_retires_and_adds_questions_and_answers_keep_their_words(
    contact: Contact, contact_officer: User, administrator: User, now: dt.datetime
) -> None:
    first = services.record_notification(contact, details(contact, yes=2), by=contact_officer, at=now, version=None)
    question = DashQuestion.objects.get(number=1)
    services.save_question(question, text="  Was anyone  injured? ", in_use=True, by=administrator, at=now, version=0)
    question.refresh_from_db()
    assert (question.text, question.version) == ("Was anyone injured?", 1)
    first.refresh_from_db()
    assert first.dash_answers[0]["text"] == "Was the victim injured in this incident?"  # as it was answered

    services.save_question(question, text=question.text, in_use=False, by=administrator, at=now, version=1)
    added = services.save_question(
        None, text="Has the victim been threatened online?", in_use=True, by=administrator, at=now, version=None
    )
    assert added.number == 25
    assert [q.number for q in services.questions_in_use()] == [*range(2, 26)]
    changes = AuditEvent.objects.filter(verb=Verb.DASH_QUESTION_CHANGED).order_by("pk")
    assert changes[0].data["changes"]["text"] == ["Was the victim injured in this incident?", "Was anyone injured?"]

    with pytest.raises(ConcurrentChange):
        services.save_question(question, text="Stale", in_use=True, by=administrator, at=now, version=0)
    with pytest.raises(PermissionDenied):
        services.save_question(None, text="A question", in_use=True, by=contact_officer, at=now, version=None)
    with pytest.raises(Refused, match="Enter the question"):
        services.save_question(None, text="   ", in_use=True, by=administrator, at=now, version=None)


def test_the_checklist_keeps_as_many_questions_as_the_threshold(administrator: User, now: dt.datetime) -> None:
    LocalProtocol.objects.filter(is_active=True).update(marac_threshold=24)
    question = DashQuestion.objects.get(number=3)

    with pytest.raises(DomainError, match="at least 24 questions in use"):
        services.save_question(question, text=question.text, in_use=False, by=administrator, at=now, version=0)
    assert DashQuestion.objects.get(number=3).in_use


def test_the_checklist_pages_are_the_administrators(administrator: User, contact_officer: User, client: Client) -> None:
    from safehub.mfa.testing import sign_in_both_steps

    sign_in_both_steps(client, administrator)
    assert "Is the victim very frightened?" in client.get(reverse("domestic_abuse:checklist")).content.decode()
    refused = client.post(reverse("domestic_abuse:add-question"), {"text": ""})
    assert "Enter the question" in refused.content.decode()
    added = client.post(reverse("domestic_abuse:add-question"), {"text": "Does the victim have somewhere safe to go?"})
    assert added.status_code == 302
    changed = client.post(
        reverse("domestic_abuse:question", args=[25]), {"version": "0", "text": "Somewhere safe to go?", "in_use": ""}
    )
    assert changed.status_code == 302
    assert not DashQuestion.objects.get(number=25).in_use
    assert client.get(reverse("domestic_abuse:question", args=[99])).status_code == 404
    officer = Client()
    sign_in_both_steps(officer, contact_officer)
    assert officer.get(reverse("domestic_abuse:checklist")).status_code == 403


def test_a_correction_asks_the_questions_as_answered_after_the_checklist_changed(
    contact: Contact, contact_officer: User, administrator: User, now: dt.datetime
) -> None:
    first = services.record_notification(contact, details(contact, yes=14), by=contact_officer, at=now, version=None)
    services.save_question(
        DashQuestion.objects.get(number=2), text="Reworded", in_use=True, by=administrator, at=now, version=0
    )
    services.save_question(
        DashQuestion.objects.get(number=24),
        text=DashQuestion.objects.get(number=24).text,
        in_use=False,
        by=administrator,
        at=now,
        version=0,
    )
    services.save_question(None, text="A new question", in_use=True, by=administrator, at=now, version=None)
    LocalProtocol.objects.filter(is_active=True).update(marac_threshold=20)

    corrected = services.record_notification(
        contact,
        details(
            contact,
            answers={n: "yes" if n <= 14 else "no" for n in range(1, 25)},  # the questions police answered
            place="Flat 2, the family home",
            correction_reason="The place was wrong",
        ),
        by=contact_officer,
        at=now + H,
        version=first.version,
    )

    assert [a["number"] for a in corrected.dash_answers] == list(range(1, 25))
    assert corrected.dash_answers[1]["text"] == "Is the victim very frightened?"
    assert (corrected.marac_threshold, corrected.marac_basis) == (14, MaracBasis.THRESHOLD)  # as it was recorded


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"rationale": "Escalating"}, "refer_on_judgement", "to keep this rationale, or clear it"),
        ({"incident_at": "future"}, "incident_on", "cannot be in the future"),
        ({"incident_at": "1900"}, "incident_on", "more than five years before"),
    ],
)
def test_a_rationale_without_its_tick_and_an_incident_in_the_future_or_long_ago_are_refused(
    contact: Contact, contact_officer: User, now: dt.datetime, change: dict[str, Any], field: str, message: str
) -> None:
    moments = {"future": now + H, "1900": dt.datetime(1900, 1, 1, tzinfo=dt.UTC)}
    if "incident_at" in change:
        change = {"incident_at": moments[change["incident_at"]]}

    with pytest.raises(Refused) as refused:
        services.record_notification(contact, details(contact, **change), by=contact_officer, at=now, version=None)

    assert [(p.field, message in p.message) for p in refused.value.problems] == [(field, True)]


def test_a_question_asked_already_is_not_added_twice(administrator: User, now: dt.datetime) -> None:
    with pytest.raises(Refused, match="Question 2 already asks this"):
        services.save_question(
            None, text="is the victim very frightened? ", in_use=True, by=administrator, at=now, version=None
        )
    assert DashQuestion.objects.count() == 24


def test_a_contact_that_is_not_a_notification_has_no_such_page(
    mash_team: Team, contact_officer: User, now: dt.datetime, client: Client
) -> None:
    from safehub.mfa.testing import sign_in_both_steps

    school: Contact = ContactFactory(team=mash_team, received_at=now - H)
    sign_in_both_steps(client, contact_officer)
    assert client.get(reverse("domestic_abuse:record", args=[school.pk])).status_code == 404


def test_the_error_summary_follows_the_page(contact: Contact) -> None:
    from safehub.domestic_abuse.forms import NotificationForm

    mia = _subject(contact, "Mia")
    form = NotificationForm(
        {"police_reference": "", "assessment": ""},
        people=[(mia.pk, "Mia")],
        children=[(mia.pk, "Mia")],
        questions=services.questions_in_use(),
    )
    assert not form.is_valid()
    form.add_problems(services.problems(contact, form.details(), at=contact.received_at))
    names = list(form.errors)
    assert names.index("police_reference") < names.index(f"present_{mia.pk}") < names.index("assessment")


def test_a_correction_that_changes_nothing_is_refused_and_each_one_is_kept_with_what_it_changed(
    contact: Contact, contact_officer: User, now: dt.datetime
) -> None:
    first = services.record_notification(contact, details(contact, yes=15), by=contact_officer, at=now, version=None)
    with pytest.raises(DomainError, match="Nothing is changed"):
        services.record_notification(
            contact, details(contact, yes=15, correction_reason="Checked"), by=contact_officer, at=now, version=0
        )
    withdrawn = services.record_notification(
        contact,
        details(contact, yes=13, correction_reason="Two answers misread"),
        by=contact_officer,
        at=now,
        version=0,
    )
    services.record_notification(
        contact,
        details(contact, yes=13, place="Flat 2", correction_reason="The place"),
        by=contact_officer,
        at=now + H,
        version=withdrawn.version,
    )

    corrections = list(first.corrections.order_by("at", "pk"))
    assert [c.reason for c in corrections] == ["Two answers misread", "The place"]
    assert corrections[0].changes["marac_basis"] == [MaracBasis.THRESHOLD, ""]  # the withdrawn referral stays on record
    assert [row[0] for row in corrections[0].changes["answers"]] == [14, 15]
    assert len(corrections[0].answers_before) == 24


def test_the_officers_high_level_beside_a_dash_checklist_refers_and_the_named_perpetrator_is_chosen(
    contact: Contact, contact_officer: User, now: dt.datetime, client: Client
) -> None:
    from safehub.mfa.testing import sign_in_both_steps

    notification = services.record_notification(
        contact, details(contact, yes=13, risk_level="high"), by=contact_officer, at=now, version=None
    )
    assert notification.marac_basis == MaracBasis.HIGH_RISK
    other = notification_contact(contact.team, now - H, victim_born=dt.date(1970, 2, 2))
    sign_in_both_steps(client, contact_officer)
    page = client.get(reverse("domestic_abuse:record", args=[other.pk])).content.decode()
    dean = _subject(other, "Dean").pk
    assert 'name="perpetrator" id="id_perpetrator_' in page
    assert f'value="{dean}" checked' in page


def test_the_same_police_reference_on_another_notification_is_pointed_out(
    mash_team: Team, other_team: Team, contact_officer: User, manager: User, now: dt.datetime
) -> None:
    from safehub.domestic_abuse.presenters import same_reference

    first = notification_contact(mash_team, now - 3 * H)
    services.record_notification(first, details(first), by=contact_officer, at=now, version=None)
    second = notification_contact(mash_team, now - 2 * H, victim_born=dt.date(1975, 5, 5))
    notification = services.record_notification(
        second, details(second, police_reference="wmp-20261123-0457"), by=contact_officer, at=now, version=None
    )
    elsewhere = notification_contact(other_team, now - H, victim_born=dt.date(1976, 6, 6))
    services.record_notification(elsewhere, details(elsewhere), by=contact_officer, at=now, version=None)

    found = same_reference(manager, notification)
    assert found is not None
    assert ([c.pk for c in found.shown], found.hidden) == ([first.pk], 1)
