"""Showing a partner agency a contact's decided outcome, which is a disclosure: the first time one of
the agency's professionals is shown it, the sharing ledger records what they were shown (through the
gate every route out passes, `sharing.exits.release`: the outcome carries the hub's own words only),
with its audit event; every later showing to that agency reads back what the ledger recorded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.timezone import localtime

from safehub.accounts.models import Agency, User
from safehub.checks.models import AgencyRequest
from safehub.consent.models import ConsentPurpose
from safehub.consent.queries import sharing_position
from safehub.contacts.models import Contact
from safehub.partner_outcomes.models import OutcomeShown, ShownBecause
from safehub.partner_outcomes.permissions import can_see_request_outcome, referring_agencies
from safehub.partner_outcomes.queries import decided, outcome_content, referred_by
from safehub.sharing.exits import Exit, release
from safehub.sharing.models import Disclosure
from safehub.sharing.services import record_disclosure
from safehub.sharing.vocabulary import SAFEGUARDING_BASES, Category, Purpose

# Who the children are, and the hub's decision about each (its outcome, not its reasons).
CATEGORIES = (Category.IDENTITY, Category.DECISION)


@transaction.atomic(durable=True)
def show_request_outcome(request: AgencyRequest, *, by: User, at: datetime) -> dict[str, Any] | None:
    """The outcome of the contact a partner's request was about, shown on the request to whoever may
    answer it once their agency has answered (003 App. 4 §8); None until a manager approves it."""
    if not can_see_request_outcome(by, request):
        raise PermissionDenied
    contact = Contact.objects.get(pk=request.checks.contact_id)  # as it is now, not as the caller last read it
    return _show(contact, agency=request.agency, because=ShownBecause.ANSWERED_CHECKS, by=by, at=at)


@transaction.atomic(durable=True)
def show_referral_outcome(contact: Contact, agency: Agency, *, by: User, at: datetime) -> dict[str, Any] | None:
    """The outcome of a contact `agency` referred, shown to one of its professionals (000: "outcomes of
    referrals sent to referring partners")."""
    if agency not in referring_agencies(by) or not referred_by([agency]).filter(pk=contact.pk).exists():
        raise PermissionDenied
    return _show(contact, agency=agency, because=ShownBecause.REFERRED, by=by, at=at)


def _show(contact: Contact, *, agency: Agency, because: ShownBecause, by: User, at: datetime) -> dict[str, Any] | None:
    """What the agency is shown: recorded in the ledger the first time, read back from it after."""
    decision = decided(contact)
    if decision is None:
        return None
    shown = OutcomeShown.objects.filter(decision=decision, agency=agency).first()
    if shown is None:
        try:
            with transaction.atomic():
                shown = OutcomeShown.objects.create(
                    decision=decision,
                    contact=contact,
                    agency=agency,
                    because=because,
                    first_shown_to=by,
                    first_shown_at=at,
                )
                record_disclosure(
                    contact,
                    to=agency,
                    released=release((), route=Exit.OUTCOME_TO_PARTNER, to=agency.pk),
                    content=outcome_content(contact, decision),
                    purpose=Purpose.OUTCOME_TO_PARTNER,
                    bases=SAFEGUARDING_BASES,
                    categories=CATEGORIES,
                    consent_position=sharing_position(contact, ConsentPurpose.MASH_CHECKS, on=localtime(at).date()),
                    origin=shown,
                    by=by,
                    at=at,
                )
        except IntegrityError:  # a colleague at the same agency opened it at the same moment
            shown = OutcomeShown.objects.get(decision=decision, agency=agency)
    content: dict[str, Any] = Disclosure.objects.made_for(shown).get().content
    return content
