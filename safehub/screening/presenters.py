from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from safehub.accounts.models import User
from safehub.contacts.models import Contact, ContactSubject, SubjectRole
from safehub.core.presenters import Action, Panel, shown_date
from safehub.matching.features import PersonDetails
from safehub.matching.presenters import CandidateView, candidate_views
from safehub.matching.search import search
from safehub.people.models import Person
from safehub.screening.forms import IdentifyForm
from safehub.screening.models import Screening
from safehub.screening.permissions import can_screen
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
        born = f", born {shown_date(subject.date_of_birth, 'j F Y')}" if subject.date_of_birth else ""
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
    born = person.date_of_birth.strftime("%d/%m/%Y") if person.date_of_birth else "date of birth not known"
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
        if bound is not None and bound.prefix == prefix_for(subject):
            form = bound
            form.fields["person"].widget.choices = choices
        else:
            form = IdentifyForm(initial={"version": version}, choices=choices, prefix=prefix_for(subject))
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
        if not can_screen(user, record):
            return []
        return [Action("Screen this contact", reverse("screening:screen-contact", args=[record.pk]))]
