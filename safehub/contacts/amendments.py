"""Amending a contact after it was recorded (ADR 0018): add a person found later, remove one named
by mistake, correct details, record consent obtained later, add information.

Each amendment is an `Amendment` row (who, when, why, each field's value before and after) and an
audit event, written with a compare-and-set on the contact's version, so that a form loaded before
someone else's change is refused and changes nothing. Which kinds a state allows is
`permissions.AMENDMENTS`. Before the decision an amendment changes the contact itself (a person
removed is marked removed, never deleted); after it (approved, or closed) it is an addendum: the
contact stays as the decision saw it and the addendum is shown apart, as added after the decision.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models, transaction
from django.db.models import Max

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts import permissions, search_terms
from safehub.contacts.known import (
    CORRECTABLE_CONTACT_FIELDS,
    column,
    is_addendum,
    known_contact_values,
    known_subject_values,
    people_now,
    plain,
)
from safehub.contacts.models import (
    SUBJECT_FIELDS,
    Amendment,
    AmendmentKind,
    Contact,
    ContactSubject,
)
from safehub.contacts.rules import (
    child_problems,
    consent_problems,
    kept_reasons,
    referral_problems,
    subject_problems,
)
from safehub.contacts.services import RESUBMISSION_WINDOW  # a contact's form sent again: the same hour
from safehub.core.errors import ConcurrentChange, DomainError, Problem, Refused
from safehub.core.lifecycle import compare_and_set
from safehub.core.races import claim
from safehub.core.submissions import content_key
from safehub.core.working_time import LONDON

K = AmendmentKind

# Changing these changes what Find a contact finds the contact by (contacts.search_terms).
SEARCHED_FIELDS = frozenset({"referrer_name", "referrer_agency", "given_name", "family_name", "address", "postcode"})


@dataclass(frozen=True)
class Amended:
    """What an amendment service did: the amendment, and whether this call made it (False: the same
    submission had already made it, and nothing new was saved)."""

    amendment: Amendment
    created: bool


@dataclass
class _Plan:
    """What one amendment writes, worked out (and checked) before anything is written."""

    kind: AmendmentKind
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    contact_fields: dict[str, Any] = field(default_factory=dict)
    subject: ContactSubject | None = None
    write_subject: Callable[[], ContactSubject | None] | None = None
    row: dict[str, Any] = field(default_factory=dict)  # the amendment's own columns (reason, consent…)


def _changes(known: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Each field whose value differs, as {"from": old, "to": new}; "" and None are the same blank."""
    found = {}
    for name, value in new.items():
        before, after = plain(known.get(name)), plain(value)
        if (before in ("", None) and after in ("", None, False)) or before == after:
            continue
        found[name] = {"from": before, "to": after}
    return found


# --- the services -------------------------------------------------------------------------------


def add_person(
    contact: Contact,
    person: Mapping[str, Any],
    *,
    reason: str,
    by: User,
    at: datetime,
    version: int,
    submission_key: uuid.UUID | None = None,
) -> Amended:
    """A child or adult found after the contact was recorded (a sibling, say). Before the decision
    they join the contact, not yet identified, and screening links them to the person index; after
    it the addendum records them and the contact's people stay as the decision saw them."""

    details = {name: _stripped(person[name]) for name in SUBJECT_FIELDS if name in person}

    def plan() -> _Plan:
        problems = subject_problems(details, item=0, today=_today(at))
        problems += _needs(reason, "Enter how you found out about them")
        if problems:
            raise Refused(problems)
        changes = _changes({}, details)

        def write() -> ContactSubject:
            last = ContactSubject.everyone.filter(contact=contact).aggregate(top=Max("order"))["top"]
            return ContactSubject.objects.create(contact=contact, order=(last or 0) + 1, **details)

        return _Plan(K.PERSON_ADDED, changes, write_subject=None if is_addendum(contact) else write)

    return _amend(contact, plan, K.PERSON_ADDED, reason, details, by=by, at=at, version=version, key=submission_key)


def remove_person(
    contact: Contact,
    subject: ContactSubject,
    *,
    reason: str,
    by: User,
    at: datetime,
    version: int,
    submission_key: uuid.UUID | None = None,
) -> Amended:
    """Someone named on the contact by mistake. Never deleted: before the decision they are marked
    removed (and leave every page, queue and check), after it an addendum says so. The last child
    on a contact cannot be removed: a contact is about a child."""

    def plan() -> _Plan:
        people = people_now(contact)
        if subject.pk not in {p.pk for p in people}:
            raise DomainError("That person is not on this contact now", field="subject")
        problems = _needs(reason, "Enter why they are being removed")
        others = [{"role": p.role} for p in people if p.pk != subject.pk]
        if subject.is_child and child_problems(others):
            problems.insert(
                0,
                Problem(
                    f"{subject.display_name} is the only child on this contact: a contact is about at least one"
                    " child, so they cannot be removed",
                    field="subject",
                ),
            )
        if problems:
            raise Refused(problems)

        def write() -> ContactSubject:
            ContactSubject.everyone.filter(pk=subject.pk).update(removed_at=at)
            subject.removed_at = at
            return subject

        changes = {"removed": {"from": False, "to": True}}
        return _Plan(K.PERSON_REMOVED, changes, subject=subject, write_subject=None if is_addendum(contact) else write)

    fingerprint = {"subject": subject.pk}
    return _amend(
        contact, plan, K.PERSON_REMOVED, reason, fingerprint, by=by, at=at, version=version, key=submission_key
    )


def correct_contact(
    contact: Contact,
    fields: Mapping[str, Any],
    *,
    reason: str,
    by: User,
    at: datetime,
    version: int,
    submission_key: uuid.UUID | None = None,
) -> Amended:
    """Correct the contact's own details (the concern, the referrer, what the referrer said about
    consent). Only what differs from the details known now is recorded."""
    unknown = set(fields) - set(CORRECTABLE_CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"Not correctable here: {sorted(unknown)}")

    new = {name: _stripped(value) for name, value in fields.items()}

    def plan() -> _Plan:
        known = known_contact_values(contact)
        merged = {**known, **new}
        # The reasons a family was not told go with that answer (002 §22): asked for when the
        # correction says so, dropped when it no longer does.
        merged["not_told"] = kept_reasons(merged.get("consent") or "", merged.get("not_told"))
        corrected = {**new, "not_told": merged["not_told"]}
        changes = _changes(known, corrected)
        problems = referral_problems(merged, at=at) + consent_problems(merged)
        problems += _needs(reason, "Enter why the details are corrected")
        if problems:
            raise Refused(problems)
        if not changes:
            raise DomainError("You have not changed any detail: change one, or cancel")
        written = {name: corrected[name] for name in changes}
        return _Plan(K.DETAILS_CORRECTED, changes, contact_fields={} if is_addendum(contact) else written)

    return _amend(contact, plan, K.DETAILS_CORRECTED, reason, new, by=by, at=at, version=version, key=submission_key)


def correct_person(
    contact: Contact,
    subject: ContactSubject,
    fields: Mapping[str, Any],
    *,
    reason: str,
    by: User,
    at: datetime,
    version: int,
    submission_key: uuid.UUID | None = None,
) -> Amended:
    """Correct what was recorded about one person (a misspelt name, a wrong date of birth, an
    unborn child now born). The link screening made to the person index stays."""

    new = {name: _stripped(fields[name]) for name in SUBJECT_FIELDS if name in fields}

    def plan() -> _Plan:
        people = people_now(contact)
        if subject.pk not in {p.pk for p in people}:
            raise DomainError("That person is not on this contact now", field="subject")
        known = known_subject_values(subject)
        merged = {**known, **new}
        problems = subject_problems(merged, item=0, today=_today(at))
        others = [{"role": p.role} for p in people if p.pk != subject.pk]
        problems += child_problems([*others, merged])
        problems += _needs(reason, "Enter why the details are corrected")
        if problems:
            raise Refused(problems)
        changes = _changes(known, new)
        if not changes:
            raise DomainError("You have not changed any detail: change one, or cancel")
        written = {name: new[name] for name in changes}

        def write() -> ContactSubject:
            ContactSubject.objects.filter(pk=subject.pk).update(**written)
            for name, value in written.items():
                setattr(subject, name, value)
            return subject

        return _Plan(
            K.DETAILS_CORRECTED, changes, subject=subject, write_subject=None if is_addendum(contact) else write
        )

    fingerprint = {"subject": subject.pk, **new}
    return _amend(
        contact, plan, K.DETAILS_CORRECTED, reason, fingerprint, by=by, at=at, version=version, key=submission_key
    )


def add_information(
    contact: Contact,
    information: str,
    *,
    source: str,
    by: User,
    at: datetime,
    version: int,
    submission_key: uuid.UUID | None = None,
) -> Amended:
    """Something learnt after the contact was recorded (from the family, a professional, a check),
    with where it came from."""

    def plan() -> _Plan:
        problems = _needs(information, "Enter what you have learnt", field="information")
        problems += _needs(source, "Enter who told you, or where it came from")
        if problems:
            raise Refused(problems)
        return _Plan(K.INFORMATION_ADDED, row={"information": information.strip()})

    fingerprint = {"information": information}
    return _amend(
        contact, plan, K.INFORMATION_ADDED, source, fingerprint, by=by, at=at, version=version, key=submission_key
    )


# --- the machinery ------------------------------------------------------------------------------


def _today(at: datetime) -> date:
    return at.astimezone(LONDON).date()


def _needs(text: str, message: str, *, field: str = "reason") -> list[Problem]:
    return [] if text.strip() else [Problem(message, field=field)]


def _is_text(model: type[models.Model], name: str) -> bool:
    return isinstance(column(model, name), models.CharField | models.TextField)


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def earlier_amendment(
    contact: Contact, *, by: User, at: datetime, submission_key: uuid.UUID | None, content: str = ""
) -> Amendment | None:
    """The amendment this submission already made: the same one-time key; or, for a form sent again
    after its first sending moved the contact's version on (Back, then Submit), the same details
    from the same person within the hour."""
    amendments = Amendment.objects.filter(contact=contact)
    if submission_key is not None:
        found = amendments.filter(submission_key=submission_key).first()
        if found is not None:
            return found
    if not content:
        return None
    return (
        amendments.filter(by=by, content_key=content, at__gte=at - RESUBMISSION_WINDOW).order_by("-at", "-pk").first()
    )


def _amend(
    contact: Contact,
    plan: Callable[[], _Plan],
    kind: AmendmentKind,
    reason: str,
    fingerprint: Mapping[str, Any],
    *,
    by: User,
    at: datetime,
    version: int,
    key: uuid.UUID | None,
) -> Amended:
    if not permissions.can_amend_contact(by):
        raise PermissionDenied
    content = content_key({"contact": contact.pk, "kind": kind.value, "reason": reason, **fingerprint})
    try:
        return _write(contact, plan, kind, reason, content, by=by, at=at, version=version, key=key)
    except ConcurrentChange:
        # A stale form. The same submission sent again lands on what its first sending made;
        # anything else is refused, and nothing was written (the transaction rolled back).
        earlier = earlier_amendment(contact, by=by, at=at, submission_key=key, content=content)
        if earlier is None:
            raise
        return Amended(earlier, created=False)


@transaction.atomic(durable=True)
def _write(
    contact: Contact,
    make_plan: Callable[[], _Plan],
    kind: AmendmentKind,
    reason: str,
    content: str,
    *,
    by: User,
    at: datetime,
    version: int,
    key: uuid.UUID | None,
) -> Amended:
    earlier = earlier_amendment(contact, by=by, at=at, submission_key=key)
    if earlier is not None:
        return Amended(earlier, created=False)
    claim(contact, version)
    if not permissions.can_amend_contact(by, contact, kind):
        raise DomainError(permissions.why_not_amendable(contact, kind))
    plan = make_plan()
    after = is_addendum(contact)
    # The state too: a contact decided since it was read would otherwise take a change meant for before.
    compare_and_set(contact, noun="contact", where={"state": contact.state}, **plan.contact_fields)
    subject = plan.write_subject() if plan.write_subject is not None else plan.subject
    amendment = Amendment.objects.create(
        contact=contact,
        kind=kind,
        subject=subject,
        changes=plan.changes,
        after_decision=after,
        by=by,
        at=at,
        submission_key=key,
        content_key=content,
        reason=reason.strip(),
        **plan.row,
    )
    if not after and (SEARCHED_FIELDS & set(plan.changes) or kind == K.PERSON_REMOVED):
        search_terms.index_contacts([contact.pk])  # Find a contact finds it by its people as they are now
    record(Verb.CONTACT_AMENDED, by=by, contact=contact, at=at, data=audit_data(amendment))
    return Amended(amendment, created=True)


def _digest(value: Any) -> Any:
    return f"sha256:{hashlib.sha256(value.encode()).hexdigest()}" if isinstance(value, str) and value else value


def audit_data(amendment: Amendment) -> dict[str, Any]:
    """The audit event's data: the amendment, and each field's old and new value. Codes, dates and
    yes/no values as they are; names, addresses and free text only as a digest (sha256:…) of the
    text the amendment holds, so the trail proves the amendment unaltered without copying what was
    written about a family into it (STYLE §4.10)."""
    model = Contact if amendment.subject_id is None and amendment.kind != K.PERSON_ADDED else ContactSubject

    def shown(name: str, value: Any) -> Any:
        try:
            model_field = column(model, name)
        except FieldDoesNotExist:  # "removed": a flag, not a column
            return value
        if model_field.choices or not _is_text(model, name):
            return value
        return _digest(value)

    data: dict[str, Any] = {
        "amendment": amendment.pk,
        "kind": amendment.kind,
        "after_decision": amendment.after_decision,
        "subject": amendment.subject_id,
        "changes": {
            name: {"from": shown(name, change["from"]), "to": shown(name, change["to"])}
            for name, change in amendment.changes.items()
        },
    }
    if amendment.kind == K.CONSENT_RECORDED:
        data["consent_from"] = amendment.consent_from
        data["consent_how"] = amendment.consent_how
        data["consent_on"] = amendment.consent_on
    return data
