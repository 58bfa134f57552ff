"""The consent the contact itself states (002 §18–19): what the referrer said, or the family's answer
when an amendment recorded it after the contact (older contacts only: since ADR 0034 each person's
answer is recorded on its own, and this is what stands for anyone who has not answered)."""

from __future__ import annotations

from collections.abc import Iterable

from safehub.contacts.models import Amendment, AmendmentKind, Contact


def current_consent(contact: Contact) -> str:
    """The consent position now: the family's answer when last asked after the contact, or else
    what the referrer said (a ConsentPosition value; the answers share its 'given' and 'refused')."""
    return consent_among(contact, contact.amendments.filter(kind=AmendmentKind.CONSENT_RECORDED))


def consent_among(contact: Contact, amendments: Iterable[Amendment]) -> str:
    """`current_consent` from the contact's amendments already read (a page's prefetch)."""
    answers = [a for a in amendments if a.kind == AmendmentKind.CONSENT_RECORDED]
    latest = max(answers, key=lambda a: (a.at, a.pk), default=None)
    return latest.consent_answer if latest is not None else contact.consent
