"""Reading police domestic-abuse notifications through the contact's one audited door, and finding
repeats: another incident against the same victim within 12 months of their last MARAC referral."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

from safehub.accounts.models import User
from safehub.contacts.models import Contact, ContactSubject
from safehub.contacts.queries import get_contact_for
from safehub.domestic_abuse.models import Notification
from safehub.domestic_abuse.rules import a_year_before

NOTIFICATION_RELATED = ("domestic_abuse__victim", "domestic_abuse__perpetrator", "domestic_abuse__recorded_by")


def get_notification_for(user: User, contact_pk: int, *, purpose: str) -> tuple[Contact, Notification | None]:
    """The contact (404 unless the user may see it; the read recorded) and its notification, if recorded."""
    contact = get_contact_for(user, contact_pk, purpose=purpose, related=NOTIFICATION_RELATED)
    return contact, getattr(contact, "domestic_abuse", None)


def same_victim(one: ContactSubject, other: ContactSubject) -> bool:
    """The same person across two notifications: the same person record once screening identified
    both; until then, the same name and date of birth (no date of birth: not comparable)."""
    if one.person_id is not None and other.person_id is not None:
        return one.person_id == other.person_id
    if one.date_of_birth is None or one.date_of_birth != other.date_of_birth:
        return False
    return _name(one) == _name(other)


def _name(subject: ContactSubject) -> tuple[str, str]:
    return subject.given_name.strip().lower(), subject.family_name.strip().lower()


@dataclass(frozen=True)
class Repeat:
    """The MARAC referral a notification repeats: the earlier notification, and its contact's reference
    if the user may see that contact ("" if not: the flag stands, the record stays hidden)."""

    earlier: Notification
    reference: str


def referrals_repeated(notifications: Sequence[Notification]) -> dict[int | None, Notification]:
    """For each notification (by pk; an unsaved one is None) that is a repeat, the latest earlier MARAC
    referral of the same victim within 12 months before its incident. One query. Each notification's
    victim must be loaded."""
    if not notifications:
        return {}
    people = {n.victim.person_id for n in notifications if n.victim.person_id is not None}
    born = {n.victim.date_of_birth for n in notifications if n.victim.date_of_birth is not None}
    if not people and not born:
        return {}
    earlier = list(
        Notification.objects.exclude(marac_basis="")
        .filter(
            incident_at__gte=min(a_year_before(n.incident_at) for n in notifications),
            incident_at__lt=max(n.incident_at for n in notifications),
        )
        .filter(Q(victim__person_id__in=sorted(people)) | Q(victim__date_of_birth__in=sorted(born)))
        .select_related("victim", "contact")
        .order_by("-incident_at", "-pk")
    )
    found: dict[int | None, Notification] = {}
    for notification in notifications:
        since = a_year_before(notification.incident_at)
        for other in earlier:
            if (
                other.pk != notification.pk
                and since <= other.incident_at < notification.incident_at
                and same_victim(other.victim, notification.victim)
            ):
                found[notification.pk] = other
                break
    return found


def repeats(user: User, notifications: Sequence[Notification]) -> dict[int, Repeat]:
    """For each notification that is a repeat, the MARAC referral it repeats, named only if the user may
    see its contact (one query more)."""
    found = referrals_repeated(notifications)
    seen = set(
        Contact.objects.visible_to(user)
        .filter(pk__in={n.contact_id for n in found.values()})
        .values_list("pk", flat=True)
    )
    return {
        pk: Repeat(other, other.contact.reference if other.contact_id in seen else "")
        for pk, other in found.items()
        if pk is not None
    }
