from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Role, Team
from safehub.accounts.tests.factories import user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.forms import SubjectForm
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactFactory
from safehub.mfa.testing import sign_in_both_steps

pytestmark = pytest.mark.django_db

URL = reverse("contacts:record-contact")
KEY = "0b3c4a52-55f2-4c69-9a5a-6f1f9c3f2f11"


def contact_post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "submission_key": KEY,
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
        "person-TOTAL_FORMS": "1",
        "person-INITIAL_FORMS": "0",
        "person-MIN_NUM_FORMS": "1",
        "person-MAX_NUM_FORMS": "20",
        "person-0-role": "child",
        "person-0-kind": "child",
        "person-0-given_name": "Mia",
        "person-0-family_name": "Harlow",
        "person-0-sex": "female",
        "person-0-date_of_birth_0": "17",
        "person-0-date_of_birth_1": "5",
        "person-0-date_of_birth_2": "2016",
        "person-0-postcode": "da6 7at",
        "person-0-nhs_number": "",
    }
    data.update(overrides)
    return data


def test_contact_officer_sees_the_form(contact_officer_client: Client) -> None:
    response = contact_officer_client.get(URL)
    assert response.status_code == 200
    assert "Record a contact" in response.content.decode()


def test_contact_officer_records_a_contact(contact_officer_client: Client, now: dt.datetime) -> None:
    response = contact_officer_client.post(URL, contact_post(), follow=True)
    contact = Contact.objects.get()
    assert response.redirect_chain[-1][0] == contact.get_absolute_url()
    assert f"Contact {contact.reference} recorded" in response.content.decode()
    subject = contact.subjects.get()
    assert (subject.given_name, subject.postcode) == ("Mia", "DA6 7AT")
    assert AuditEvent.objects.filter(verb=Verb.CONTACT_RECORDED, contact=contact).exists()


def test_a_double_submission_records_one_contact(contact_officer_client: Client, now: dt.datetime) -> None:
    contact_officer_client.post(URL, contact_post())
    contact_officer_client.post(URL, contact_post())
    assert Contact.objects.count() == 1


def test_back_and_submit_again_lands_on_the_contact_already_recorded(
    contact_officer_client: Client, now: dt.datetime
) -> None:
    """Back redraws the form with a new one-time key; the browser puts back what was typed."""
    first = contact_officer_client.post(URL, contact_post(), follow=True)
    contact = Contact.objects.get()
    again = contact_officer_client.post(
        URL, contact_post(submission_key="5d1f3bb0-8a58-4c0e-b1a4-0c6a2b0e9d17"), follow=True
    )
    assert Contact.objects.count() == 1
    assert contact.subjects.count() == 1
    assert AuditEvent.objects.filter(verb=Verb.CONTACT_RECORDED).count() == 1
    assert again.redirect_chain[-1][0] == first.redirect_chain[-1][0] == contact.get_absolute_url()
    assert (
        f"You had already recorded this contact as {contact.reference}: nothing new was saved" in again.content.decode()
    )


def test_different_details_after_back_are_a_new_contact(contact_officer_client: Client, now: dt.datetime) -> None:
    contact_officer_client.post(URL, contact_post())
    contact_officer_client.post(
        URL, contact_post(submission_key="5d1f3bb0-8a58-4c0e-b1a4-0c6a2b0e9d17", **{"person-0-given_name": "Leo"})
    )
    assert Contact.objects.count() == 2


def test_the_same_details_from_another_officer_are_their_own_contact(
    contact_officer_client: Client, mash_team: Team, now: dt.datetime
) -> None:
    """Two people recording the same call is a duplicate for screening to find, not a resubmission."""
    contact_officer_client.post(URL, contact_post())
    colleague = Client()
    sign_in_both_steps(colleague, user_with_role(Role.CONTACT_OFFICER, team=mash_team, username="second.officer"))
    colleague.post(URL, contact_post(submission_key="5d1f3bb0-8a58-4c0e-b1a4-0c6a2b0e9d17"))
    assert Contact.objects.count() == 2


def test_add_another_person_keeps_what_was_typed_and_saves_nothing(
    contact_officer_client: Client, now: dt.datetime
) -> None:
    response = contact_officer_client.post(URL, contact_post(**{"add-person": "1"}))
    page = response.content.decode()
    assert Contact.objects.count() == 0
    assert 'value="Mia"' in page
    assert "Arrived hungry on several days." in page
    assert "Person 2" in page
    assert "There is a problem" not in page


def test_add_another_person_puts_the_user_on_the_new_person(contact_officer_client: Client, now: dt.datetime) -> None:
    page = contact_officer_client.post(URL, contact_post(**{"add-person": "1"})).content.decode()
    assert 'id="person-2"' in page
    assert page.count("autofocus") == 1
    assert re.search(r'<select name="person-1-role"[^>]*autofocus', page)


def test_remove_puts_the_user_on_the_person_now_in_that_place(contact_officer_client: Client, now: dt.datetime) -> None:
    two = contact_post(
        **{
            "person-TOTAL_FORMS": "3",
            "person-1-given_name": "Leo",
            "person-2-given_name": "Ava",
            "remove-person-1": "1",
        }
    )
    page = contact_officer_client.post(URL, two).content.decode()
    assert 'value="Ava"' in page
    assert 'value="Leo"' not in page
    assert re.search(r'<select name="person-1-role"[^>]*autofocus', page)  # Ava, now person 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"narrative": ""}, "Describe the concern"),
        ({"person-0-date_of_birth_2": "1800"}, "Check the date of birth: it is too long ago"),
        ({"person-0-date_of_birth_2": "2001"}, "A child is under 18: check the date of birth"),
        (
            {"immediate_protection": "yes", "initial_rating": "blue"},
            "A child who needs immediate protection is rated Red",
        ),
        ({"person-0-date_of_birth_0": "31", "person-0-date_of_birth_1": "2"}, "Date of birth must be a real date"),
        ({"person-0-date_of_birth_2": "2027"}, "Date of birth must be today or in the past"),
        ({"received_on_2": "2015"}, "The contact cannot be received before Mia was born"),
        ({"received_on_0": "25"}, "The date received must be today or in the past"),
        ({"person-0-nhs_number": "1234567890"}, "Enter a valid 10-digit NHS number"),
        ({"person-0-postcode": "XYZ"}, "Enter a real postcode, like B1 1AA"),
        ({"narrative": "x" * 10_001}, "What is the concern: enter no more than 10,000 characters"),
        ({"referrer_name": ""}, "Enter the referrer&#x27;s name"),
        ({"person-0-role": "parent", "person-0-kind": "adult"}, "Add at least one child the concern is about"),
        (
            {"person-0-kind": "unborn", "person-0-given_name": ""},
            "An unborn child has no date of birth",
        ),
        ({"received_time": "25:00"}, "Enter the time received as hours and minutes"),
        # Walk-through: the name and phone were dropped, the role and school kept, with no word.
        (
            {"referrer_kind": "anonymous"},
            "The referrer asked to stay anonymous: leave their name, role, agency and contact details empty",
        ),
        # Today at a time still to come: the time is wrong, not the date (walk-through).
        ({"received_time": "23:59"}, '<a href="#id_received_time">The time received cannot be in the future</a>'),
    ],
)
def test_bad_input_is_explained_and_saves_nothing(
    contact_officer_client: Client, now: dt.datetime, overrides: dict[str, str], message: str
) -> None:
    response = contact_officer_client.post(URL, contact_post(**overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert Contact.objects.count() == 0
    assert not AuditEvent.objects.filter(verb=Verb.CONTACT_RECORDED).exists()


def test_the_error_summary_lists_problems_in_the_order_the_page_shows_them(
    contact_officer_client: Client, now: dt.datetime
) -> None:
    """Walk-through: the concern's problems were listed before the people's, above a page that shows
    the referrer, then the people, then the concern."""
    post = contact_post(referrer_name="", narrative="", **{"person-0-postcode": "XYZ"})
    post.pop("concern_categories", None)
    page = contact_officer_client.post(URL, post).content.decode()
    summary = page[
        page.index("govuk-error-summary__list") : page.index("</ul>", page.index("govuk-error-summary__list"))
    ]
    order = [
        summary.index(text)
        for text in (
            "Enter the referrer",
            "Enter a real postcode",
            "Select at least one kind of concern",
            "Describe the concern",
        )
    ]
    assert order == sorted(order)


def test_the_error_summary_says_whose_each_persons_error_is(contact_officer_client: Client, now: dt.datetime) -> None:
    """Walk-through: with two people, "Date of birth must be a real date" was listed twice, with no name."""
    post = contact_post(
        **{
            "person-TOTAL_FORMS": "3",
            "person-0-date_of_birth_0": "31",
            "person-0-date_of_birth_1": "2",
            "person-1-role": "sibling",
            "person-1-kind": "child",
            "person-1-given_name": "Leo",
            "person-1-family_name": "Harlow",
            "person-1-date_of_birth_0": "31",
            "person-1-date_of_birth_1": "2",
            "person-1-date_of_birth_2": "2019",
            "person-2-role": "sibling",
            "person-2-kind": "child",
            "person-2-date_of_birth_0": "31",
            "person-2-date_of_birth_1": "2",
            "person-2-date_of_birth_2": "2021",
        }
    )
    page = contact_officer_client.post(URL, post).content.decode()
    start = page.index("govuk-error-summary__list")
    summary = page[start : page.index("</ul>", start)]
    assert (
        '<a href="#id_person-0-date_of_birth_0">Person 1 (Mia Harlow): Date of birth must be a real date</a>' in summary
    )
    assert (
        '<a href="#id_person-1-date_of_birth_0">Person 2 (Leo Harlow): Date of birth must be a real date</a>' in summary
    )
    assert '<a href="#id_person-2-date_of_birth_0">Person 3: Date of birth must be a real date</a>' in summary
    assert '<a href="#id_person-2-family_name">Person 3: Enter at least a first or last name</a>' in summary
    # Beside the field, inside the person's own fieldset, the message stays as it is.
    assert "</span> Date of birth must be a real date" in page
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(
    ("role_fixture", "status"),
    [
        ("police_partner", 404),  # to a partner, the hub's own pages do not exist
        ("data_protection_officer", 403),
        ("administrator", 403),
        ("performance_lead", 403),
        ("strategy_coordinator", 403),
    ],
)
def test_roles_outside_the_front_door_cannot_record(
    request: pytest.FixtureRequest, role_fixture: str, status: int
) -> None:
    client = Client()
    sign_in_both_steps(client, request.getfixturevalue(role_fixture))
    assert client.get(URL).status_code == status


def test_team_member_sees_the_contact_and_the_view_is_audited(
    social_worker: Any, social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team)
    response = social_worker_client.get(contact.get_absolute_url())
    assert response.status_code == 200
    assert contact.reference in response.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.CONTACT_VIEWED, contact=contact, by=social_worker).exists()


@pytest.mark.parametrize(
    "role_fixture",
    ["other_team_social_worker", "police_partner", "data_protection_officer", "administrator", "performance_lead"],
)
def test_people_outside_the_team_get_404(request: pytest.FixtureRequest, role_fixture: str, mash_team: Any) -> None:
    contact = ContactFactory(team=mash_team)
    client = Client()
    sign_in_both_steps(client, request.getfixturevalue(role_fixture))
    assert client.get(contact.get_absolute_url()).status_code == 404
    assert not AuditEvent.objects.filter(verb=Verb.CONTACT_VIEWED).exists()


def test_unknown_contact_is_404(social_worker_client: Client) -> None:
    assert social_worker_client.get(reverse("contacts:contact", args=[999999])).status_code == 404


def test_contact_page_is_read_only(social_worker_client: Client, mash_team: Any) -> None:
    contact = ContactFactory(team=mash_team)
    assert social_worker_client.post(contact.get_absolute_url()).status_code == 405


def test_contact_page_query_count_is_bounded(
    social_worker_client: Client, mash_team: Any, django_assert_max_num_queries: Any, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team)
    # The consent panel's three lookups and the protocol's ages took 25 to 26; the agencies' agreements
    # and the contact's ledger rows (issue 14) one more each, where the contact has them; its letters, the
    # decisions about writing to the family, and the protocol's times to tell people (issue 15) three more;
    # its referral packs (issue 15, onward referrals) one more; its referrals, for what happened after them
    # (issue 16, the casework panel), one more.
    with django_assert_max_num_queries(33):
        social_worker_client.get(contact.get_absolute_url())


def test_every_problem_with_the_contact_is_shown_at_once_beside_its_field(
    contact_officer_client: Client, now: dt.datetime
) -> None:
    post = contact_post(
        **{
            "narrative": "",
            "referrer_name": "",
            "person-0-date_of_birth_2": "2030",
            "person-TOTAL_FORMS": "2",
            "person-1-role": "sibling",
            "person-1-kind": "unborn",
            "person-1-family_name": "Harlow",
            "person-1-date_of_birth_0": "1",
            "person-1-date_of_birth_1": "1",
            "person-1-date_of_birth_2": "2026",
        }
    )
    page = contact_officer_client.post(URL, post).content.decode()
    summary = page.split('class="govuk-error-summary"')[1].split("</div>")[0]
    for message in (
        "Describe the concern",
        "Enter the referrer&#x27;s name",
        "Date of birth must be today or in the past",
        "An unborn child has no date of birth",
    ):
        assert message in summary, message
        assert page.count(message) >= 2, f"{message} is not shown beside its field too"
    assert Contact.objects.count() == 0


def test_a_form_claiming_hundreds_of_people_is_refused_without_drawing_them(
    contact_officer_client: Client, now: dt.datetime
) -> None:
    response = contact_officer_client.post(URL, contact_post(**{"person-TOTAL_FORMS": "500"}))
    assert response.status_code == 200
    # At most the most a contact names is drawn (the error summary names each person drawn, too).
    drawn = re.findall(
        r'<fieldset class="govuk-fieldset govuk-!-margin-bottom-6" id="person-\d+">', response.content.decode()
    )
    assert len(drawn) <= 20  # the blank block "Add another person" copies is a <template>, not a person
    assert Contact.objects.count() == 0


def test_an_nhs_number_is_taken_as_the_nhs_writes_it(now: dt.datetime) -> None:
    """The walk-through typed '542 189 3553' (as Safehub shows NHS numbers) and the field cut it
    to '542 189 35', then refused it."""
    form = SubjectForm(
        data={
            "role": "child",
            "kind": "child",
            "given_name": "Mia",
            "family_name": "Harlow",
            "sex": "female",
            "nhs_number": "943 476 5919",
        },
        at=now,
    )
    assert 'maxlength="20"' in str(form["nhs_number"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nhs_number"] == "9434765919"


def test_the_people_choices_not_yet_made_are_worded(contact_officer_client: Client) -> None:
    page = contact_officer_client.get(URL).content.decode()
    assert "---------" not in page
    assert "Select how they are involved" in page


def test_a_family_not_told_is_asked_why_beside_each_reason_and_shown_on_the_contact(
    contact_officer_client: Client, social_worker_client: Client, now: dt.datetime
) -> None:
    refused = contact_officer_client.post(
        URL,
        contact_post(
            consent="not_informed_safeguarding",
            not_told_reasons=["increased_risk", "prejudice_investigation"],
            parents_aware="no",
            parents_agree="no",
        ),
    )
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Say how telling them would increase the risk to the child" in page
    assert "Say which investigation telling them would prejudice, and how" in page
    assert not Contact.objects.exists()

    saved = contact_officer_client.post(
        URL,
        contact_post(
            consent="not_informed_safeguarding",
            parents_aware="no",
            parents_agree="no",
            not_told_reasons=["prejudice_investigation"],
            not_told_prejudice_investigation="Police are to interview the father on Friday.",
        ),
    )
    assert saved.status_code == 302
    contact = Contact.objects.get()
    assert contact.not_told == {"prejudice_investigation": "Police are to interview the father on Friday."}
    shown = social_worker_client.get(contact.get_absolute_url()).content.decode()
    assert "Telling them would prejudice a criminal investigation:</strong> Police are to interview the father" in shown
