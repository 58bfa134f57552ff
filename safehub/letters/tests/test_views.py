"""The letters' pages: writing (preview, Enter, send once), a message's page and its actions, the
list of those waiting, the templates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.contacts.models import Contact
from safehub.letters.models import LetterKind, Message, Template
from safehub.letters.tests.helpers import actioned_contact, send_drafted
from safehub.letters.workflow import MessageState
from tests.fuzz.html_forms import form_posting_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(mash_team: Any, social_worker: Any, manager: Any, now: dt.datetime) -> Contact:
    return actioned_contact(mash_team, social_worker=social_worker, manager=manager, at=now)


def _form(client: Client, url: str) -> dict[str, str]:
    """The write page's form as drawn: the values it starts with."""
    drawn = form_posting_to(client.get(url).content.decode(), url).as_drawn()
    drawn.pop("csrfmiddlewaretoken", None)
    drawn.pop("action", None)
    return {name: values[0] if values else "" for name, values in drawn.items()}


def test_the_outcome_page_previews_on_enter_and_sends_once(contact: Contact, social_worker_client: Client) -> None:
    url = reverse("letters:write", args=[contact.pk, "outcome"])
    form = _form(social_worker_client, url)
    assert form["email"] == "priya.shah@example-primary.sch.uk"
    assert "Mia Harlow: section 17 assessment" in form["body"]
    # Enter in a box sends the form with no button: it previews, never sends.
    entered = social_worker_client.post(url, form)
    assert entered.status_code == 200
    assert b"Preview" in entered.content
    assert not Message.objects.exists()
    edited = {**form, "body": form["body"] + "\n\nI will ring you tomorrow as well.", "action": "send"}
    sent = social_worker_client.post(url, edited)
    assert sent.status_code == 302
    assert sent["Location"] == contact.get_absolute_url()
    message = Message.objects.get()
    assert message.body.endswith("I will ring you tomorrow as well.")
    # Back, and Send again: the same form sends nothing more.
    again = social_worker_client.post(url, edited)
    assert again.status_code == 302
    assert Message.objects.count() == 1
    page = social_worker_client.get(contact.get_absolute_url()).content.decode()
    assert "Letters and messages" in page
    assert "Waiting to be sent" in page


def test_a_message_with_a_field_left_in_is_sent_back_with_the_problem_beside_it(
    contact: Contact, social_worker_client: Client
) -> None:
    url = reverse("letters:write", args=[contact.pk, "outcome"])
    form = _form(social_worker_client, url)
    response = social_worker_client.post(url, {**form, "body": "Dear Priya, ((team)) will ring", "action": "send"})
    assert response.status_code == 200
    assert "Replace ((team)) in the message" in response.content.decode()
    assert not Message.objects.exists()


def test_a_letter_is_printed_posted_and_listed_until_it_is(
    contact: Contact, social_worker_client: Client, contact_officer_client: Client
) -> None:
    url = reverse("letters:write", args=[contact.pk, "family"])
    form = _form(social_worker_client, url)
    assert form["channel"] == "letter"
    assert social_worker_client.post(url, {**form, "action": "send"}).status_code == 302
    message = Message.objects.get(kind=LetterKind.FAMILY)
    assert message.state == MessageState.TO_PRINT
    waiting = contact_officer_client.get(reverse("letters:waiting")).content.decode()
    assert "To print and post (1)" in waiting
    pdf = contact_officer_client.get(reverse("letters:message-pdf", args=[message.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    posted = contact_officer_client.post(
        reverse("letters:message-action", args=[message.pk, "posted"]), {"version": message.version}
    )
    assert posted.status_code == 302
    message.refresh_from_db()
    assert message.state == MessageState.POSTED
    # A second click on the same page's button changes nothing and says why.
    stale = contact_officer_client.post(
        reverse("letters:message-action", args=[message.pk, "posted"]), {"version": message.version - 1}
    )
    assert stale.status_code == 302
    assert "To print and post (0)" in contact_officer_client.get(reverse("letters:waiting")).content.decode()


def test_the_administrator_saves_a_template_and_is_told_of_an_unknown_field(administrator_client: Client) -> None:
    template = Template.objects.get(kind=LetterKind.ACKNOWLEDGEMENT)
    url = reverse("letters:template", args=[template.pk])
    assert "((reference))" in administrator_client.get(url).content.decode()
    refused = administrator_client.post(url, {"based_on": 1, "subject": "((ref))", "body": "Hello", "note": ""})
    assert refused.status_code == 200
    assert "names ((ref)), which is not a field Safehub knows" in refused.content.decode()
    saved = administrator_client.post(
        url, {"based_on": 1, "subject": "Received: ((reference))", "body": "Dear ((recipient_name))", "note": "Short"}
    )
    assert saved.status_code == 302
    assert template.versions.count() == 2


def test_the_name_typed_in_to_fills_the_letter_and_unwritten_outcomes_are_listed(
    mash_team: Any, social_worker: Any, manager: Any, now: Any, social_worker_client: Client
) -> None:
    """Walk-through: a family letter with nobody to address it began "Dear ((recipient_name))", and the
    name typed in To did not fill it; a contact closed with "Not yet" was on no list."""
    contact = actioned_contact(mash_team, social_worker=social_worker, manager=manager, at=now)
    contact.subjects.filter(given_name="Dana").delete()
    waiting = social_worker_client.get(reverse("letters:waiting")).content.decode()
    assert f"Write the outcome for {contact.reference}" in waiting
    assert "Families not yet written to, nor a reason recorded (1)" in waiting
    url = reverse("letters:write", args=[contact.pk, "family"])
    form = _form(social_worker_client, url)
    assert form["body"].startswith("Dear ((recipient_name))")
    filled = {**form, "recipient_name": "Ms Karen Smith", "postal_address": "Ms Karen Smith\n1 Elm Close\nDA6 7AT"}
    preview = social_worker_client.post(url, filled).content.decode()
    assert "Dear Ms Karen Smith" in preview
    assert social_worker_client.post(url, {**filled, "action": "send"}).status_code == 302
    assert Message.objects.get().body.startswith("Dear Ms Karen Smith")
    waiting = social_worker_client.get(reverse("letters:waiting")).content.decode()
    assert "Families not yet written to, nor a reason recorded (0)" in waiting


def test_a_contact_officer_is_not_offered_to_write_the_outcome_later(
    mash_team: Any, social_worker: Any, manager: Any, contact_officer: Any, now: Any
) -> None:
    from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
    from safehub.core.errors import DomainError
    from safehub.decisions import services as decisions
    from safehub.decisions.forms import OutcomeActionForm
    from safehub.decisions.models import Outcome
    from safehub.decisions.tests.helpers import recommend_and_approve

    assert "safehub" not in dict(OutcomeActionForm(writes_letters=False).fields["informed_by"].choices)  # type: ignore[attr-defined]
    contact = recommend_and_approve(
        ContactAwaitingThresholdFactory(team=mash_team),
        outcome=Outcome.NO_FURTHER_ACTION,
        recommended_by=social_worker,
        approved_by=manager,
        at=now,
    )
    with pytest.raises(DomainError, match="Only a social worker or a manager writes the outcome"):
        decisions.action_outcome(
            contact,
            sent_to="",
            referrer_informed_at=None,
            referrer_informed_by=decisions.SEND_FROM_SAFEHUB,
            notes="",
            by=contact_officer,
            at=now,
            version=contact.version,
        )


def test_the_preview_says_when_the_greeting_and_the_name_in_to_disagree(
    contact: Contact, social_worker_client: Client
) -> None:
    """Walk-through: To changed to another parent after the words were drawn; the letter still said
    "Dear" the first, and went to print with no word of it."""
    url = reverse("letters:write", args=[contact.pk, "family"])
    form = _form(social_worker_client, url)
    assert "email" not in form  # a letter to the family goes by post: no email address to fill in
    shown = social_worker_client.post(url, {**form, "recipient_name": "Mr Sam Harlow"}).content.decode()
    assert 'The words say "Dear Dana Harlow" but it is to Mr Sam Harlow' in shown
    agreed = social_worker_client.post(url, form).content.decode()
    assert "The words say" not in agreed


def test_deciding_not_to_write_says_the_letter_it_withdrew_and_only_then(
    contact: Contact, social_worker: Any, manager_client: Client, now: dt.datetime
) -> None:
    send_drafted(contact, LetterKind.FAMILY, social_worker, now)
    url = reverse("letters:not-to-write", args=[contact.pk])
    why = "The father reads the family's post and would learn of the referral"
    first = manager_client.post(url, {"reason": "increased_risk", "explanation": why}, follow=True)
    assert "The letter written to them was withdrawn: do not post it" in first.content.decode()
    assert Message.objects.get(kind=LetterKind.FAMILY).state == MessageState.WITHDRAWN
    again = manager_client.post(url, {"reason": "told_in_person", "explanation": why}, follow=True)
    assert "Recorded: the family is not written to" in again.content.decode()
    assert "was withdrawn" not in again.content.decode()  # nothing was withdrawn this time
