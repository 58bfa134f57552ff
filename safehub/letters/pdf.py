"""A letter as a PDF, drawn by WeasyPrint from a page template: the hub's address, the recipient's
address where a window envelope shows it, the date, the reference and the words as sent."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.timezone import localtime
from weasyprint import HTML

from safehub.core.presenters import shown_day
from safehub.letters.models import Message
from safehub.protocols.models import LocalProtocol


def letter_html(message: Message, *, protocol: LocalProtocol | None) -> str:
    return render_to_string(
        "letters/letter.html",
        {
            "message": message,
            "hub_name": protocol.name if protocol else "",
            "hub_address": protocol.hub_address.splitlines() if protocol else [],
            "hub_phone": protocol.hub_phone if protocol else "",
            "hub_email": protocol.hub_email if protocol else "",
            "address": [line for line in message.postal_address.splitlines() if line.strip()],
            "dated": shown_day(localtime(message.created_at)),
            "paragraphs": [part.strip() for part in message.body.split("\n\n") if part.strip()],
            # In the page's margin: the reference on every page (a page of a long letter found alone).
            "footer": f"Our reference {message.contact.reference}," if message.contact is not None else "",
        },
    )


def letter_pdf(message: Message, *, protocol: LocalProtocol | None) -> bytes:
    pdf: bytes = HTML(string=letter_html(message, protocol=protocol)).write_pdf()
    return pdf
