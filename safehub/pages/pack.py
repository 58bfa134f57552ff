"""A contact and its MASH checks as one PDF (the 'pack'): the contact page's panels, answers
included, drawn for paper by WeasyPrint (already used for the GP practice's form)."""

from __future__ import annotations

from datetime import datetime

from django.template.loader import render_to_string
from weasyprint import HTML

from safehub.accounts.models import User
from safehub.contacts.models import Contact
from safehub.core.presenters import shown_date
from safehub.pages.presenters import contact_page


def contact_pack_html(user: User, contact: Contact, *, at: datetime) -> str:
    """The pack's HTML: what the contact page shows `user` (the same panels, fetched the same
    way), without the page's navigation and buttons, with who printed it and when."""
    page = contact_page(user, contact, at=at)
    printed = f"Downloaded by {user.get_full_name() or user.username} on {shown_date(at)}"
    return render_to_string("pages/contact_pack.html", {"page": page, "contact": contact, "printed": printed})


def contact_pack_pdf(user: User, contact: Contact, *, at: datetime) -> bytes:
    pdf: bytes = HTML(string=contact_pack_html(user, contact, at=at)).write_pdf()
    return pdf
