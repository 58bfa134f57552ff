"""Consent as the contact page and the consent pages show it: each person's position for each purpose
and what it rests on, every answer in order, competence assessments, and requests to share without
consent with their decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import User
from safehub.consent import permissions
from safehub.consent.models import (
    CompetenceAssessment,
    ConsentMethod,
    ConsentOverride,
    ConsentPurpose,
    ConsentRecord,
    Giver,
    OverridePower,
    OverrideStateChange,
)
from safehub.consent.pauses import why_not_pause
from safehub.consent.queries import PersonConsent, Records, age_bands, positions, without_consent
from safehub.consent.rules import AgeBands, Band, Position, age_on, band
from safehub.consent.services import Answer
from safehub.consent.workflow import LIFECYCLE, STATES, OverrideEvent, OverrideState
from safehub.contacts.consent import consent_among
from safehub.contacts.models import Contact, ReferrerKind
from safehub.contacts.presenters import TimelineEntry, TimelineSource
from safehub.contacts.workflow import ContactState
from safehub.core.lifecycle import Tag
from safehub.core.presenters import DAY, Action, Panel, lower_first, shown_date
from safehub.protocols.policy import active_protocol

POSITION_TAGS = {
    Position.GIVEN: Tag.GREEN.css_class,
    Position.REFUSED: Tag.RED.css_class,
    Position.NOT_SOUGHT: Tag.YELLOW.css_class,
    Position.OVERRIDDEN: Tag.PURPLE.css_class,
}
# Always shown on the contact: the two purposes a contact's own consent stands for; a named service
# only once someone has answered for it.
ALWAYS_SHOWN = (ConsentPurpose.MASH_CHECKS, ConsentPurpose.EARLY_HELP)


def answer_line(record: ConsentRecord) -> str:
    """'Given by Lena Harlow (a parent or carer with parental responsibility), 24 November 2026, verbally'."""
    # 'The young person (16 or over)' inside brackets of its own reads 'the young person, 16 or over'.
    giver = lower_first(Giver(record.given_by).label).replace(" (", ", ").replace(")", "")
    who = f"{record.giver_name} ({giver})"
    how = lower_first(ConsentMethod(record.method).label)
    return f"{record.get_answer_display()} by {who}, {shown_date(record.given_on, DAY)}, {how}"


def _basis(found: PersonConsent) -> str:
    """What the person's position rests on, in a line."""
    if found.override is not None and found.position == Position.OVERRIDDEN:
        decided = found.override.decided_by
        return f"Agreed by {decided} on {shown_date(found.override.decided_at)}: {found.override.get_power_display()}"
    if found.from_contact:
        return f"As the contact records it: {found.stated_label} (no one has answered for them since)"
    counted = found.own if found.own is not None and found.position.value == found.own.answer else found.parent
    if found.own is not None and counted is found.parent:
        counted_line = answer_line(found.parent) if found.parent is not None else "No parent or carer has answered"
        return f"{counted_line}. Their own answer does not count: {_own_note(found)}"
    return answer_line(counted) if counted is not None else "No one whose answer counts has answered"


def _own_note(found: PersonConsent) -> str:
    if found.competence is not None and not found.competence.competent:
        return "assessed as not competent to decide"
    return "no assessment found them competent to decide"


@dataclass(frozen=True)
class PersonRow:
    name: str
    role: str
    position: str
    tag_class: str
    basis: str


@dataclass(frozen=True)
class PurposeTable:
    purpose: str
    rows: list[PersonRow]


def _rows(found: list[PersonConsent]) -> list[PersonRow]:
    return [
        PersonRow(
            name=item.subject.display_name,
            role=item.subject.get_role_display(),
            position=item.position.label,
            tag_class=POSITION_TAGS[item.position],
            basis=_basis(item),
        )
        for item in found
    ]


@dataclass(frozen=True)
class HistoryLine:
    kind: str  # "Consent recorded", "Competence assessed"
    at: datetime
    by: str
    person: str
    purpose: str
    what: str
    note: str


def _history(answers: list[ConsentRecord], assessments: list[CompetenceAssessment]) -> list[HistoryLine]:
    lines = [
        HistoryLine(
            "Consent recorded",
            a.recorded_at,
            str(a.recorded_by),
            a.subject.display_name,
            lower_first(a.get_purpose_display()),
            answer_line(a),
            a.note,
        )
        for a in answers
    ]
    for assessed in assessments:
        finding = "Competent to decide" if assessed.competent else "Not competent to decide"
        lines.append(
            HistoryLine(
                "Competence assessed",
                assessed.recorded_at,
                str(assessed.recorded_by),
                assessed.subject.display_name,
                lower_first(assessed.get_purpose_display()),
                f"Competence assessed on {shown_date(assessed.assessed_on, DAY)}: {finding.lower()}",
                assessed.rationale,
            )
        )
    return sorted(lines, key=lambda line: line.at)


@dataclass(frozen=True)
class Change:
    what: str
    by: str
    at: datetime
    note: str


@dataclass(frozen=True)
class OverrideSummary:
    override: ConsentOverride
    purpose: str
    purpose_in_a_sentence: str
    people: str
    state: str
    tag_class: str
    asked: str
    decided: str
    power: str
    owner: str
    url: str
    changes: list[Change]  # withdrawn: by whom, when, why (a decision shows in its own rows)


def override_summary(found: ConsentOverride) -> OverrideSummary:
    info = STATES[OverrideState(found.state)]
    decided = ""
    if found.decided_by_id is not None:
        decided = f"{found.decided_by}, {shown_date(found.decided_at)}"
    owner = ""
    if found.owner_id is not None:
        owner = f"{found.owner}: agreed by {found.owner_agreed_by}, {shown_date(found.owner_agreed_at)}"
    withdrawn = [
        Change("Withdrawn by", str(change.by), change.at, change.note)
        for change in found.state_changes.all()
        if change.to_state == OverrideState.WITHDRAWN
    ]
    return OverrideSummary(
        override=found,
        purpose=found.get_purpose_display(),
        purpose_in_a_sentence=lower_first(found.get_purpose_display()),
        people=", ".join(person.display_name for person in found.people.all()),
        state=info.label,
        tag_class=info.tag_class,
        asked=f"{found.asked_by}, {shown_date(found.asked_at)}",
        decided=decided,
        power=OverridePower(found.power).label if found.power else "",
        owner=owner,
        url=reverse("consent:override", args=[found.pk]),
        changes=withdrawn,
    )


def override_rows(found: list[ConsentOverride]) -> list[OverrideSummary]:
    return [override_summary(item) for item in found]


def young_people(contact: Contact, *, on: date, bands: AgeBands) -> list[tuple[int, str]]:
    """The contact's young people whose competence may be assessed on `on`: between the protocol's two
    consent ages (a younger child's parent answers; an older one answers for themselves)."""
    return [
        (s.pk, f"{s.display_name} ({s.get_role_display().lower()})")
        for s in contact.subjects.all()
        if band(is_child=s.is_child, age=age_on(s.date_of_birth, on), bands=bands) == Band.COMPETENCE
    ]


def not_counted(contact: Contact, answer: Answer, *, at: datetime) -> str:
    """A warning when the answer just recorded is not the one that counts: a parent's, for a young person
    whose own answer governs."""
    if answer.given_by != Giver.PARENT or answer.subject_id is None:
        return ""
    found = positions(contact, ConsentPurpose(answer.purpose), on=timezone.localdate(at))
    person = next((item for item in found if item.subject.pk == answer.subject_id), None)
    if person is None or person.own is None:
        return ""
    # Their own answer governs at 16 or over, or between the consent ages once found competent (walk-through:
    # a parent's answer after a competent young person's refusal was taken without a word, an override
    # covering them hiding it).
    competent = person.competence is not None and person.competence.competent
    if not (person.band == Band.SELF or (person.band == Band.COMPETENCE and competent)):
        return ""
    return (
        f"{person.subject.display_name}'s own answer counts, not a parent's: their position stays"
        f" '{person.position.label}'. The parent's answer is kept on the record."
    )


class ConsentTimeline(TimelineSource):
    """On the contact's timeline: each answer recorded and each competence assessment (the consent
    panel's history, the person and purpose named), each request to share without consent and each
    decision on it."""

    # Through the overrides the panel fetched (its own queryset for the relation), each one's moves.
    lookups = (Prefetch("consent_overrides__state_changes", queryset=OverrideStateChange.objects.select_related("by")),)

    def entries(self, contact: Contact) -> list[TimelineEntry]:
        records = _records(contact)
        entries = [
            TimelineEntry(
                f"{line.kind}: {line.person}, {line.purpose}",
                line.at,
                line.by,
                ". ".join(part for part in (line.what, line.note) if part),
            )
            for line in _history(records.answers, records.assessments)
        ]
        for found in records.overrides:
            purpose = lower_first(found.get_purpose_display())
            people = ", ".join(person.display_name for person in found.people.all())
            entries.append(
                TimelineEntry(
                    f"Asked to share without consent: {purpose}", found.asked_at, str(found.asked_by), found.reason
                )
            )
            for change in found.state_changes.all():
                what = LIFECYCLE.events.get(OverrideEvent(change.event), change.event)
                title = f"Sharing without consent {what.lower()}: {purpose} ({people})"
                entries.append(TimelineEntry(title, change.at, str(change.by), change.note))
        return entries


def missing(contact: Contact, *, at: datetime) -> list[PersonRow]:
    """Who has no consent for MASH checks now, and why (the page that asks to share without it)."""
    return _rows(without_consent(contact, ConsentPurpose.MASH_CHECKS, on=timezone.localdate(at)))


def _records(contact: Contact) -> Records:
    """The contact's consent records from the page's prefetch (ContactPanel.lookups)."""
    return Records(
        answers=list(contact.consent_records.all()),
        assessments=list(contact.competence_assessments.all()),
        overrides=list(contact.consent_overrides.all()),
        stated=consent_among(contact, contact.amendments.all()),
    )


class ContactPanel(Panel):
    """Each person's consent for MASH checks and early help (and a named service once asked), what it
    rests on, every answer and assessment in order, and the requests to share without consent."""

    template_name = "consent/_contact_panel.html"
    lookups = (
        Prefetch(
            "consent_records",
            queryset=ConsentRecord.objects.select_related("subject", "recorded_by").order_by("recorded_at", "pk"),
        ),
        Prefetch(
            "competence_assessments",
            queryset=CompetenceAssessment.objects.select_related("subject", "recorded_by").order_by(
                "recorded_at", "pk"
            ),
        ),
        Prefetch(
            "consent_overrides",
            queryset=ConsentOverride.objects.select_related("asked_by", "decided_by", "owner")
            .prefetch_related("people")
            .order_by("asked_at", "pk"),
        ),
    )

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        records = _records(contact)
        bands = age_bands(active_protocol())
        asked_for = {answer.purpose for answer in records.answers}
        purposes = [p for p in ConsentPurpose if p in ALWAYS_SHOWN or p.value in asked_for]
        day = timezone.localdate(at)
        tables = [
            PurposeTable(purpose.label, _rows(positions(contact, purpose, on=day, bands=bands, records=records)))
            for purpose in purposes
        ]
        return {
            "tables": tables,
            "history": _history(records.answers, records.assessments),
            "overrides": override_rows(records.overrides),
        }

    def actions(self, contact: Contact, *, user: User) -> list[Action]:
        found = []
        if permissions.can_record_consent(user) and not permissions.why_no_answers(contact):
            found.append(Action("Record consent", reverse("consent:answer", args=[contact.pk])))
        if permissions.can_assess_competence(user) and any(s.is_child for s in contact.subjects.all()):
            found.append(Action("Assess a young person's competence", reverse("consent:competence", args=[contact.pk])))
        if permissions.can_ask_override(user) and self._may_ask(contact):
            found.append(Action("Ask to share without consent", reverse("consent:ask", args=[contact.pk])))
        if permissions.can_pause_for_consent(user):
            if contact.state == ContactState.AWAITING_CONSENT:
                found.append(Action("The referrer came back: resume", reverse("consent:resume", args=[contact.pk])))
            elif contact.referrer_kind == ReferrerKind.PROFESSIONAL and self._may_ask(contact, paused=True):
                found.append(Action("Ask the referrer to seek consent", reverse("consent:pause", args=[contact.pk])))
        return found

    @staticmethod
    def _may_ask(contact: Contact, *, paused: bool = False) -> bool:
        """Someone has no consent for MASH checks, and no request for it is waiting; for a pause
        (002 §19), while the contact waits for its threshold decision."""
        records = _records(contact)
        purpose = ConsentPurpose.MASH_CHECKS
        if paused and contact.state != ContactState.AWAITING_THRESHOLD:
            return False
        if any(o.purpose == purpose and o.state == OverrideState.ASKED for o in records.overrides):
            return False
        if not without_consent(contact, purpose, on=timezone.localdate(), records=records):
            return False
        # For a pause, nothing else against it (not told for safety, Red, gone on without waiting).
        return not (paused and why_not_pause(contact))


@dataclass(frozen=True)
class SharedWithout:
    """A request to share without consent that covered a person, as their record lists it."""

    reference: str
    href: str
    line: str  # 'Sharing information for MASH checks: agreed by Jo Bloggs on 24 November 2026, Children Act 1989 s47'


def shared_without_consent(found: list[ConsentOverride]) -> list[SharedWithout]:
    return [
        SharedWithout(
            reference=override.contact.reference,
            href=reverse("contacts:contact", args=[override.contact_id]),
            line=(
                f"{override.get_purpose_display()}: agreed by {override.decided_by} on"
                f" {shown_date(override.decided_at, DAY)}, {lower_first(override.get_power_display())}"
            ),
        )
        for override in found
    ]
