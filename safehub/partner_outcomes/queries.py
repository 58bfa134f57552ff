"""Reading the outcomes partner agencies may be shown: a contact's decided outcome, and the contacts an
agency referred, through one audited door (`get_referral_for`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from safehub.accounts.models import Agency, User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.contacts.models import Contact
from safehub.contacts.workflow import ContactState
from safehub.core.queries import by_pk
from safehub.decisions.models import Decision, Verdict
from safehub.decisions.queries import the_decision
from safehub.partner_outcomes.models import REFERRAL_SOURCES
from safehub.partner_outcomes.permissions import referring_agencies

# A contact whose outcome a manager has approved: waiting to be actioned, or actioned and closed.
DECIDED = (ContactState.APPROVED, ContactState.CLOSED)


def decided(contact: Contact) -> Decision | None:
    """The approved decision whose outcome a partner may be shown, once a manager has approved it; none
    for a restricted contact (a staff member's child, say), whose outcome the hub tells by other means."""
    if contact.state not in DECIDED or contact.is_restricted:
        return None
    return the_decision(contact)


def outcome_content(contact: Contact, decision: Decision) -> dict[str, Any]:
    """What a partner is shown, as the sharing ledger keeps it: each child's approved outcome and when it
    was decided. Nothing else of the hub's: no rationale, no other agency's answer."""
    children = decision.children.select_related("subject").order_by("subject__order", "pk")
    return {
        "reference": contact.reference,
        "decided_at": decision.decided_at.isoformat(),
        "children": [
            {"name": child.subject.display_name, "outcome": child.get_outcome_display()} for child in children
        ],
    }


def _referred_by(agency: Agency) -> Q:
    return Q(source__in=sorted(REFERRAL_SOURCES.get(agency.kind, ())), referrer_agency__iexact=agency.name.strip())


def referred_by(agencies: Sequence[Agency]) -> QuerySet[Contact]:
    """The contacts these agencies referred (their referral source and their name as the referrer's
    agency) whose outcome a manager has approved, restricted contacts left out."""
    if not agencies:
        return Contact.objects.none()
    approved = Decision.objects.filter(contact=OuterRef("pk"), verdict=Verdict.APPROVED)
    found = Contact.objects.filter(reduce(or_, (_referred_by(agency) for agency in agencies)))
    return found.filter(Exists(approved), state__in=DECIDED, is_restricted=False)


def referrer_of(contact: Contact, agencies: Sequence[Agency]) -> Agency | None:
    """Which of `agencies` referred the contact."""
    for agency in agencies:
        if contact.source in REFERRAL_SOURCES.get(agency.kind, ()) and (
            contact.referrer_agency.strip().lower() == agency.name.strip().lower()
        ):
            return agency
    return None


@dataclass(frozen=True)
class Referral:
    contact: Contact
    agency: Agency  # the user's agency that referred it


def get_referral_for(user: User, pk: int, *, purpose: str) -> Referral:
    """A contact the user's agency referred, once decided, its read recorded as a read of the contact;
    anything else (another agency's referral, one not decided yet, no such contact) is 404, and the
    refusal recorded."""
    agencies = referring_agencies(user)
    contact = by_pk(referred_by(agencies), pk)
    agency = referrer_of(contact, agencies) if contact is not None else None
    if contact is None or agency is None:
        exists = Contact.objects.filter(pk=pk).exists()
        note_refusal(
            user, Read(Verb.CONTACT_VIEWED, "referral-outcome", pk, purpose, contact_id=pk if exists else None)
        )
        raise Http404("No such referral")
    note_read(user, Read(Verb.CONTACT_VIEWED, "referral-outcome", pk, purpose, contact_id=contact.pk))
    return Referral(contact, agency)


# What the list of an agency's referrals shows: no child's details, which its page shows (and records).
REFERRAL_LIST_FIELDS = ("pk", "reference", "received_at", "referrer_name")


def referral_list(user: User) -> QuerySet[Contact, dict[str, Any]]:
    """The decided referrals of the user's agencies, the latest decided first, as rows of what the list
    shows: the hub's reference, when it came, who referred it, and when it was decided."""
    newest = Decision.objects.filter(contact=OuterRef("pk"), verdict=Verdict.APPROVED).order_by("-decided_at", "-pk")
    rows: QuerySet[Contact, dict[str, Any]] = (
        referred_by(referring_agencies(user))
        .annotate(decided_at=Subquery(newest.values("decided_at")[:1]))
        .order_by("-decided_at", "-pk")
        .values(*REFERRAL_LIST_FIELDS, "decided_at")
    )
    return rows
