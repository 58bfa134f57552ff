"""Restricting a contact to named people, and lifting the restriction.

A manager restricts a contact when even the hub's own staff should not see it unless they need
to: a staff member's child, a family known to the team, a high-profile case. Once restricted, the
contact is visible only to the people named (ContactQuerySet.visible_to), in every page, queue and
search. The manager who restricts is always one of them: a restriction nobody can manage would hide
a child's record from everyone. Each change is audited; the reason stays on the contact.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from safehub.accounts.models import User
from safehub.accounts.permissions import can_work_on_cases
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts import permissions
from safehub.contacts.models import Contact, ContactRestriction
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.core.races import claim


def _bump(contact: Contact, *, version: int, **fields: object) -> None:
    changed = Contact.objects.filter(pk=contact.pk, version=version).update(version=F("version") + 1, **fields)
    if changed != 1:
        raise ConcurrentChange()
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.version = version + 1


@transaction.atomic(durable=True)
def restrict_contact(
    contact: Contact, *, people: Iterable[User], reason: str, by: User, at: datetime, version: int
) -> list[User]:
    """Only `people` (and `by`) may see the contact from now on. Returns who may, by name."""
    if not permissions.can_restrict(by, contact):
        raise PermissionDenied
    claim(contact, version)
    if not reason.strip():
        raise DomainError("Enter why the contact is restricted", field="reason")
    named = {user.pk: user for user in people}
    refused = [user for user in named.values() if not (user.is_active and can_work_on_cases(user))]
    if refused:
        raise DomainError(
            f"{', '.join(map(str, refused))} cannot see children's records: choose children's social care staff",
            field="people",
        )
    named[by.pk] = by
    _bump(
        contact,
        version=version,
        is_restricted=True,
        restriction_reason=reason.strip(),
        restricted_by=by,
        restricted_at=at,
    )
    ContactRestriction.objects.filter(contact=contact).exclude(user_id__in=named).delete()
    ContactRestriction.objects.bulk_create(
        [ContactRestriction(contact=contact, user=user) for user in named.values()], ignore_conflicts=True
    )
    record(Verb.CONTACT_RESTRICTED, by=by, contact=contact, at=at, data={"people": sorted(named)})
    return sorted(named.values(), key=str)


@transaction.atomic(durable=True)
def lift_restriction(contact: Contact, *, by: User, at: datetime, version: int) -> None:
    """The contact is seen again by its team (and the allocated worker) like any other."""
    if not permissions.can_restrict(by, contact):
        raise PermissionDenied
    if not contact.is_restricted:
        raise DomainError("This contact is not restricted")
    claim(contact, version)
    _bump(contact, version=version, is_restricted=False, restriction_reason="", restricted_by=None, restricted_at=None)
    ContactRestriction.objects.filter(contact=contact).delete()
    record(Verb.CONTACT_RESTRICTION_LIFTED, by=by, contact=contact, at=at)
