"""What a contact says now (contacts.amendments, ADR 0018): before the decision, its own rows;
after it, the details the decision saw with the addenda's corrections over them, and without the
people an addendum removed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models

from safehub.contacts.models import SUBJECT_FIELDS, Amendment, AmendmentKind, Contact, ContactSubject
from safehub.contacts.permissions import DECIDED_STATES

K = AmendmentKind

# What a correction may change on the contact. The time it was received, whether the child needs
# immediate protection and the initial rating set its clocks, and the rating has its own page
# (screening); they are not corrected here.
CORRECTABLE_CONTACT_FIELDS = (
    "channel",
    "source",
    "referrer_kind",
    "referrer_name",
    "referrer_role",
    "referrer_agency",
    "referrer_phone",
    "referrer_email",
    "referrer_address",
    "referrer_relationship",
    "referrer_knowledge",
    "concern_categories",
    "narrative",
    "significant_events",
    "child_location",
    "alleged_perpetrator",
    "other_agencies",
    "parents_aware",
    "parents_agree",
    "consent",
    "not_told",
    "consent_notes",
)


def is_addendum(contact: Contact) -> bool:
    """An amendment made now is made after the decision: it changes nothing on the contact."""
    return contact.state in DECIDED_STATES


def plain(value: Any) -> Any:
    """A value as the amendment keeps it (JSON): dates as ISO text, text without surrounding spaces."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def column(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The model's field of that name (a column: never a relation's reverse side)."""
    found = model._meta.get_field(name)
    if not isinstance(found, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return found


def _typed(model: type[models.Model], name: str, value: Any) -> Any:
    return None if value is None else column(model, name).to_python(value)


def _overlay(values: dict[str, Any], model: type[models.Model], addenda: list[Amendment]) -> dict[str, Any]:
    for addendum in addenda:
        for name, change in addendum.changes.items():
            if name in values:
                values[name] = _typed(model, name, change["to"])
    return values


def _corrections(contact: Contact, subject: ContactSubject | None) -> list[Amendment]:
    """The addenda correcting the contact's own details (subject None) or one person's, oldest first."""
    return list(
        contact.amendments.filter(kind=K.DETAILS_CORRECTED, after_decision=True, subject=subject).order_by("at", "pk")
    )


def known_contact_values(contact: Contact) -> dict[str, Any]:
    """The contact's correctable details as known now: as recorded (and amended before the
    decision), with any later addenda's corrections over them."""
    values = {name: getattr(contact, name) for name in CORRECTABLE_CONTACT_FIELDS}
    return _overlay(values, Contact, _corrections(contact, None))


def known_subject_values(subject: ContactSubject) -> dict[str, Any]:
    """A person's details as known now (see known_contact_values)."""
    values = {name: getattr(subject, name) for name in SUBJECT_FIELDS}
    return _overlay(values, ContactSubject, _corrections(subject.contact, subject))


def removed_by_addenda(contact: Contact) -> set[int]:
    """The people an addendum says should not be on the contact (they stay in what the decision saw)."""
    return set(
        contact.amendments.filter(kind=K.PERSON_REMOVED, after_decision=True).values_list("subject_id", flat=True)
    )


def people_now(contact: Contact) -> list[ContactSubject]:
    """The people on the contact as known now: after the decision, without those an addendum removed."""
    gone = removed_by_addenda(contact) if is_addendum(contact) else set()
    return [subject for subject in contact.subjects.order_by("order") if subject.pk not in gone]


def added_after_the_decision(amendment: Amendment) -> dict[str, Any]:
    """The person an addendum added (after the decision they join no contact: ADR 0018), as the
    addendum recorded them, in the contact subject's own field names and types."""
    return {
        name: _typed(ContactSubject, name, amendment.changes[name]["to"])
        for name in SUBJECT_FIELDS
        if name in amendment.changes
    }
