"""Writing the sharing ledger: the one writer of its rows, called by every route in and out
(`sharing.exits` for the routes out). Each row is written with its audit event, inside the calling
service's transaction, so the row and what it was made for are written together or not at all."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import models

from safehub.accounts.models import Agency, User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts.models import Contact
from safehub.core.errors import DomainError, Problem, Refused
from safehub.people.models import Person
from safehub.sharing.exits import Item, Release
from safehub.sharing.models import Disclosure, origin_label
from safehub.sharing.vocabulary import Basis, Category, Condition, Direction, Purpose, statement

# The least a reason not to share says: what the requester will be told and the DPO will read.
MIN_DECLINED_REASON = 20


class LeakError(RuntimeError):
    """An exit built its content with an item the gate withheld: a bug, never shown as a message."""


def _words(value: Any) -> Iterable[str]:
    """The text values in an item's content long enough to be recognised if they leaked."""
    if isinstance(value, str):
        if len(value.strip()) >= 12:
            yield value.strip()
    elif isinstance(value, Mapping):
        for inner in value.values():
            yield from _words(inner)
    elif isinstance(value, (list, tuple)):
        for inner in value:
            yield from _words(inner)


def withheld_found(sent: str, released: Release, *, as_json: bool = False) -> list[tuple[Item, str]]:
    """Each item the gate withheld whose text is in `sent` (what goes out, as text; `as_json`: a JSON
    dump of it, in which the item's text is looked for escaped as JSON), with the text found."""
    shared = {text for item in released.shared for text in _words(item.content)}
    found = []
    for item in released.withheld:
        for text in _words(item.content):
            needle = json.dumps(text, ensure_ascii=False)[1:-1] if as_json else text
            if text not in shared and needle in sent:
                found.append((item, text))
                break
    return found


def check_nothing_withheld(sent: str, released: Release, *, as_json: bool = False) -> None:
    """Raise `LeakError` if any text of an item the gate withheld is in `sent` (`withheld_found`)."""
    for item, _ in withheld_found(sent, released, as_json=as_json):
        raise LeakError(f"{item.key} was withheld from {released.route} but its content is in what is sent")


def _people(contact: Contact | None, people: Iterable[Person]) -> list[Person]:
    found = {person.pk: person for person in people}
    if contact is not None:
        for subject in contact.subjects.select_related("person"):
            if subject.person is not None:
                found.setdefault(subject.person.pk, subject.person)
    return list(found.values())


def _other_side(to: Agency | str) -> tuple[Agency | None, str]:
    if isinstance(to, str) and not to.strip():
        raise DomainError("Say who the information is shared with")
    agency = to if isinstance(to, Agency) else None
    return agency, "" if agency is not None else str(to).strip()[:200]


def _write(
    contact: Contact | None,
    *,
    verb: Verb,
    people: Iterable[Person],
    origin: models.Model | None,
    by: User,
    at: datetime,
    **fields: Any,
) -> Disclosure:
    if contact is None and origin is None:
        raise ValueError("A ledger row outside any contact must name the record it was made for")
    if origin is not None and origin.pk is None:
        raise ValueError("A ledger row's originating record must be saved first")
    bases = [Basis(value).value for value in fields.pop("bases")]
    disclosure = Disclosure.objects.create(
        contact=contact,
        disclosed_by=by,
        disclosed_at=at,
        bases=bases,
        lawful_basis=statement(bases),
        origin=origin_label(origin) if origin is not None else "",
        origin_id=origin.pk if origin is not None else None,
        **fields,
    )
    disclosure.people.set(_people(contact, people))
    record(
        verb,
        by=by,
        contact=contact,
        at=at,
        data={
            "disclosure": disclosure.pk,
            "agency": disclosure.agency_id,
            "purpose": disclosure.purpose,
            "route": disclosure.route,
            "origin": disclosure.origin,
            "origin_id": disclosure.origin_id,
            **({"withheld": len(disclosure.withheld)} if disclosure.withheld else {}),
        },
    )
    return disclosure


def record_disclosure(
    contact: Contact | None,
    *,
    to: Agency | str,
    released: Release,
    content: Mapping[str, Any],
    purpose: Purpose,
    bases: Sequence[Basis],
    categories: Sequence[Category],
    consent_position: str,
    origin: models.Model | None = None,
    people: Iterable[Person] = (),
    decided_by: User | None = None,
    by: User,
    at: datetime,
) -> Disclosure:
    """Record that `content` about `contact` went to `to` (a partner agency, or whoever else received
    it) down the route `released` was cleared for, why and on what basis, with its `DISCLOSURE_MADE`
    audit event. `content` is built from `released.shared` only: an item the gate withheld found in
    it is a bug, and nothing is written. `origin` is the record the disclosure was made for (a MASH
    check request, say), named without the ledger importing its app."""
    if not bases:
        raise DomainError("Choose the lawful basis for sharing", field="bases")
    agency, recipient = _other_side(to)
    if (agency.pk if agency is not None else None) != released.recipient:
        raise ValueError("The release was cleared for another recipient")
    check_nothing_withheld(json.dumps(content, ensure_ascii=False, default=str), released, as_json=True)
    return _write(
        contact,
        verb=Verb.DISCLOSURE_MADE,
        people=people,
        origin=origin,
        by=by,
        at=at,
        direction=Direction.OUT,
        agency=agency,
        recipient=recipient,
        route=released.route,
        decided_by=decided_by,
        purpose=purpose,
        bases=bases,
        categories=sorted({Category(value).value for value in categories}),
        consent_position=consent_position,
        conditions=released.conditions,
        withheld=released.withheld_summary(),
        content=dict(content),
    )


def record_receipt(
    contact: Contact | None,
    *,
    source: Agency,
    content: Mapping[str, Any],
    purpose: Purpose,
    bases: Sequence[Basis],
    categories: Sequence[Category],
    conditions: Iterable[Condition],
    consent_position: str,
    origin: models.Model,
    people: Iterable[Person] = (),
    by: User,
    at: datetime,
) -> Disclosure:
    """Record information another agency gave the hub (a partner's answer to MASH checks, say), with
    the conditions it put on it and its `DISCLOSURE_RECEIVED` audit event."""
    return _write(
        contact,
        verb=Verb.DISCLOSURE_RECEIVED,
        people=people,
        origin=origin,
        by=by,
        at=at,
        direction=Direction.IN,
        agency=source,
        purpose=purpose,
        bases=bases,
        categories=sorted({Category(value).value for value in categories}),
        consent_position=consent_position,
        conditions=sorted({Condition(value).value for value in conditions}),
        content=dict(content),
    )


def record_decision_not_to_share(
    contact: Contact | None,
    *,
    to: Agency | str,
    asked: str,
    asked_by: str,
    reason: str,
    purpose: Purpose,
    consent_position: str = "",
    origin: models.Model | None = None,
    people: Iterable[Person] = (),
    by: User,
    at: datetime,
) -> Disclosure:
    """Record that the hub declined to share: what was asked, by whom, and why (issue 14), with its
    `SHARING_DECLINED` audit event. Nothing is sent."""
    problems = []
    if not asked.strip():
        problems.append(Problem("Say what was asked for", field="asked"))
    if not asked_by.strip():
        problems.append(Problem("Say who asked", field="asked_by"))
    if len(reason.strip()) < MIN_DECLINED_REASON:
        problems.append(
            Problem(f"Say why it is not shared, in at least {MIN_DECLINED_REASON} characters", field="declined_reason")
        )
    if problems:
        raise Refused(problems)
    agency, recipient = _other_side(to)
    same = Disclosure.objects.filter(
        contact=contact,
        shared=False,
        disclosed_by=by,
        agency=agency,
        recipient=recipient,
        asked_by=asked_by.strip()[:200],
        declined_reason=reason.strip(),
        content__asked=asked.strip(),
        origin=origin_label(origin) if origin is not None else "",
        origin_id=origin.pk if origin is not None else None,
    ).first()
    if same is not None:
        return same  # the same decision sent again (back and resubmit, a double click): one row
    return _write(
        contact,
        verb=Verb.SHARING_DECLINED,
        people=people,
        origin=origin,
        by=by,
        at=at,
        direction=Direction.OUT,
        shared=False,
        agency=agency,
        recipient=recipient,
        decided_by=by,
        purpose=purpose,
        bases=[],
        categories=[],
        consent_position=consent_position,
        content={"asked": asked.strip()},
        asked_by=asked_by.strip()[:200],
        declined_reason=reason.strip(),
    )
