"""Basic screening: identify the people in a contact, find out if they are known, route the contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts.models import AmendmentKind, Contact, ContactSubject, SubjectRole
from safehub.contacts.services import clock_rating, threshold_due, transition
from safehub.contacts.workflow import ContactState, Event
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.core.ids import whole_number
from safehub.core.races import claim
from safehub.handoffs.models import HandoffKind
from safehub.handoffs.services import Worker, hand_off
from safehub.matching.index import index_people, record_people
from safehub.people.identifiers import normalise_postcode
from safehub.people.models import PARENTAL_KINDS, Address, Involvement, Person, Relationship, RelationshipKind
from safehub.protocols.models import Brag
from safehub.protocols.policy import active_protocol
from safehub.screening.models import KnownStatus, Screening, ScreeningRoute
from safehub.screening.permissions import can_identify, can_screen

ROUTE_EVENTS = {
    ScreeningRoute.SIGNPOST: Event.SIGNPOST,
    ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER: Event.FORWARD_TO_ALLOCATED_WORKER,
    ScreeningRoute.ALLOCATE_TO_PREVIOUS_WORKER: Event.ALLOCATE_TO_PREVIOUS_WORKER,
    ScreeningRoute.REFER_FOR_THRESHOLD: Event.REFER_FOR_THRESHOLD,
}

# The routes that send the contact to a named worker (002 §3; the three-month rule, 002 §11). Both are
# the family's, not one child's: "where a family is referred to MASH and has been open to a Social
# Worker in CSC within the last three months, the case will be allocated immediately to the previously
# involved Social Worker" (002 §11), so any linked person's open or recent involvement routes the
# whole contact (finding_for); a child's own statutory outcome is routed per child (decisions).
HANDOFF_KINDS = {
    ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER: HandoffKind.OPEN_CASE,
    ScreeningRoute.ALLOCATE_TO_PREVIOUS_WORKER: HandoffKind.PREVIOUS_WORKER,
}


@dataclass(frozen=True)
class Finding:
    """What the person index says about the contact's people at the time of screening."""

    status: KnownStatus
    worker: str = ""
    team: str = ""
    worker_email: str = ""

    @property
    def handed_to(self) -> Worker:
        return Worker(name=self.worker, email=self.worker_email, team=self.team)

    @property
    def allowed_routes(self) -> list[ScreeningRoute]:
        if self.status == KnownStatus.OPEN_CASE:
            return [ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER]
        routes = [ScreeningRoute.REFER_FOR_THRESHOLD, ScreeningRoute.SIGNPOST]
        if self.status == KnownStatus.RECENTLY_CLOSED:
            routes.insert(0, ScreeningRoute.ALLOCATE_TO_PREVIOUS_WORKER)
        return routes


# What a contact's roles say two of its people are to each other: (role of `person`, role of
# `relative`) -> `kind`, read "person is kind to relative" (people.models.Relationship). A parent or
# carer named on a contact is recorded as a parent; an other adult is related to nobody. Siblings
# are one row, the child's, however the index held them before (SYMMETRIC_KINDS).
STATED_KINDS = {
    (SubjectRole.PARENT, SubjectRole.CHILD): RelationshipKind.PARENT,
    (SubjectRole.PARENT, SubjectRole.SIBLING): RelationshipKind.PARENT,
    (SubjectRole.CHILD, SubjectRole.SIBLING): RelationshipKind.SIBLING,
    (SubjectRole.HOUSEHOLD_MEMBER, SubjectRole.CHILD): RelationshipKind.HOUSEHOLD_MEMBER,
    (SubjectRole.ALLEGED_PERPETRATOR, SubjectRole.CHILD): RelationshipKind.ALLEGED_PERPETRATOR,
}
# Kinds that read the same both ways: one row either way round is the relationship.
SYMMETRIC_KINDS = frozenset({RelationshipKind.SIBLING, RelationshipKind.HOUSEHOLD_MEMBER})


# Below this match probability a link needs the screener's confirmation.
UNLIKELY = 0.5


class UnlikelyMatch(DomainError):  # noqa: N818 (a domain word, not a suffix)
    """A link to a record the search rated unlikely, not confirmed by the screener."""


def finding_for(contact: Contact, *, at: datetime) -> Finding:
    """Open case first, then the three-month rule (where the protocol has it), then known, then not known."""
    return finding_for_people(list(contact.subjects.exclude(person=None).values_list("person_id", flat=True)), at=at)


def finding_for_people(people: list[int], *, at: datetime) -> Finding:
    """What the index holds about these people (the ids of the contact's linked subjects, or of one
    child, whose own outcome a threshold decision may forward: decisions.services)."""
    theirs = Involvement.objects.filter(person_id__in=people)
    open_case = theirs.with_a_worker_to_forward_to().filter(ended_on__isnull=True).order_by("-started_on").first()
    if open_case:
        return Finding(KnownStatus.OPEN_CASE, open_case.allocated_worker, open_case.team, open_case.worker_email)
    involvements = theirs.childrens_social_care()
    if active_protocol().three_month_rule:
        recent = involvements.closed_within_three_months(at=at).order_by("-ended_on").first()
        if recent:
            return Finding(KnownStatus.RECENTLY_CLOSED, recent.allocated_worker, recent.team, recent.worker_email)
    if Involvement.objects.filter(person_id__in=people).exists():
        return Finding(KnownStatus.KNOWN_CLOSED)
    return Finding(KnownStatus.NOT_KNOWN)


def _next_local_id() -> str:
    highest = Person.objects.filter(local_id__startswith="P").aggregate(top=Max("local_id"))["top"]
    top = whole_number(highest[1:]) if highest else None
    number = top + 1 if top is not None else 1
    return f"P{number:07d}"


@transaction.atomic(durable=True)
def identify_subject(
    subject: ContactSubject,
    *,
    person: Person | None,
    by: User,
    at: datetime,
    version: int,
    match_probability: float | None = None,
    candidates_shown: int = 0,
    unlikely_confirmed: bool = False,
) -> Person:
    """Link a subject to a known person, or (person=None) record "not known" by creating a new person.

    The audit event keeps what the search offered: the chosen candidate's match probability and how
    many candidates were shown, so a later review can see what the decision was based on.
    """
    contact = subject.contact
    if not can_identify(by, contact):
        raise PermissionDenied
    claim(contact, version)
    if subject.person_id is not None and contact.state != ContactState.SCREENING:
        raise DomainError(f"{subject.display_name} is already linked to a person record")
    if person is not None and match_probability is not None and match_probability < UNLIKELY and not unlikely_confirmed:
        # Linking a child to the wrong record merges two children's histories: ask before doing it.
        raise UnlikelyMatch(
            f"This record is an unlikely match ({match_probability:.0%}): check the name, sex and date of birth, "
            "then tick the box to confirm, or create a new record",
            field="person",
        )
    if person is None:
        address = None
        if subject.address or subject.postcode:
            address = Address(
                line_1=subject.address or "Address not known", postcode=normalise_postcode(subject.postcode)
            )
        person = Person(local_id=_next_local_id(), address=address, **subject.person_fields())
        record_people([person])
        record(Verb.PERSON_RECORDED, by=by, person=person, contact=contact, at=at, data={"from_subject": subject.pk})
    ContactSubject.objects.filter(pk=subject.pk).update(person=person)
    # Linking changes what the contact means, so it moves the version on like any other change.
    changed = Contact.objects.filter(pk=contact.pk, version=version).update(version=version + 1)
    if changed != 1:
        raise ConcurrentChange()
    record(
        Verb.CONTACT_UPDATED,
        by=by,
        contact=contact,
        person=person,
        at=at,
        data={
            "subject": subject.pk,
            "linked_person": person.pk,
            "not_known": match_probability is None,
            "match_probability": round(match_probability, 4) if match_probability is not None else None,
            "candidates_shown": candidates_shown,
        },
    )
    subject.person = person
    contact.version = version + 1
    _record_stated_relationships(subject, contact=contact, by=by, at=at)
    return person


def _stated(subject: ContactSubject, other: ContactSubject) -> list[Relationship]:
    """The relationships the contact states between two linked subjects, in both directions."""
    found = []
    for one, two in ((subject, other), (other, subject)):
        kind = STATED_KINDS.get((SubjectRole(one.role), SubjectRole(two.role)))
        if kind is not None and one.person_id is not None and two.person_id is not None:
            found.append(
                Relationship(
                    person_id=one.person_id,
                    relative_id=two.person_id,
                    kind=kind,
                    has_parental_responsibility=kind == RelationshipKind.PARENT and one.has_parental_responsibility,
                )
            )
    return found


def _record_stated_relationships(subject: ContactSubject, *, contact: Contact, by: User, at: datetime) -> None:
    """Record in the person index what the contact says the newly linked subject is to its other
    linked people (a parent to the child and its siblings, the child to its siblings, a household
    member or alleged perpetrator to the child), so the next contact about any of them finds the
    family (people.households.family_of; sibling groups are often not known at referral, 004 §9). A relationship the index already holds (either
    way round, for siblings and household members) is left as it is; removed subjects state none."""
    if subject.removed_at is not None or subject.person_id is None:
        return
    others = contact.subjects.exclude(pk=subject.pk).exclude(person=None).exclude(person_id=subject.person_id)
    wanted = [rel for other in others for rel in _stated(subject, other)]
    if not wanted:
        return
    ids = {rel.person_id for rel in wanted} | {rel.relative_id for rel in wanted}
    held = set(
        Relationship.objects.filter(person_id__in=ids, relative_id__in=ids).values_list(
            "person_id", "relative_id", "kind"
        )
    )
    added = []
    for rel in wanted:
        key = (rel.person_id, rel.relative_id, rel.kind)
        if key in held or (rel.kind in SYMMETRIC_KINDS and (rel.relative_id, rel.person_id, rel.kind) in held):
            continue
        held.add(key)
        rel.save()
        added.append(rel)
        record(
            Verb.RELATIONSHIP_RECORDED,
            by=by,
            contact=contact,
            person_id=rel.person_id,
            at=at,
            data={
                "relationship": rel.pk,
                "relative": rel.relative_id,
                "kind": rel.kind,
                "has_parental_responsibility": rel.has_parental_responsibility,
                "from_subject": subject.pk,
            },
        )
    # A parent's first name is one of the things a search for the child matches on.
    children = {rel.relative_id for rel in added if rel.kind in PARENTAL_KINDS}
    if children:
        index_people(children)


@transaction.atomic(durable=True)
def record_screening(
    contact: Contact,
    *,
    route: ScreeningRoute,
    signposted_to: str = "",
    notes: str = "",
    by: User,
    at: datetime,
    version: int,
) -> Screening:
    if not can_screen(by, contact):
        raise PermissionDenied
    if contact.state != ContactState.SCREENING:
        raise DomainError("Start screening before recording its result.")
    claim(contact, version)
    subjects = list(contact.subjects.all())
    unidentified = unidentified_children(subjects)
    if unidentified:
        raise DomainError(
            f"Link {', '.join(unidentified)} to a person record, or create a new one, before routing the contact",
            field="route",
        )
    finding = finding_for_people([s.person_id for s in subjects if s.person_id is not None], at=at)
    if route not in finding.allowed_routes:
        raise DomainError(_refusal(route, finding), field="route")
    if route == ScreeningRoute.SIGNPOST and clock_rating(contact) == Brag.RED:
        raise DomainError(
            "A Red contact (a risk of significant harm) is never closed at screening: send it to a MASH social "
            "worker for a threshold decision",
            field="route",
        )
    if route == ScreeningRoute.SIGNPOST and not signposted_to.strip():
        raise DomainError("Enter the service you signposted the family to", field="signposted_to")
    screening = Screening.objects.create(
        contact=contact,
        known_status=finding.status,
        route=route,
        allocated_worker=finding.worker,
        allocated_team=finding.team,
        signposted_to=signposted_to.strip(),
        notes=notes,
        screened_by=by,
        screened_at=at,
    )
    due = threshold_due(contact) if route == ScreeningRoute.REFER_FOR_THRESHOLD else None
    transition(contact, ROUTE_EVENTS[route], by=by, due_at=due, at=at, note=finding.worker)
    record(
        Verb.SCREENING_RECORDED,
        by=by,
        contact=contact,
        at=at,
        data={"known_status": finding.status.value, "route": route.value},
    )
    if route in HANDOFF_KINDS:
        hand_off(contact, finding.handed_to, kind=HANDOFF_KINDS[route], by=by, at=at)
    return screening


def unidentified_children(subjects: list[ContactSubject]) -> list[str]:
    """The children on a contact not yet linked to the person index, by name: screening cannot
    route the contact, nor a social worker recommend on it (a child added after screening), until
    each is known or recorded as new (002 §2: screening confirms who the child is)."""
    return [s.display_name for s in subjects if s.is_child and s.person_id is None]


def added_children_unidentified(contact: Contact) -> list[str]:
    """The children added to the contact after it was recorded (contacts.amendments) and not yet
    linked to the person index, by name: the threshold recommendation waits for them, as screening
    waited for the others."""
    added = contact.amendments.filter(kind=AmendmentKind.PERSON_ADDED).values("subject_id")
    return unidentified_children(list(contact.subjects.filter(pk__in=added, person=None)))


def _refusal(route: ScreeningRoute, finding: Finding) -> str:
    if finding.status == KnownStatus.OPEN_CASE:
        return f"The child has an open case: forward the contact to the allocated worker ({finding.worker or 'named on the involvement'})"
    if route == ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER:
        return "Nobody in this contact has an open case, so there is no allocated worker to forward it to"
    if route == ScreeningRoute.ALLOCATE_TO_PREVIOUS_WORKER:
        return "The three-month rule does not apply: no one was open to children's social care in the last three months under this protocol"
    return "Choose where the contact goes next"
