"""Reading the sharing ledger: the DPO's search, and who has seen a person's record (from the audit
trail). Every read here is the DPO's; the contact page's panel reads its own contact's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.models import ContactSubject
from safehub.people.models import Person
from safehub.sharing.models import Disclosure, origin_label
from safehub.sharing.permissions import can_read_ledger


@dataclass(frozen=True)
class LedgerSearch:
    person: Person | None = None
    agency_id: int | None = None
    start: date | None = None
    end: date | None = None
    basis: str = ""
    direction: str = ""
    declined: bool = False
    nothing: bool = False  # a search with errors: nothing, until it is corrected


def ledger(user: User, search: LedgerSearch) -> QuerySet[Disclosure]:
    """The ledger's rows `search` asks for, newest first; none for anyone but the DPO."""
    if not can_read_ledger(user) or search.nothing:
        return Disclosure.objects.none()
    rows = Disclosure.objects.select_related("contact", "agency", "disclosed_by", "decided_by").prefetch_related(
        "people"
    )
    if search.person is not None:
        rows = rows.filter(people=search.person)
    if search.agency_id is not None:
        rows = rows.filter(agency_id=search.agency_id)
    if search.start is not None:
        rows = rows.filter(disclosed_at__date__gte=search.start)
    if search.end is not None:
        rows = rows.filter(disclosed_at__date__lte=search.end)
    if search.basis:
        # JSON containment is not on SQLite: the code is matched in the column's text, quoted.
        rows = rows.filter(bases__icontains=f'"{search.basis}"')
    if search.direction:
        rows = rows.filter(direction=search.direction)
    if search.declined:
        rows = rows.filter(shared=False)
    return rows.order_by("-disclosed_at", "-pk")


# The audit verbs that are somebody reading a child's record, or being refused one.
READS = (
    Verb.CONTACT_VIEWED,
    Verb.PERSON_VIEWED,
    Verb.CONSULTATION_VIEWED,
    Verb.STRATEGY_DISCUSSION_VIEWED,
    Verb.DAILY_MEETING_VIEWED,
    Verb.TRIAGE_VIEWED,
    Verb.INFORMATION_REQUEST_VIEWED,
    Verb.MESSAGE_VIEWED,
    Verb.REFERRAL_PACK_VIEWED,
)


@dataclass(frozen=True)
class Seen:
    """One user's reads of a person's record (and of the contacts they are on)."""

    user: User
    reads: int
    refused: int
    first: datetime
    last: datetime


def seen_by(user: User, person: Person) -> list[Seen]:
    """Who has read `person`'s record or a contact they are on, and who was refused, from the audit
    trail: one line a user, most recent first (issue 14: "who has seen this record")."""
    if not can_read_ledger(user):
        return []
    on_contact = Exists(ContactSubject.everyone.filter(contact_id=OuterRef("contact_id"), person=person))
    events = AuditEvent.objects.filter(Q(person=person) | on_contact, by__isnull=False).filter(
        verb__in=[*[verb.value for verb in READS], Verb.READ_REFUSED.value]
    )
    grouped = events.values("by").annotate(
        reads=Count("pk", filter=~Q(verb=Verb.READ_REFUSED)),
        refused=Count("pk", filter=Q(verb=Verb.READ_REFUSED)),
        first=Min("at"),
        last=Max("at"),
    )
    users = User.objects.in_bulk([row["by"] for row in grouped])
    found = [Seen(users[row["by"]], row["reads"], row["refused"], row["first"], row["last"]) for row in grouped]
    return sorted(found, key=lambda seen: seen.last, reverse=True)


def is_disclosed(origin: models.Model) -> bool:
    """Whether the ledger already holds the disclosure made for `origin` (one per record: a file
    released once is the same disclosure however often it is taken again)."""
    return Disclosure.objects.filter(origin=origin_label(origin), origin_id=origin.pk).exists()
