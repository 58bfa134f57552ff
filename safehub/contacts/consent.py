"""The consent position of a contact now (002 §18–19): the family's answer when last asked after
the contact (contacts.amendments.record_consent), or else what the referrer said."""

from __future__ import annotations

from collections.abc import Iterable

from safehub.contacts.models import Amendment, AmendmentKind, Contact


def latest_consent(contact: Contact) -> Amendment | None:
    return contact.amendments.filter(kind=AmendmentKind.CONSENT_RECORDED).order_by("-at", "-pk").first()


def current_consent(contact: Contact) -> str:
    """The consent position now: the family's answer when last asked after the contact, or else
    what the referrer said (a ConsentPosition value; the answers share its 'given' and 'refused')."""
    return consent_among(contact, contact.amendments.filter(kind=AmendmentKind.CONSENT_RECORDED))


def consent_among(contact: Contact, amendments: Iterable[Amendment]) -> str:
    """`current_consent` from the contact's amendments already read (a page's prefetch)."""
    answers = [a for a in amendments if a.kind == AmendmentKind.CONSENT_RECORDED]
    latest = max(answers, key=lambda a: (a.at, a.pk), default=None)
    return latest.consent_answer if latest is not None else contact.consent


def consent_label(contact: Contact) -> str:
    """The consent position now, in words: the referrer's, or the family's answer given later."""
    latest = latest_consent(contact)
    if latest is None:
        return contact.get_consent_display()
    given_on = latest.consent_on
    when = f" ({given_on.day} {given_on:%B %Y})" if given_on is not None else ""
    return f"{latest.get_consent_answer_display()} after the contact{when}"
