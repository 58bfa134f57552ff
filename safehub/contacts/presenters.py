"""The contacts app's part of the contact page: its details and people, its history, the state
tag and the next actions. The page itself is assembled in `safehub.pages`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch

from safehub.accounts.models import User
from safehub.accounts.permissions import can_work_on_cases
from safehub.contacts.amendment_presenters import AMENDMENTS, Change, amendment_view, before_the_decision
from safehub.contacts.models import Amendment, ConcernCategory, Contact, ContactSubject, StateChange
from safehub.contacts.permissions import ALLOCATABLE_STATES
from safehub.contacts.workflow import STATES, ContactState, Event
from safehub.core.presenters import Panel, record_links, shown_date, shown_day, shown_nhs_number
from safehub.people.models import Person, Sex


@dataclass(frozen=True)
class TimelineEntry:
    title: str
    at: datetime
    by: str
    note: str
    changes: tuple[Change, ...] = ()  # an amendment's fields, before and after
    addendum: bool = False  # an amendment made after the decision


CONCERN_LABELS: dict[str, str] = dict(ConcernCategory.choices)  # built once: the queues label every row


def concern_labels(codes: list[str]) -> list[str]:
    return [CONCERN_LABELS.get(code, code) for code in codes]


def state_tag_class(state: str) -> str:
    return STATES[ContactState(state)].tag_class


def referrer(contact: Contact) -> str:
    """'Professional: Jo Bloggs, Health visitor, NHS Trust': who made the contact, as far as they said."""
    name = f": {contact.referrer_name}" if contact.referrer_name else ""
    role = f", {contact.referrer_role}" if contact.referrer_role else ""
    agency = f", {contact.referrer_agency}" if contact.referrer_agency else ""
    return f"{contact.get_referrer_kind_display()}{name}{role}{agency}"


def restriction_labels(contact: Contact) -> dict[str, str]:
    """The words of the restrict page's heading and button, for a contact restricted or not yet."""
    if contact.is_restricted:
        return {"heading": "Who may see this restricted contact", "button": "Save who may see it"}
    return {"heading": "Restrict this contact", "button": "Restrict the contact"}


class TimelineSource:
    """What another app adds to the contact's timeline (a social worker asking for MASH checks, say):
    the rows it reads (`lookups`, fetched with the page) and its entries. The contacts app sits below
    those apps, so they bring their entries to it (`safehub.pages` hands them to the panel)."""

    lookups: tuple[str | Prefetch[Any, Any, Any], ...] = ()

    def entries(self, contact: Contact) -> Iterable[TimelineEntry]:
        raise NotImplementedError


def timeline(
    changes: Sequence[StateChange], amendments: Sequence[Amendment] = (), others: Iterable[TimelineEntry] = ()
) -> list[TimelineEntry]:
    """Every change of state, every amendment and what other apps add, newest first."""
    entries = [
        (change.at, TimelineEntry(Event(change.event).label, change.at, str(change.by), change.note))
        for change in changes
    ]
    entries += [(entry.at, entry) for entry in others]
    for amendment in amendments:
        view = amendment_view(amendment)
        note = " ".join(
            part for part in (view.information, f"{view.reason_label}: {view.reason}" if view.reason else "") if part
        )
        entries.append(
            (view.at, TimelineEntry(view.title, view.at, view.by, note, tuple(view.changes), view.after_decision))
        )
    return [entry for _, entry in sorted(entries, key=lambda pair: pair[0], reverse=True)]


class DetailsPanel(Panel):
    """The people named in the contact (with the person index's warnings about them, for those who
    may read the index), the concern and the referrer."""

    template_name = "contacts/_details_panel.html"
    lookups: tuple[str | Prefetch[Any, Any, Any], ...] = (
        Prefetch("subjects", queryset=ContactSubject.objects.select_related("person")),
        AMENDMENTS,
    )
    related = ("allocated_to",)

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        amended = before_the_decision(contact)
        subjects = contact.subjects.all()
        # The warnings are the person index's, read as the person page reads them (partners see nobody through it).
        index_readable = can_work_on_cases(user)
        return {
            "concerns": concern_labels(contact.concern_categories),
            "referrer": referrer(contact),
            "warnings": [
                (subject.person, text)
                for subject in subjects
                if index_readable and subject.person is not None
                for text in person_warnings(subject.person)
            ],
            "people": [(subject, about(subject), amended["added"].get(subject.pk, "")) for subject in subjects],
            **amended,
        }


def person_warnings(person: Person) -> list[str]:
    """The person's current warnings, as the person page words them: 'Missing since 22 November
    2026', "Workers' safety: Dog at the address" (recorded on the person's warnings page)."""
    shown = []
    if person.missing_since is not None:
        shown.append(f"Missing since {shown_day(person.missing_since)}")
    if person.worker_safety_warning:
        shown.append(f"Workers' safety: {person.worker_safety_warning}")
    return shown


def about(subject: ContactSubject) -> str:
    """What the form recorded about a person besides their name and birthday, in one line:
    'Female · NHS number 943 476 5919 · 4 Elm Road, SE2 9AA · School: Elm Primary · White British ·
    First language: Polish · Has parental responsibility'."""
    where = ", ".join(part for part in (subject.address, subject.postcode) if part)
    parts = [
        subject.get_sex_display() if subject.sex != Sex.UNKNOWN else "",
        f"NHS number {shown_nhs_number(subject.nhs_number)}" if subject.nhs_number else "",
        where,
        f"School: {subject.school}" if subject.school else "",
        subject.get_ethnicity_display() if subject.ethnicity else "",
        f"First language: {subject.first_language}" if subject.first_language else "",
        f"Religion: {subject.religion}" if subject.religion else "",
        f"Needs: {subject.needs}" if subject.needs else "",
        f"Communicates: {subject.communication}" if subject.communication else "",
        "Has parental responsibility" if subject.has_parental_responsibility else "",
    ]
    return " · ".join(part for part in parts if part)


def allocation(contact: Contact) -> str:
    """Who the contact is allocated to at the front door, for its page."""
    worker = contact.allocated_to
    if worker is None:
        return "Not allocated to a worker" if contact.state in ALLOCATABLE_STATES else ""
    return f"Allocated to {worker.get_full_name() or worker.username} since {shown_date(contact.allocated_at)}"


class HistoryPanel(Panel):
    """Every change of the contact's state, every amendment and what other apps add, newest first,
    and when the contact was received and recorded."""

    template_name = "contacts/_history_panel.html"

    def __init__(self, *sources: TimelineSource) -> None:
        self.sources = sources
        self.lookups: tuple[str | Prefetch[Any, Any, Any], ...] = (
            Prefetch("state_changes", queryset=StateChange.objects.select_related("by")),
            "amendments",
            *(lookup for source in sources for lookup in source.lookups),
        )

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        others = [entry for source in self.sources for entry in source.entries(contact)]
        return {
            "timeline": timeline(list(contact.state_changes.all()), list(contact.amendments.all()), others),
            "received": f"{contact.get_channel_display()}, {shown_date(contact.received_at)}",
        }


@dataclass(frozen=True)
class FoundContact:
    """A row of 'Find a contact'."""

    reference: str
    href: str
    received: str
    children: str
    concerns: str
    state: str
    state_tag: str


def found_contacts(contacts: Iterable[Contact]) -> list[FoundContact]:
    """The rows of a page of contacts found, each with its children (prefetched as `children`)."""
    link = record_links("contacts:contact")
    rows = []
    for contact in contacts:
        state = STATES[ContactState(contact.state)]
        children: list[ContactSubject] = getattr(contact, "children", [])
        rows.append(
            FoundContact(
                reference=contact.reference,
                href=link(contact.pk),
                received=shown_day(contact.received_at),
                children=", ".join(child.display_name for child in children) or "Not recorded",
                concerns=", ".join(concern_labels(contact.concern_categories)),
                state=state.label,
                state_tag=state.tag_class,
            )
        )
    return rows


def contacts_found(count: int) -> str:
    """'12 contacts found', '1 contact found'."""
    return f"{count:,} contact{'' if count == 1 else 's'} found"
