"""The templates: what each may name, every shipped one rendered for every outcome and recipient,
and an administrator's edits saved as versions that messages already sent keep."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from safehub.audit.models import AuditEvent, Verb
from safehub.core.errors import DomainError, Refused
from safehub.decisions.models import Outcome
from safehub.letters import services
from safehub.letters.defaults import NEXT_FOR_FAMILY, NEXT_FOR_PROFESSIONAL, shipped
from safehub.letters.facts import values_for
from safehub.letters.fields import FIELDS, fill, named, template_problems, unfilled
from safehub.letters.models import Audience, LetterKind, Message, Template
from safehub.letters.pdf import letter_pdf
from safehub.letters.tests.helpers import actioned_contact
from safehub.protocols.models import LocalProtocol


def test_a_template_is_told_of_an_unknown_field_a_field_its_audience_is_not_told_and_half_a_field() -> None:
    assert (
        template_problems(LetterKind.OUTCOME, Audience.PROFESSIONAL, "Dear ((recipient_name))", where="message") == []
    )
    assert template_problems(LetterKind.OUTCOME, Audience.PROFESSIONAL, "((childs_name))", where="message") == [
        "The message names ((childs_name)), which is not a field Safehub knows"
    ]
    # The family is never told who made contact; a member of the public is not told the outcome.
    assert (
        "the family is not told"
        in template_problems(LetterKind.FAMILY, Audience.FAMILY, "((referrer_name)) told us", where="message")[0]
    )
    assert (
        "a member of the public who made contact is not told"
        in template_problems(LetterKind.OUTCOME, Audience.PUBLIC, "((outcomes))", where="message")[0]
    )
    assert (
        "before any decision"
        in template_problems(LetterKind.ACKNOWLEDGEMENT, Audience.PROFESSIONAL, "((decision_date))", where="subject")[0]
    )
    assert (
        "without its other half"
        in template_problems(LetterKind.OUTCOME, Audience.PROFESSIONAL, "((reference) is yours", where="message")[0]
    )
    assert "empty" in template_problems(LetterKind.OUTCOME, Audience.PROFESSIONAL, "(( ))", where="message")[0]


def test_filling_leaves_a_field_with_no_value_for_the_worker_to_replace() -> None:
    text = fill(
        "Dear ((recipient_name)), see ((who_will_contact)).", {"recipient_name": "Ann", "who_will_contact": " "}
    )
    assert text == "Dear Ann, see ((who_will_contact))."
    assert unfilled(text) == ["((who_will_contact))"]
    assert unfilled("All done (really))") == ["(( or ))"]
    assert named("((a)) ((b)) ((a))") == ["a", "b"]


@pytest.mark.parametrize("words", shipped(), ids=lambda w: f"{w.kind}-{w.audience}-{w.outcome or 'any'}")
def test_every_shipped_template_names_only_what_its_audience_may_be_told(words: Any) -> None:
    for text, where in ((words.subject, "subject"), (words.body, "message")):
        assert template_problems(words.kind, words.audience, text, where=where) == []


@pytest.mark.django_db
def test_each_shipped_template_renders_whole_for_each_outcome_and_recipient(
    mash_team: Any, social_worker: Any, manager: Any, now: dt.datetime
) -> None:
    contact = actioned_contact(mash_team, social_worker=social_worker, manager=manager, at=now)
    protocol = LocalProtocol.objects.get(is_active=True)
    values = values_for(contact, protocol=protocol, sender=social_worker, at=now)
    values["recipient_name"] = "Priya Shah"
    for words in shipped():
        if words.kind in (LetterKind.CONSULTATION_SUMMARY, LetterKind.ENCOMPASS, LetterKind.GP_OUTCOME):
            continue  # about a consultation, a child's school or GP: test_summaries, test_encompass, test_gp_outcomes
        subject, body = fill(words.subject, values), fill(words.body, values)
        assert unfilled(subject + body) == [], (words.kind, words.audience, words.outcome)
        assert contact.reference in subject
        assert body.startswith("Dear Priya Shah")
        # The letter as printed: its PDF read back holds the same words.
        printed = Message(
            contact=contact,
            subject=subject,
            body=body,
            postal_address="Priya Shah\nExample Primary School\nDA6 7AT",
            created_at=now,
        )
        pdf = PdfReader(io.BytesIO(letter_pdf(printed, protocol=protocol)))
        text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
        assert contact.reference in text
        assert " ".join(body.split("\n\n")[1].split())[:60] in text
        if words.kind == LetterKind.FAMILY:
            assert _opening(NEXT_FOR_FAMILY[Outcome(words.outcome)]) in body
            assert "Priya" not in body.removeprefix("Dear Priya Shah")
        elif words.audience == Audience.PROFESSIONAL and words.outcome:
            assert _opening(NEXT_FOR_PROFESSIONAL[Outcome(words.outcome)]) in body
            assert "Mia Harlow: section 17 assessment" in body
        elif words.audience == Audience.PUBLIC:
            assert "we cannot tell you what we decided" in body
            assert "section 17" not in body


def _opening(paragraph: str) -> str:
    return paragraph.split(".")[0].split("((")[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "outcome",
    [
        Outcome.NO_FURTHER_ACTION,
        Outcome.SIGNPOST,
        Outcome.SECTION_17_ASSESSMENT,
        Outcome.CHILDREN_WITH_DISABILITY,
        Outcome.LADO,
    ],
)
def test_a_draft_uses_the_template_of_the_approved_outcome(
    outcome: Outcome, mash_team: Any, social_worker: Any, manager: Any, now: dt.datetime
) -> None:
    contact = actioned_contact(mash_team, social_worker=social_worker, manager=manager, at=now, outcome=outcome)
    for kind in (LetterKind.OUTCOME, LetterKind.FAMILY):
        made = services.draft(contact, kind=kind, by=social_worker, at=now)
        assert made.template_version.template.outcome == outcome


@pytest.mark.django_db
def test_an_edit_is_a_new_version_checked_when_saved_and_old_messages_keep_theirs(
    mash_team: Any, social_worker: Any, manager: Any, administrator: Any, now: dt.datetime
) -> None:
    contact = actioned_contact(mash_team, social_worker=social_worker, manager=manager, at=now)
    made = services.draft(contact, kind=LetterKind.OUTCOME, by=social_worker, at=now)
    sent = services.send(
        contact,
        kind=LetterKind.OUTCOME,
        template_version=made.template_version,
        channel=made.channel,
        recipient_name=made.recipient_name,
        email=made.email,
        postal_address=made.postal_address,
        subject=made.subject,
        body=made.body,
        by=social_worker,
        at=now,
        submission_key=uuid.uuid4(),
    )
    template: Template = made.template_version.template
    with pytest.raises(PermissionDenied):
        services.save_template(template, subject="S", body="B", note="", by=social_worker, at=now, based_on=1)
    with pytest.raises(Refused) as refused:
        services.save_template(
            template, subject="Outcome ((ref))", body="((referrer_nme))", note="", by=administrator, at=now, based_on=1
        )
    assert [problem.field for problem in refused.value.problems] == ["subject", "body"]
    new = services.save_template(
        template,
        subject="The outcome of contact ((reference))",
        body="Dear ((recipient_name))\n\n((outcomes))",
        note="Shorter",
        by=administrator,
        at=now,
        based_on=1,
    )
    assert new.number == 2
    assert AuditEvent.objects.filter(verb=Verb.LETTER_TEMPLATE_CHANGED).count() == 1
    with pytest.raises(DomainError, match="Someone saved version 2"):
        services.save_template(template, subject="x", body="y", note="", by=administrator, at=now, based_on=1)
    sent.refresh_from_db()
    assert sent.template_version.number == 1
    assert services.draft(contact, kind=LetterKind.OUTCOME, by=social_worker, at=now).template_version == new


@pytest.mark.parametrize("kind", list(LetterKind))
@pytest.mark.parametrize("audience", list(Audience))
def test_every_field_in_every_template_gets_an_answer_never_an_error(kind: LetterKind, audience: Audience) -> None:
    text = " ".join(f"(({name}))" for name in FIELDS)
    for problem in template_problems(kind, audience, text, where="message"):
        assert problem.startswith("The message names ((")
