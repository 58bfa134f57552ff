from __future__ import annotations

from dataclasses import dataclass

from safehub.contacts.models import ContactSubject
from safehub.people.queries import Candidate, PersonQuery, find_candidates
from safehub.screening.forms import IdentifyForm

NEW_PERSON = "new"


@dataclass(frozen=True)
class SubjectCheck:
    subject: ContactSubject
    candidates: list[Candidate]
    form: IdentifyForm | None


def candidate_label(candidate: Candidate) -> str:
    person = candidate.person
    born = person.date_of_birth.strftime("%d/%m/%Y") if person.date_of_birth else "date of birth not known"
    postcode = person.address.postcode if person.address else "no address"
    open_services = [i.get_service_display() for i in person.involvements.all() if i.is_open]
    services = f"; open: {', '.join(open_services)}" if open_services else ""
    return f"{person.full_name}, born {born}, {postcode} ({person.local_id}){services}. Matched on {', '.join(candidate.reasons)}"


def prefix_for(subject: ContactSubject) -> str:
    return f"subject-{subject.pk}"


def subject_checks(
    subjects: list[ContactSubject], *, index: object, version: int, bound: IdentifyForm | None = None
) -> list[SubjectCheck]:
    """For each unidentified subject, the candidate people in the index and a form to choose one."""
    checks = []
    for subject in subjects:
        if subject.person_id:
            checks.append(SubjectCheck(subject, [], None))
            continue
        query = PersonQuery(subject.given_name, subject.family_name, subject.date_of_birth, subject.nhs_number)
        candidates = find_candidates(query, within=index, limit=10)  # type: ignore[arg-type]
        choices = [(str(c.person.pk), candidate_label(c)) for c in candidates]
        choices.append((NEW_PERSON, "Not known: create a new person record"))
        if bound is not None and bound.prefix == prefix_for(subject):
            form = bound
            form.fields["person"].widget.choices = choices
        else:
            form = IdentifyForm(initial={"version": version}, choices=choices, prefix=prefix_for(subject))
        checks.append(SubjectCheck(subject, candidates, form))
    return checks
