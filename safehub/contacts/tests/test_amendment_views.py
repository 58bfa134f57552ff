"""'Amend this contact' in the browser's terms: the pages, what they save, what they refuse, and the
contact page that shows the amendments (history, details, addenda)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts import amendments
from safehub.contacts.models import Amendment, ConsentPosition, Contact
from safehub.contacts.tests.factories import (
    SIBLING,
    ClosedContactFactory,
    ContactApprovedFactory,
    ContactAwaitingApprovalFactory,
    ContactAwaitingThresholdFactory,
)
from safehub.decisions import services as decisions
from safehub.decisions.models import Outcome
from safehub.mfa.testing import sign_in_both_steps
from safehub.protocols.models import Brag, LocalProtocol
from safehub.screening.services import identify_subject
from tests.fuzz.html_forms import form_posting_to

pytestmark = pytest.mark.django_db


def _url(contact: Contact, name: str, *args: int) -> str:
    return reverse(f"contacts:{name}", args=[contact.pk, *args])


def _sibling(contact: Contact, **extra: Any) -> dict[str, Any]:
    return {
        "version": contact.version,
        "submission_key": str(uuid.uuid4()),
        "role": "sibling",
        "kind": "child",
        "given_name": "Leo",
        "family_name": "Harlow",
        "sex": "male",
        "date_of_birth_0": "2",
        "date_of_birth_1": "3",
        "date_of_birth_2": "2019",
        "reason": "The school told us about him",
        **extra,
    }


def test_the_contact_page_offers_amending_to_front_door_staff_only(
    social_worker_client: Client, strategy_coordinator: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    assert "Amend this contact" in social_worker_client.get(contact.get_absolute_url()).content.decode()
    coordinator = Client()
    sign_in_both_steps(coordinator, strategy_coordinator)
    assert "Amend this contact" not in coordinator.get(contact.get_absolute_url()).content.decode()


def test_the_choice_offers_what_the_state_allows(
    social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    open_contact = ContactAwaitingThresholdFactory(team=mash_team)
    page = social_worker_client.get(_url(open_contact, "amend")).content.decode()
    for offered in ("Add a child or adult", "Remove someone", "Correct Mia Harlow&#x27;s details", "Record consent"):
        assert offered in page
    waiting = ContactAwaitingApprovalFactory(team=mash_team)
    page = social_worker_client.get(_url(waiting, "amend")).content.decode()
    assert "Record consent" in page
    assert "Add information" in page
    assert "Add a child or adult" not in page
    assert "once the manager returns it for reconsideration" in page


def test_choosing_a_change_leads_to_its_page(social_worker_client: Client, mash_team: Any, now: dt.datetime) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    mia = contact.subjects.get()
    response = social_worker_client.post(_url(contact, "amend"), {"change": f"person-{mia.pk}"})
    assert response["Location"] == _url(contact, "amend-person", mia.pk)
    response = social_worker_client.post(_url(contact, "amend"), {})
    assert "Select what you want to change" in response.content.decode()


def test_adding_a_sibling_shows_them_not_yet_identified_with_the_amendment_in_the_history(
    social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    response = social_worker_client.post(_url(contact, "amend-add-person"), _sibling(contact))
    assert response.status_code == 302
    assert response["Location"] == contact.get_absolute_url()
    page = social_worker_client.get(contact.get_absolute_url()).content.decode()
    assert "Contact amended: Leo Harlow added" in page
    assert "Person added: Leo Harlow" in page  # the timeline
    assert "Not identified yet" in page
    assert "Identify the people added" in page  # screening's button
    assert "The school told us about him" in page


def test_bad_input_shows_the_error_summary_and_saves_nothing(
    social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    data = _sibling(contact, date_of_birth_2="2031", reason="")
    response = social_worker_client.post(_url(contact, "amend-add-person"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Date of birth must be today or in the past" in page
    assert "Enter how you found out about them" in page
    assert not Amendment.objects.exists()


def test_a_stale_form_answers_409_and_changes_nothing(
    social_worker_client: Client, social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    data = _sibling(contact)
    amendments.add_information(contact, "News", source="School", by=social_worker, at=now, version=0)
    response = social_worker_client.post(_url(contact, "amend-add-person"), data)
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert contact.subjects.count() == 1


def test_sending_the_form_twice_makes_one_amendment(
    social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    data = {"version": 0, "submission_key": str(uuid.uuid4()), "information": "Dad is back", "source": "Mother"}
    first = social_worker_client.post(_url(contact, "amend-information"), data)
    second = social_worker_client.post(_url(contact, "amend-information"), data, follow=True)
    assert first.status_code == 302
    assert "You had already recorded this amendment: nothing new was saved" in second.content.decode()
    assert Amendment.objects.count() == 1
    assert AuditEvent.objects.filter(verb=Verb.CONTACT_AMENDED).count() == 1


def test_a_page_the_state_does_not_allow_goes_back_to_the_choice(
    social_worker_client: Client, social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingApprovalFactory(team=mash_team)
    response = social_worker_client.get(_url(contact, "amend-add-person"), follow=True)
    assert response.redirect_chain[-1][0] == _url(contact, "amend")
    assert "once the manager returns it for reconsideration" in response.content.decode()
    # Sent anyway (the state changed while the form was open): refused in the error summary.
    response = social_worker_client.post(_url(contact, "amend-add-person"), _sibling(contact))
    assert response.status_code == 200
    assert "once the manager returns it for reconsideration" in response.content.decode()
    assert not Amendment.objects.exists()


def test_removing_a_person_needs_a_choice_and_a_reason(
    social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    response = social_worker_client.post(
        _url(contact, "amend-remove-person"), {"version": 0, "submission_key": str(uuid.uuid4())}
    )
    page = response.content.decode()
    assert "Select the person to remove" in page
    assert "Enter why they are being removed" in page
    mia = contact.subjects.get()
    response = social_worker_client.post(
        _url(contact, "amend-remove-person"),
        {"version": 0, "submission_key": str(uuid.uuid4()), "subject": mia.pk, "reason": "Wrong child"},
    )
    assert "Mia Harlow is the only child on this contact" in response.content.decode()
    assert contact.subjects.count() == 1


def test_correcting_a_person_shows_before_and_after_in_the_history(
    contact_officer_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    mia = contact.subjects.get()
    form = contact_officer_client.get(_url(contact, "amend-person", mia.pk)).content.decode()
    assert 'value="Mia"' in form  # the details as known, to change
    data = _sibling(contact, role="child", kind="child", given_name="Mya", sex="female", reason="Misspelt")
    data.update(date_of_birth_0="17", date_of_birth_1="5", date_of_birth_2="2016", family_name="Harlow")
    data["postcode"] = "DA6 7AT"
    assert contact_officer_client.post(_url(contact, "amend-person", mia.pk), data).status_code == 302
    page = contact_officer_client.get(contact.get_absolute_url()).content.decode()
    assert "Details corrected: Mya Harlow" in page
    assert "First name" in page
    assert "Mia" in page


def test_correcting_the_contact_keeps_the_clocks_out_of_reach(
    social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    page = social_worker_client.get(_url(contact, "amend-details")).content.decode()
    assert 'name="narrative"' in page
    assert 'name="immediate_protection"' not in page
    assert 'name="initial_rating"' not in page


def test_the_correction_page_shows_why_the_family_was_not_told_and_the_history_keeps_it(
    social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(
        team=mash_team,
        consent=ConsentPosition.NOT_INFORMED_SAFEGUARDING,
        not_told={"prejudice_investigation": "Police are to interview him first"},
        parents_aware="no",
        parents_agree="no",
    )
    page = social_worker_client.get(_url(contact, "amend-details")).content.decode()
    assert 'value="prejudice_investigation" checked' in page
    assert "Police are to interview him first</textarea>" in page
    form = {
        **form_posting_to(page, _url(contact, "amend-details")).as_drawn(),
        "not_told_reasons": ["prejudice_investigation", "undue_delay"],
        "not_told_undue_delay": "",
        "reason": "The referrer rang back",
    }
    refused = social_worker_client.post(_url(contact, "amend-details"), form)
    assert "Say why seeking to tell them would cause undue delay" in refused.content.decode()
    form["not_told_undue_delay"] = "The interview is tomorrow at nine"
    assert social_worker_client.post(_url(contact, "amend-details"), form).status_code == 302
    page = social_worker_client.get(contact.get_absolute_url()).content.decode()
    assert "Why the family was not told" in page
    assert "Seeking to tell them would cause undue delay: The interview is tomorrow at nine" in page


def test_consent_recorded_later_lets_early_help_be_recommended(
    social_worker_client: Client, social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team, consent=ConsentPosition.INFORMED)
    level = LocalProtocol.objects.get(is_active=True).levels.get(code="intensive")
    child = contact.subjects.get().pk
    recommendation = {
        f"child-{child}-rating": "green",
        f"child-{child}-level": level.pk,
        f"child-{child}-outcome": "early_help",
        "early_help_criteria": "Parental mental ill-health",  # 002 §9(c): one of Bexley's criteria
        "rationale": "Support",
    }
    refused = social_worker_client.post(
        reverse("decisions:recommend", args=[contact.pk]), {**recommendation, "version": 0}
    )
    assert "Early help needs the family&#x27;s consent" in refused.content.decode()
    # "Record consent given or refused since" on the amend page is each person's answer (ADR 0034).
    choice = social_worker_client.post(_url(contact, "amend"), {"change": "consent"})
    assert choice["Location"] == reverse("consent:answer", args=[contact.pk])
    data = {
        "subject": str(child),
        "purpose": "early_help",
        "answer": "given",
        "given_by": "parent",
        "giver_name": "Dawn Harlow",
        "given_on_0": "24",
        "given_on_1": "11",
        "given_on_2": "2026",
        "method": "verbal",
        "submission_key": str(uuid.uuid4()),
    }
    assert social_worker_client.post(choice["Location"], data).status_code == 302
    response = social_worker_client.post(
        reverse("decisions:recommend", args=[contact.pk]), {**recommendation, "version": 0}
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.recommendations.get().children.get().outcome == Outcome.EARLY_HELP


def test_after_the_decision_the_addendum_is_shown_apart_and_the_details_stay(
    social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactApprovedFactory(team=mash_team)
    mia = contact.subjects.get()
    form = social_worker_client.get(_url(contact, "amend-person", mia.pk)).content.decode()
    assert "What you record now is an addendum" in form
    data = _sibling(contact, role="child", given_name="Mya", sex="female", reason="Birth certificate seen")
    data.update(date_of_birth_0="17", date_of_birth_1="5", date_of_birth_2="2016", postcode="DA6 7AT")
    response = social_worker_client.post(_url(contact, "amend-person", mia.pk), data, follow=True)
    page = response.content.decode()
    assert "Addendum recorded" in page
    assert "Added after the decision" in page
    assert "These are the details the decision was made on" in page
    mia.refresh_from_db()
    assert mia.given_name == "Mia"


def test_a_closed_contact_takes_no_consent(social_worker_client: Client, mash_team: Any, now: dt.datetime) -> None:
    contact = ClosedContactFactory(team=mash_team)
    page = social_worker_client.get(_url(contact, "amend")).content.decode()
    assert "Record consent" not in page
    assert "nothing on it waits for consent any more" in page


def test_a_person_of_another_contact_is_not_found(
    social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    other = ContactAwaitingThresholdFactory(team=mash_team)
    response = social_worker_client.get(_url(contact, "amend-person", other.subjects.get().pk))
    assert response.status_code == 404


# --- a child added after screening is identified before the recommendation -----------------------


def test_a_child_added_after_screening_blocks_the_recommendation_until_identified(
    social_worker_client: Client, social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    amendments.add_person(contact, _person(), reason="Found", by=social_worker, at=now, version=0)
    level = LocalProtocol.objects.get(is_active=True).levels.get(code="specialist")
    recommendation = {
        "child-all-rating": "amber",
        "child-all-level": level.pk,
        "child-all-outcome": "section_17_assessment",
        "rationale": "x",
    }
    response = social_worker_client.post(
        reverse("decisions:recommend", args=[contact.pk]), {**recommendation, "version": 1}
    )
    assert "Leo Harlow was added to the contact after screening" in response.content.decode()
    # The identify page links him (a new person record), as screening links everyone else.
    url = reverse("screening:identify-people", args=[contact.pk])
    page = social_worker_client.get(url).content.decode()
    assert "Until Leo Harlow is identified, the contact cannot be recommended" in page
    leo = contact.subjects.get(given_name="Leo")
    prefix = f"subject-{leo.pk}"
    data = {"action": "identify", "subject_pk": leo.pk, f"{prefix}-person": "new", f"{prefix}-version": 1}
    response = social_worker_client.post(url, data)
    assert response.status_code == 302
    leo.refresh_from_db()
    assert leo.person is not None
    response = social_worker_client.post(
        reverse("decisions:recommend", args=[contact.pk]), {**recommendation, "version": 2}
    )
    assert response.status_code == 302


def test_identifying_after_screening_stops_at_the_recommendation(
    social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactAwaitingThresholdFactory(team=mash_team)
    amendments.add_person(contact, _person(), reason="Found", by=social_worker, at=now, version=0)
    contact.refresh_from_db()
    level = LocalProtocol.objects.get(is_active=True).levels.get(code="specialist")
    leo = contact.subjects.get(given_name="Leo")
    identify_subject(leo, person=None, by=social_worker, at=now, version=1)
    contact.refresh_from_db()
    decisions.recommend(
        contact,
        children=decisions.same_for_all(
            contact, decisions.ChildChoice(Brag.AMBER, level, Outcome.SECTION_17_ASSESSMENT)
        ),
        rationale="Needs assessing",
        by=social_worker,
        at=now,
        version=contact.version,
    )
    contact.refresh_from_db()
    client = Client()
    sign_in_both_steps(client, social_worker)
    response = client.get(reverse("screening:identify-people", args=[contact.pk]))
    assert response.status_code == 302  # awaiting approval: no longer identified here


def _person() -> dict[str, Any]:
    return {
        "role": "sibling",
        "kind": "child",
        "given_name": "Leo",
        "family_name": "Harlow",
        "sex": "male",
        "date_of_birth": dt.date(2019, 3, 2),
    }


# --- a child added after the decision: a call to record a new contact about them -----------------

LILY = {**SIBLING, "given_name": "Lily", "sex": "female", "date_of_birth": dt.date(2021, 4, 9)}


def _closed_with_lily(team: Any, by: User, at: dt.datetime) -> tuple[Contact, Amendment]:
    contact = ClosedContactFactory(team=team)
    done = amendments.add_person(contact, LILY, reason="School told us", by=by, at=at, version=0)
    return contact, done.amendment


def test_a_child_added_after_the_decision_prompts_a_new_contact(
    social_worker_client: Client, social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact, added = _closed_with_lily(mash_team, social_worker, now)
    page = social_worker_client.get(contact.get_absolute_url()).content.decode()
    href = f"{reverse('contacts:record-contact')}?from_contact={contact.pk}&amp;person_added={added.pk}"
    assert (
        "Lily Harlow was added after the decision and has no threshold decision:"
        f' <a class="govuk-link" href="{href}">record a new contact about her</a>'
    ) in page


def test_an_adult_added_after_the_decision_prompts_nothing(
    social_worker_client: Client, social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact = ClosedContactFactory(team=mash_team)
    uncle = {
        **SIBLING,
        "role": "other_adult",
        "kind": "adult",
        "given_name": "Sam",
        "date_of_birth": dt.date(1990, 1, 1),
    }
    amendments.add_person(contact, uncle, reason="Mother told us", by=social_worker, at=now, version=0)
    page = social_worker_client.get(contact.get_absolute_url()).content.decode()
    assert "Person added: Sam Harlow" in page
    assert "record a new contact about" not in page


def test_only_those_who_record_contacts_are_prompted(
    strategy_coordinator: User, social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact, _ = _closed_with_lily(mash_team, social_worker, now)
    client = Client()
    sign_in_both_steps(client, strategy_coordinator)
    page = client.get(contact.get_absolute_url()).content.decode()
    assert "Person added: Lily Harlow" in page
    assert "record a new contact about" not in page


def test_the_new_contact_starts_with_the_child_as_the_addendum_recorded_them(
    social_worker_client: Client, social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact, added = _closed_with_lily(mash_team, social_worker, now)
    url = f"{reverse('contacts:record-contact')}?from_contact={contact.pk}&person_added={added.pk}"
    page = social_worker_client.get(url).content.decode()
    assert 'name="person-0-given_name" value="Lily"' in page
    assert 'name="person-0-date_of_birth_2" value="2021"' in page
    role = page[page.index('name="person-0-role"') : page.index("</select>", page.index('name="person-0-role"'))]
    assert '<option value="child" selected>' in role  # on the new contact, the child it is about
    # Reading the decided contact for it is recorded, as every read of a child's record is.
    assert AuditEvent.objects.filter(
        verb=Verb.CONTACT_VIEWED, contact=contact, by=social_worker, data__page="record-contact-from-addendum"
    ).exists()


def test_a_contact_the_user_may_not_see_fills_in_nothing(
    other_team_social_worker: User, social_worker: User, mash_team: Any, now: dt.datetime
) -> None:
    contact, added = _closed_with_lily(mash_team, social_worker, now)
    client = Client()
    sign_in_both_steps(client, other_team_social_worker)
    url = f"{reverse('contacts:record-contact')}?from_contact={contact.pk}&person_added={added.pk}"
    response = client.get(url)
    assert response.status_code == 404
    assert "Lily" not in response.content.decode()
