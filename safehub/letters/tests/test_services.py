"""Writing and sending letters and messages (issue 15): drafts from the templates, sending once,
the ledger and audit, the family-letter reasons, another agency's information kept out."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import ConsentPosition, Contact, ReferrerKind
from safehub.core.errors import DomainError, Refused
from safehub.decisions.models import Outcome
from safehub.letters import services
from safehub.letters.models import Audience, Channel, FamilyLetterDecision, LetterKind, Message, WithheldReason
from safehub.letters.tests.helpers import actioned_contact, send_drafted
from safehub.letters.workflow import MessageState
from safehub.sharing.exits import Exit
from safehub.sharing.models import Disclosure

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(mash_team: Any, social_worker: Any, manager: Any, now: dt.datetime) -> Contact:
    return actioned_contact(mash_team, social_worker=social_worker, manager=manager, at=now)


_send = send_drafted


def test_the_outcome_to_a_professional_reports_each_child_and_who_will_contact(
    contact: Contact, social_worker: Any, now: dt.datetime
) -> None:
    made = services.draft(contact, kind=LetterKind.OUTCOME, by=social_worker, at=now)
    assert made.audience == Audience.PROFESSIONAL
    assert made.template_version.template.outcome == Outcome.SECTION_17_ASSESSMENT
    assert made.channel == Channel.EMAIL
    assert made.email == "priya.shah@example-primary.sch.uk"
    assert made.subject == f"The outcome of your contact: {contact.reference}"
    assert "Dear Priya Shah" in made.body
    assert "Mia Harlow: section 17 assessment" in made.body
    assert "Assessment Team 2" in made.body
    assert "contact the manager of the MASH first" in made.body  # 002 §12: how to disagree
    assert "((" not in made.body


def test_a_member_of_the_public_is_thanked_not_told_the_outcome(
    mash_team: Any, social_worker: Any, manager: Any, now: dt.datetime
) -> None:
    contact = actioned_contact(
        mash_team,
        social_worker=social_worker,
        manager=manager,
        at=now,
        referrer_kind=ReferrerKind.PUBLIC,
        referrer_role="",
        referrer_agency="",
        referrer_name="Jo Neighbour",
        consent=ConsentPosition.NOT_REQUIRED_PUBLIC,
    )
    made = services.draft(contact, kind=LetterKind.OUTCOME, by=social_worker, at=now)
    assert made.audience == Audience.PUBLIC
    assert "we cannot tell you what we decided" in made.body
    assert "section 17" not in made.body.lower()
    assert "Assessment Team 2" not in made.body


def test_an_anonymous_referrer_is_told_nothing(
    mash_team: Any, social_worker: Any, manager: Any, now: dt.datetime
) -> None:
    contact = actioned_contact(
        mash_team,
        social_worker=social_worker,
        manager=manager,
        at=now,
        referrer_kind=ReferrerKind.ANONYMOUS,
        referrer_name="",
        referrer_role="",
        referrer_agency="",
        referrer_phone="",
        referrer_email="",
        consent=ConsentPosition.NOT_REQUIRED_PUBLIC,
    )
    with pytest.raises(DomainError, match="did not give their name"):
        services.draft(contact, kind=LetterKind.OUTCOME, by=social_worker, at=now)


def test_sending_queues_it_records_the_ledger_row_and_the_audit_event_once(
    contact: Contact, social_worker: Any, now: dt.datetime
) -> None:
    key = uuid.uuid4()
    message = _send(contact, LetterKind.OUTCOME, social_worker, now, submission_key=key)
    assert message.state == MessageState.QUEUED
    assert message.template_version.number == 1
    disclosure = Disclosure.objects.get(pk=message.disclosure_id)
    assert (disclosure.route, disclosure.purpose, disclosure.contact_id) == (
        Exit.REFERRER_MESSAGE,
        "outcome_to_referrer",
        contact.pk,
    )
    assert disclosure.content["body"] == message.body
    assert AuditEvent.objects.filter(verb=Verb.MESSAGE_SENT, contact=contact).count() == 1
    # The same form sent again (Back and Send, a double click) sends nothing more.
    again = _send(contact, LetterKind.OUTCOME, social_worker, now, submission_key=key)
    assert again.pk == message.pk
    # Another tab's form to the same address is refused, naming who sent it.
    with pytest.raises(DomainError, match=r"wrote the outcome to Priya Shah on .*Nothing was sent again"):
        _send(contact, LetterKind.OUTCOME, social_worker, now)
    assert Message.objects.count() == 1
    assert Disclosure.objects.filter(route=Exit.REFERRER_MESSAGE).count() == 1


def test_words_still_holding_a_field_or_a_bad_address_are_refused_all_at_once(
    contact: Contact, social_worker: Any, now: dt.datetime
) -> None:
    with pytest.raises(Refused) as refused:
        _send(
            contact,
            LetterKind.OUTCOME,
            social_worker,
            now,
            email="not an address",
            body="Dear Priya, ((who_will_contact)) will ring; the team is ((team)",
        )
    fields = {problem.field for problem in refused.value.problems}
    assert fields == {"email", "body"}
    assert "((who_will_contact))" in refused.value.problems[1].message
    with pytest.raises(Refused, match="postal address"):
        _send(contact, LetterKind.OUTCOME, social_worker, now, channel=Channel.LETTER, postal_address="Priya Shah")
    assert not Message.objects.exists()
    assert not Disclosure.objects.filter(route=Exit.REFERRER_MESSAGE).exists()


def test_a_contact_officer_cannot_send_and_nothing_before_the_outcome_is_actioned(
    mash_team: Any, contact: Contact, contact_officer: Any, social_worker: Any, now: dt.datetime
) -> None:
    with pytest.raises(PermissionDenied):
        _send(contact, LetterKind.OUTCOME, contact_officer, now)
    from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory

    open_contact = ContactAwaitingThresholdFactory(team=mash_team)
    with pytest.raises(DomainError, match="approved and actioned"):
        services.draft(open_contact, kind=LetterKind.OUTCOME, by=social_worker, at=now)


def test_the_family_letter_names_the_team_and_never_who_made_contact(
    contact: Contact, social_worker: Any, now: dt.datetime
) -> None:
    made = services.draft(contact, kind=LetterKind.FAMILY, by=social_worker, at=now)
    assert made.audience == Audience.FAMILY
    assert made.recipient_name == "Dana Harlow"
    assert made.postal_address.splitlines() == ["Dana Harlow", "14 Orchard Row, Bexleyheath", "DA6 7AT"]
    assert made.channel == Channel.LETTER  # Notify is not set up here: printed in the office
    assert "A social worker will contact you" in made.body  # 003 App. 4 §11: the agency that will contact them
    assert "Assessment Team 2" in made.body
    assert "Priya" not in made.body
    assert "Example Primary" not in made.body
    message = _send(contact, LetterKind.FAMILY, social_worker, now)
    assert message.state == MessageState.TO_PRINT
    assert Disclosure.objects.get(pk=message.disclosure_id).route == Exit.FAMILY_LETTER


def test_a_family_not_told_for_safety_is_not_written_to_until_a_manager_lifts_it(
    mash_team: Any, social_worker: Any, manager: Any, now: dt.datetime
) -> None:
    contact = actioned_contact(
        mash_team,
        social_worker=social_worker,
        manager=manager,
        at=now,
        consent=ConsentPosition.NOT_INFORMED_SAFEGUARDING,
        parents_aware="no",
        parents_agree="no",
        not_told={"increased_risk": "Father controls the post and the mother's phone"},
    )
    with pytest.raises(DomainError, match="must not be written to"):
        _send(contact, LetterKind.FAMILY, social_worker, now)
    with pytest.raises(PermissionDenied):
        services.lift_reasons_not_to_write(contact, explanation="Father has left the home", by=social_worker, at=now)
    with pytest.raises(DomainError, match="at least 20"):
        services.lift_reasons_not_to_write(contact, explanation="Left", by=manager, at=now)
    services.lift_reasons_not_to_write(
        contact, explanation="Father has left the home and the mother asked for a letter", by=manager, at=now
    )
    assert AuditEvent.objects.filter(verb=Verb.FAMILY_LETTER_REASONS_LIFTED, contact=contact).exists()
    assert _send(contact, LetterKind.FAMILY, social_worker, now).state == MessageState.TO_PRINT


def test_deciding_not_to_write_needs_a_coded_reason_and_why_and_stops_the_letter(
    contact: Contact, social_worker: Any, now: dt.datetime
) -> None:
    with pytest.raises(DomainError, match="Choose why"):
        services.decide_not_to_write(contact, reason="", explanation="x" * 30, by=social_worker, at=now)
    with pytest.raises(DomainError, match="at least 20"):
        services.decide_not_to_write(
            contact, reason=WithheldReason.TOLD_IN_PERSON, explanation="Told", by=social_worker, at=now
        )
    services.decide_not_to_write(
        contact,
        reason=WithheldReason.TOLD_IN_PERSON,
        explanation="The social worker visited and explained the decision to both parents",
        by=social_worker,
        at=now,
    )
    assert FamilyLetterDecision.objects.get().reason == WithheldReason.TOLD_IN_PERSON
    assert AuditEvent.objects.filter(verb=Verb.FAMILY_LETTER_WITHHELD, contact=contact).exists()
    with pytest.raises(DomainError, match="told in person"):
        _send(contact, LetterKind.FAMILY, social_worker, now)


def test_an_acknowledgement_goes_once_to_each_professional_with_an_address(mash_team: Any, now: dt.datetime) -> None:
    from safehub.contacts.tests.factories import ContactFactory
    from safehub.letters.tests.helpers import set_hub_details

    set_hub_details()
    school: Contact = ContactFactory(
        team=mash_team, received_at=now - dt.timedelta(hours=1), referrer_email="dsl@example.sch.uk"
    )
    ContactFactory(team=mash_team, received_at=now, referrer_kind=ReferrerKind.PUBLIC, referrer_email="jo@example.org")
    ContactFactory(team=mash_team, received_at=now - dt.timedelta(days=10), referrer_email="old@example.sch.uk")
    assert services.queue_acknowledgements(now) == 1
    assert services.queue_acknowledgements(now) == 0
    message = Message.objects.get()
    assert (message.contact_id, message.kind, message.email) == (
        school.pk,
        LetterKind.ACKNOWLEDGEMENT,
        "dsl@example.sch.uk",
    )
    assert message.sent_by == school.recorded_by
    assert school.reference in message.subject
    assert AuditEvent.objects.filter(verb=Verb.MESSAGE_SENT, contact=school).get().data["automatic"] is True


def test_a_parent_with_no_address_given_is_written_to_where_the_index_holds_them(
    contact: Contact, social_worker: Any, now: dt.datetime
) -> None:
    from safehub.people.models import PersonKind
    from safehub.people.tests.factories import AddressFactory, PersonFactory

    mother = contact.subjects.get(given_name="Dana")
    mother.address = ""
    mother.person = PersonFactory(
        kind=PersonKind.ADULT, address=AddressFactory(line_1="3 Elm Close", town="Welling", postcode="DA16 1AA")
    )
    mother.save()
    made = services.draft(contact, kind=LetterKind.FAMILY, by=social_worker, at=now)
    assert made.postal_address.splitlines() == ["Dana Harlow", "3 Elm Close", "Welling", "DA16 1AA"]


def test_a_letter_not_yet_posted_is_withdrawn_when_the_family_is_not_to_be_written_to(
    contact: Contact, social_worker: Any, manager: Any, now: dt.datetime
) -> None:
    """A worker wrote to the family; a manager then decided the family must not be written to (003 App. 4
    §11): the letter waiting to be printed is withdrawn, never posted, and not counted as written."""
    letter = _send(contact, LetterKind.FAMILY, social_worker, now)
    assert letter.state == MessageState.TO_PRINT
    services.decide_not_to_write(
        contact,
        reason=WithheldReason.INCREASED_RISK,
        explanation="The father reads the family's post and would learn of the referral",
        by=manager,
        at=now + dt.timedelta(minutes=5),
    )
    letter.refresh_from_db()
    assert letter.state == MessageState.WITHDRAWN
    assert not Message.objects.needing_someone().filter(pk=letter.pk).exists()  # off the print list
    with pytest.raises(DomainError):
        services.mark_posted(letter, by=social_worker, at=now + dt.timedelta(minutes=10), version=letter.version)
    event = AuditEvent.objects.filter(verb=Verb.FAMILY_LETTER_WITHHELD).get()
    assert event.data["withdrawn"] == [letter.pk]
