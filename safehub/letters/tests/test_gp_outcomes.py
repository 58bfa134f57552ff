"""Each GP practice asked for checks told the contact's outcome within three working days (Sefton 003
§2.6): by the worker, once a practice, to its secure address; a practice with no address waits for a
telephone call to be recorded; the clock, the panel, the words and the exits gate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Agency, AgencyKind, User
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import Contact
from safehub.core.errors import DomainError
from safehub.core.presenters import shown_date
from safehub.core.working_time import LONDON
from safehub.letters import gp_outcomes
from safehub.letters.models import Channel, LetterKind, Message, Template, TemplateVersion
from safehub.letters.presenters import gp_practice_lines
from safehub.letters.tests.helpers import ANSWER, action_it, decided_with_practices
from safehub.letters.timeliness import gp_outcome_due
from safehub.letters.workflow import MessageState
from safehub.protocols.policy import Deadlines, active_protocol
from safehub.sharing.exits import Exit
from safehub.sharing.models import Disclosure

pytestmark = pytest.mark.django_db

ELM = "elm.road@nhs.example"
OAK = "oak.lane@nhs.example"


def _london(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=LONDON)


@pytest.fixture
def practices() -> list[Agency]:
    return [
        PartnerAgencyFactory(name="Elm Road Surgery", kind=AgencyKind.GP_PRACTICE, secure_email=ELM),
        PartnerAgencyFactory(name="Oak Lane Practice", kind=AgencyKind.GP_PRACTICE, secure_email=OAK),
    ]


@pytest.fixture
def actioned(mash_team: Any, practices: list[Agency], social_worker: User, manager: User, now: dt.datetime) -> Contact:
    contact = decided_with_practices(mash_team, practices, social_worker=social_worker, manager=manager, at=now)
    return action_it(contact, by=manager, at=now - dt.timedelta(hours=1))


def test_the_worker_tells_each_practice_once_even_when_run_twice(actioned: Contact, manager: User) -> None:
    call_command("run_worker", "--once")
    call_command("run_worker", "--once")
    sent = Message.objects.filter(kind=LetterKind.GP_OUTCOME).order_by("recipient_name")
    assert [(m.recipient_name, m.email, m.channel) for m in sent] == [
        ("Elm Road Surgery", ELM, Channel.EMAIL),
        ("Oak Lane Practice", OAK, Channel.EMAIL),
    ]
    assert {m.sent_by for m in sent} == {manager}  # on behalf of whoever actioned the outcome
    told = [email.to for email in mail.outbox if email.subject.startswith("The outcome of a MASH contact")]
    assert sorted(told) == [[ELM], [OAK]]
    rows = Disclosure.objects.filter(route=Exit.GP_OUTCOME)
    assert sorted(row.purpose for row in rows) == ["outcome_to_partner", "outcome_to_partner"]
    assert AuditEvent.objects.filter(verb=Verb.MESSAGE_SENT, contact=actioned).count() == 2
    assert gp_outcomes.queue_gp_outcomes(dt.datetime.now(dt.UTC)) == 0


def test_the_message_tells_the_outcome_for_each_child_and_nothing_more(actioned: Contact) -> None:
    gp_outcomes.queue_gp_outcomes(dt.datetime.now(dt.UTC))
    message = Message.objects.get(kind=LetterKind.GP_OUTCOME, recipient_name="Elm Road Surgery")
    assert message.subject == f"The outcome of a MASH contact: {actioned.reference}"
    child = actioned.subjects.get(given_name="Mia")
    for words in (
        "To the safeguarding lead at Elm Road Surgery",
        actioned.reference,
        "update its safeguarding record",
        f"{child.display_name}, born",
        f"{child.display_name}: section 17 assessment",
        active_protocol().name,
    ):
        assert words in message.body, words
    assert "((" not in message.body
    assert actioned.referrer_name not in message.body  # never who made contact
    assert ANSWER not in message.body  # nor what any agency answered
    assert actioned.narrative not in message.body


def test_nothing_is_sent_before_the_outcome_is_actioned(
    mash_team: Any, practices: list[Agency], social_worker: User, manager: User, now: dt.datetime
) -> None:
    decided = decided_with_practices(mash_team, practices, social_worker=social_worker, manager=manager, at=now)
    assert gp_outcomes.queue_gp_outcomes(now) == 0
    assert gp_practice_lines(decided, at=now) == []
    action_it(decided, by=manager, at=now)
    assert gp_outcomes.queue_gp_outcomes(now) == 2


def test_a_practice_with_no_address_is_not_emailed_and_waits_for_a_telephone_call(
    mash_team: Any,
    practices: list[Agency],
    social_worker: User,
    manager: User,
    contact_officer_client: Client,
    now: dt.datetime,
) -> None:
    ash = PartnerAgencyFactory(name="Ash Grove Medical Centre", kind=AgencyKind.GP_PRACTICE, secure_email="")
    decided = decided_with_practices(
        mash_team, [practices[0], ash], social_worker=social_worker, manager=manager, at=now
    )
    actioned = action_it(decided, by=manager, at=now - dt.timedelta(hours=1))
    assert gp_outcomes.queue_gp_outcomes(now) == 1  # Elm Road only
    assert not Message.objects.filter(agency=ash).exists()
    waiting = contact_officer_client.get(reverse("letters:waiting")).content.decode()
    assert "GP practices not yet told the outcome (1)" in waiting
    assert "Ash Grove Medical Centre" in waiting
    assert gp_outcomes.NO_ADDRESS in waiting
    page = contact_officer_client.get(actioned.get_absolute_url()).content.decode()
    assert "Record that Ash Grove Medical Centre was told the outcome by telephone" in page
    url = reverse("letters:record-call", args=[actioned.pk, ash.pk])
    assert "What the practice is told" in contact_officer_client.get(url).content.decode()
    refused = contact_officer_client.post(url, {"explanation": "Rang"})
    assert refused.status_code == 200
    assert "Explain why in at least" in refused.content.decode()
    said = "Telephoned Ash Grove's safeguarding lead, Dr B Example, and gave Mia's outcome"
    assert contact_officer_client.post(url, {"explanation": said}).status_code == 302
    call = Message.objects.get(agency=ash)
    assert (call.channel, call.state, call.email) == (Channel.TELEPHONE, MessageState.TOLD_ANOTHER_WAY, "")
    assert call.state_changes.get().note == said
    assert Disclosure.objects.get(pk=call.disclosure_id).route == Exit.GP_OUTCOME
    again = contact_officer_client.post(url, {"explanation": said})
    assert "nothing was sent again" in again.content.decode()
    waiting = contact_officer_client.get(reverse("letters:waiting")).content.decode()
    assert "GP practices not yet told the outcome (0)" in waiting
    [ash_line, _] = gp_practice_lines(actioned, at=now)
    assert ash_line.text.endswith(f"told by telephone {shown_date(call.created_at)} (in time)")
    assert gp_outcomes.queue_gp_outcomes(now) == 0


@pytest.mark.parametrize(
    ("actioned_at", "due"),
    [
        (_london(2026, 11, 24, 10, 0), _london(2026, 11, 27, 10, 0)),  # Tuesday: Friday
        (_london(2026, 11, 26, 14, 0), _london(2026, 12, 1, 14, 0)),  # Thursday: over the weekend, Tuesday
        (_london(2026, 11, 28, 11, 0), _london(2026, 12, 3, 9, 0)),  # Saturday: from Monday's start
        (_london(2026, 12, 23, 10, 0), _london(2026, 12, 30, 10, 0)),  # Christmas and Boxing Day's Monday
        (_london(2026, 8, 28, 15, 0), _london(2026, 9, 3, 15, 0)),  # the late summer bank holiday
    ],
)
def test_the_practice_is_due_within_three_working_days(actioned_at: dt.datetime, due: dt.datetime) -> None:
    assert gp_outcome_due(actioned_at, Deadlines(active_protocol())) == due


def test_the_panel_shows_when_each_practice_was_due_and_told(
    actioned: Contact, social_worker_client: Client, now: dt.datetime
) -> None:
    due = gp_outcome_due(actioned.outcome_action.actioned_at, Deadlines(active_protocol()))
    page = social_worker_client.get(actioned.get_absolute_url()).content.decode()
    assert "GP practice told: Elm Road Surgery" in page
    assert f"Due by {shown_date(due)}; not yet told" in page
    gp_outcomes.queue_gp_outcomes(now)
    sent = Message.objects.get(recipient_name="Elm Road Surgery")
    page = social_worker_client.get(actioned.get_absolute_url()).content.decode()
    assert f"Due by {shown_date(due)}; sent {shown_date(sent.created_at)} (in time)" in page


def test_a_practice_told_late_is_shown_late(
    mash_team: Any, practices: list[Agency], social_worker: User, manager: User, now: dt.datetime
) -> None:
    then = now - dt.timedelta(days=8)  # the Monday before last
    decided = decided_with_practices(mash_team, practices[:1], social_worker=social_worker, manager=manager, at=then)
    contact = action_it(decided, by=manager, at=then)
    [line] = gp_practice_lines(contact, at=now)
    assert line.text.endswith("not yet told")
    assert "red" in line.tag
    gp_outcomes.queue_gp_outcomes(now)
    [line] = gp_practice_lines(contact, at=now)
    assert line.text.endswith("(late)")


def test_an_agencys_answer_never_goes_to_the_practice(actioned: Contact, administrator: User, now: dt.datetime) -> None:
    """An administrator who pastes an answer into the template stops the worker: the gate refuses it."""
    template = Template.objects.get(kind=LetterKind.GP_OUTCOME)
    latest = template.versions.get()
    TemplateVersion.objects.create(
        template=template, number=2, subject=latest.subject, body=f"{latest.body}\n\n{ANSWER}", made_by=administrator
    )
    assert gp_outcomes.queue_gp_outcomes(now) == 0
    practice = gp_outcomes.practices(actioned)[0]
    with pytest.raises(DomainError, match="told the hub"):
        gp_outcomes.tell_practice(actioned, practice, by=administrator, at=now)
    assert not Message.objects.filter(kind=LetterKind.GP_OUTCOME).exists()
