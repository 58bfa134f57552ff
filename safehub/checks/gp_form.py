"""The "request for information" form for a GP practice (003 §2.6, App. 5), as a PDF.

GP practices usually answer by email or phone; the hub's health professional sends this form and
records the answer in Safehub on the practice's behalf.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from weasyprint import HTML

from safehub.checks.models import AgencyRequest
from safehub.checks.presenters import sent_people


def gp_form_html(request: AgencyRequest) -> str:
    return render_to_string(
        "checks/gp_form.html",
        {
            "request_": request,
            "people": sent_people(request.subjects, mothers_born=False),
            "checks": request.checks,
            "disclosure": request.disclosure,
        },
    )


def gp_form_pdf(request: AgencyRequest) -> bytes:
    pdf: bytes = HTML(string=gp_form_html(request)).write_pdf()
    return pdf
