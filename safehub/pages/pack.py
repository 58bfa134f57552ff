"""A contact and its MASH checks as one PDF (the 'pack'): the contact page's panels, answers
included, drawn for paper by WeasyPrint (already used for the GP practice's form). The pack leaves
Safehub, so it is an exit (`sharing.exits`): an answer whose conditions bar it is left out unless its
agency agreed, and every download is a row of the sharing ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import unescape

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.timezone import localtime
from weasyprint import HTML

from safehub.accounts.models import User
from safehub.checks.queries import answer_items
from safehub.consent.models import ConsentPurpose
from safehub.consent.queries import sharing_position
from safehub.contacts.models import Contact
from safehub.core.presenters import shown_date
from safehub.pages.presenters import contact_page
from safehub.sharing.exits import Exit, Release, release
from safehub.sharing.services import check_nothing_withheld, record_disclosure
from safehub.sharing.vocabulary import SAFEGUARDING_BASES, Category, Purpose


@dataclass(frozen=True)
class Pack:
    html: str
    released: Release


def contact_pack_html(user: User, contact: Contact, *, at: datetime) -> Pack:
    """The pack's HTML: what the contact page shows `user` (the same panels, fetched the same way),
    without the page's navigation and buttons, with who printed it and when, and without what the
    gate withholds from the pack."""
    page = contact_page(user, contact, at=at)
    released = release(answer_items(contact), route=Exit.CONTACT_PACK, to=None)
    withheld = {int(item.key.rpartition(":")[2]) for item in released.withheld}
    printed = f"Downloaded by {user.get_full_name() or user.username} on {shown_date(at)}"
    html = render_to_string(
        "pages/contact_pack.html",
        {"page": page, "contact": contact, "printed": printed, "pack_withheld": withheld},
    )
    check_nothing_withheld(unescape(html), released)
    return Pack(html, released)


# What a pack holds, as the ledger names it: everything the contact page shows.
PACK_CATEGORIES = (
    Category.IDENTITY,
    Category.CONCERN,
    Category.RISK,
    Category.CONSENT,
    Category.AGENCY_INFORMATION,
    Category.DECISION,
)


def contact_pack_pdf(user: User, contact: Contact, *, at: datetime) -> bytes:
    """The pack as a PDF, its download recorded in the sharing ledger (with what was left out)."""
    pack = contact_pack_html(user, contact, at=at)
    pdf: bytes = HTML(string=pack.html).write_pdf()
    with transaction.atomic():
        record_disclosure(
            contact,
            to=f"{user.get_full_name() or user.username} (downloaded a copy)"[:200],
            released=pack.released,
            content={
                "reference": contact.reference,
                "answers": [item.key for item in pack.released.shared],
            },
            purpose=Purpose.CASE_RECORD,
            bases=SAFEGUARDING_BASES,
            categories=PACK_CATEGORIES,
            consent_position=sharing_position(contact, ConsentPurpose.MASH_CHECKS, on=localtime(at).date()),
            by=user,
            at=at,
        )
    return pdf
