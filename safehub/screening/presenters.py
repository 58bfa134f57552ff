from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from safehub.accounts.models import User
from safehub.contacts.models import AmendmentKind, Contact, ContactSubject, SubjectRole
from safehub.contacts.presenters import concern_labels
from safehub.contacts.queries import contacts_naming
from safehub.contacts.workflow import ContactState
from safehub.core.presenters import Action, Panel, record_links, shown_date, shown_day
from safehub.decisions.queries import child_outcomes, latest_rating, outcome_for_person
from safehub.matching.features import PersonDetails
from safehub.matching.presenters import CandidateView, candidate_views
from safehub.matching.search import search
from safehub.people.households import family_of
from safehub.people.models import Person
from safehub.protocols.models import Brag
from safehub.screening import services as screening_services
from safehub.screening.forms import IdentifyForm
from safehub.screening.models import Screening, ScreeningRoute, screening_outcome
from safehub.screening.permissions import can_identify, can_screen
from safehub.screening.services import Finding

NEW_PERSON = "new"


@dataclass(frozen=True)
class SubjectCheck:
    subject: ContactSubject
    candidates: list[CandidateView]
    form: IdentifyForm | None

    @property
    def about(self) -> str:
        """'Child, born 2 March 2019' under the person's name."""
        subject = self.subject
        born = f", born {shown_day(subject.date_of_birth)}" if subject.date_of_birth else ""
        return f"{subject.get_role_display()}{born}"

    @property
    def anchor(self) -> str:
        return subject_anchor(self.subject)


def subject_anchor(subject: ContactSubject) -> str:
    """The id of a person's block on the screening page (where "Link" brings the user back to)."""
    return f"block-{prefix_for(subject)}"


def worker_note(finding: Finding) -> str:
    """' (worker: Jo Bloggs, Team A)' after what the records show, when a worker is allocated."""
    if not finding.worker:
        return ""
    team = f", {finding.team}" if finding.team else ""
    return f" (worker: {finding.worker}{team})"


def route(screening: Screening) -> str:
    """'Forward to the allocated worker: Jo Bloggs, Team A' or 'Signpost: Early help'."""
    text = screening.get_route_display()
    if screening.allocated_worker:
        team = f", {screening.allocated_team}" if screening.allocated_team else ""
        text += f": {screening.allocated_worker}{team}"
    if screening.signposted_to:
        text += f": {screening.signposted_to}"
    return text


def details_of(subject: ContactSubject, parents: tuple[str, ...] = ()) -> PersonDetails:
    """What the referrer told us about someone; for a child, with the first names of the contact's parents."""
    return PersonDetails(
        **subject.identity(),
        address=subject.address,
        postcode=subject.postcode,
        parent_given_names=parents if subject.is_child else (),
    )


def candidate_label(view: CandidateView) -> str:
    person = view.person
    born = shown_day(person.date_of_birth) or "date of birth not known"
    postcode = person.address.postcode if person.address else "no address"
    open_services = [i.get_service_display() for i in person.involvements.all() if i.is_open]
    services = f"; open: {', '.join(open_services)}" if open_services else ""
    return f"{person.full_name}, born {born}, {postcode} ({person.local_id}){services}: {view.percent} match"


def prefix_for(subject: ContactSubject) -> str:
    return f"subject-{subject.pk}"


def subject_checks(
    subjects: list[ContactSubject], *, index: QuerySet[Person], version: int, bound: IdentifyForm | None = None
) -> list[SubjectCheck]:
    """For each unidentified subject, the likely people in the index and a form to choose one."""
    checks = []
    parents = tuple(s.given_name for s in subjects if s.role == SubjectRole.PARENT and s.given_name)
    for subject in subjects:
        if subject.person_id:
            checks.append(SubjectCheck(subject, [], None))
            continue
        views = candidate_views(search(details_of(subject, parents), within=index, limit=10))
        choices = [(str(v.person.pk), candidate_label(v)) for v in views]
        choices.append((NEW_PERSON, "Not known: create a new person record"))
        unlikely = any(view.candidate.probability < screening_services.UNLIKELY for view in views)
        if bound is not None and bound.prefix == prefix_for(subject):
            form = bound
            form.fields["person"].widget.choices = choices
        else:
            form = IdentifyForm(
                initial={"version": version}, choices=choices, prefix=prefix_for(subject), unlikely=unlikely
            )
        checks.append(SubjectCheck(subject, views, form))
    return checks


class ContactPanel(Panel):
    """The contact's basic screening, once it is done."""

    template_name = "screening/_contact_panel.html"
    related = ("screening__screened_by",)

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        screening = getattr(contact, "screening", None)
        return {"screening": screening, "route": route(screening)} if screening is not None else None

    def actions(self, record: Contact, *, user: User) -> list[Action]:
        if can_screen(user, record):
            return [Action("Screen this contact", reverse("screening:screen-contact", args=[record.pk]))]
        if can_identify(user, record) and waiting_to_be_identified(record):
            return [Action("Identify the people added", reverse("screening:identify-people", args=[record.pk]))]
        return []


def waiting_to_be_identified(contact: Contact) -> list[ContactSubject]:
    """The people on a screened contact not linked to the person index that should be: a child,
    or anyone added since the contact was recorded (subjects and amendments prefetched)."""
    added = {a.subject_id for a in contact.amendments.all() if a.kind == AmendmentKind.PERSON_ADDED}
    return [s for s in contact.subjects.all() if s.person_id is None and (s.is_child or s.pk in added)]


# How far back screening looks for earlier contacts about the family.
HISTORY = timedelta(days=365)


@dataclass(frozen=True)
class PastContact:
    reference: str
    href: str
    received: str
    concerns: str
    rating: str
    outcome: str


@dataclass(frozen=True)
class FamilyMember:
    name: str
    href: str
    about: str  # "Child on this contact", "Family"
    born: str
    involvements: list[str]
    contacts: list[PastContact]
    repeat: str  # "3rd contact about Mia Harlow in 12 months", or ""
    open_services: list[str]  # for someone not on the contact: "Children with disability (Lydia Jones)"


def family_signals(family: list[FamilyMember]) -> list[str]:
    """What the family history holds that the one-line verdict ("Not known to children's services",
    which is about the people on the contact) does not: each repeat contact about a child on it, and
    each open service of someone else in the family, whose worker may need to know (002 §3 forwards
    only a child's own open service)."""
    signals = [member.repeat for member in family if member.repeat]
    signals += [
        f"{member.name} ({member.about.lower()}) has an open service: {service}"
        for member in family
        for service in member.open_services
    ]
    return signals


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def family_history(contact: Contact, *, user: User, at: datetime) -> list[FamilyMember]:
    """What decides the route: for each child on the contact and everyone in their family
    (people.households), their services, open and closed, and every contact about them in the last
    12 months that the user may see (date, concern, rating, outcome), with a warning for a child
    contacted about again."""
    on_contact = {s.person_id: s for s in contact.subjects.all() if s.person_id is not None}
    if not on_contact:
        return []
    family = family_of(on_contact)
    people = {p.pk: p for p in Person.objects.visible_to(user).filter(pk__in=family).prefetch_related("involvements")}
    earlier = (
        contacts_naming(user, people)
        .filter(received_at__gte=at - HISTORY)
        .exclude(pk=contact.pk)
        .order_by("-received_at")
        .values(
            "pk",
            "reference",
            "received_at",
            "concern_categories",
            "state",
            "screening__route",
            "screening__allocated_worker",
            "screening__signposted_to",
            rating=latest_rating(),
        )
    )
    by_id = {row["pk"]: row for row in earlier}
    outcomes = {pk: [c for c in children if c.approved] for pk, children in child_outcomes(list(by_id)).items()}
    about: dict[int, list[int]] = {}
    for person_id, contact_id in ContactSubject.objects.filter(contact_id__in=by_id, person_id__in=people).values_list(
        "person_id", "contact_id"
    ):
        about.setdefault(person_id, []).append(contact_id)
    link = record_links("contacts:contact")
    person_link = record_links("people:person")
    members = []
    order = sorted(people, key=lambda pk: (pk not in on_contact, on_contact[pk].order if pk in on_contact else 0, pk))
    for pk in order:
        person = people[pk]
        rows = sorted((by_id[c] for c in set(about.get(pk, ()))), key=lambda r: r["received_at"], reverse=True)
        past = [
            PastContact(
                reference=row["reference"],
                href=link(row["pk"]),
                received=shown_day(row["received_at"]),
                concerns=", ".join(concern_labels(row["concern_categories"])),
                rating=Brag(row["rating"]).label if row["rating"] else "Not rated",
                outcome=outcome_for_person(pk, outcomes.get(row["pk"], []))
                or screening_outcome(
                    row["screening__route"], row["screening__allocated_worker"], row["screening__signposted_to"]
                )
                or f"Not decided yet: {ContactState(row['state']).label.lower()}",
            )
            for row in rows
        ]
        subject = on_contact.get(pk)
        is_child = subject is not None and subject.is_child
        repeat = f"{ordinal(len(past) + 1)} contact about {person.full_name} in 12 months" if is_child and past else ""
        members.append(
            FamilyMember(
                name=person.full_name,
                href=person_link(pk),
                about=f"{subject.get_role_display()} on this contact" if subject else "Family",
                born=shown_day(person.date_of_birth) if person.date_of_birth else "Date of birth not known",
                involvements=[
                    f"{i.get_service_display()}: {'open' if i.is_open else 'closed'} since "
                    f"{shown_day(i.started_on if i.is_open else i.ended_on)}"
                    + (
                        f" ({i.allocated_worker}{', ' + i.team if i.team else ''})"
                        if i.allocated_worker or i.team
                        else ""
                    )
                    for i in person.involvements.all()
                ],
                contacts=past,
                repeat=repeat,
                open_services=[
                    f"{i.get_service_display()}"
                    + (
                        f" ({i.allocated_worker}{', ' + i.team if i.team else ''})"
                        if i.allocated_worker or i.team
                        else ""
                    )
                    for i in person.involvements.all()
                    if i.is_open and subject is None
                ],
            )
        )
    return members


def already_screened(contact: Contact, user: User) -> str:
    """Who screened the contact, when, and where it went, for someone whose screening page was open
    at the same time: 'Terence Newton screened this contact on 5 December 2026, 23:00: Signposted at
    screening (Children's centre)'. Without a screening (it left screening some other way): what
    the contact is now."""
    screening = Screening.objects.filter(contact=contact).select_related("screened_by").first()
    if screening is None:
        return f"This contact is no longer in screening: it is now '{ContactState(contact.state).label}'"
    who = "You" if screening.screened_by_id == user.pk else str(screening.screened_by)
    where = screening_outcome(screening.route, screening.allocated_worker, screening.signposted_to)
    if screening.route == ScreeningRoute.REFER_FOR_THRESHOLD:
        where = "Sent to a MASH social worker for a threshold decision"
    return f"{who} screened this contact on {shown_date(screening.screened_at)}: {where}"
