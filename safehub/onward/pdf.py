"""A referral pack as a PDF, for a team that works outside Safehub: the same words its page shows
(`onward/_pack_body.html`), drawn by WeasyPrint with the reference and page numbers on every page."""

from __future__ import annotations

from django.template.loader import render_to_string
from weasyprint import HTML

from safehub.onward.models import ReferralPack


def pack_html(pack: ReferralPack) -> str:
    return render_to_string(
        "onward/pack_pdf.html",
        {"pack": pack, "content": pack.content, "footer": f"MASH referral {pack.contact.reference},"},
    )


def pack_pdf(pack: ReferralPack) -> bytes:
    pdf: bytes = HTML(string=pack_html(pack)).write_pdf()
    return pdf
