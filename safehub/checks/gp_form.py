"""The "request for information" form for a GP practice (003 §2.6, App. 5), as a PDF.

The form shows what the request's row of the sharing ledger holds and nothing else: what the hub
recorded as sent is what the practice reads, however the contact has changed since and however the
form reaches it (downloaded by the hub's health partner, or emailed to the practice's agreed secure
address, checks.gp_emails). GP practices usually answer by email or phone; the hub's health
professional records the answer in Safehub on the practice's behalf.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML

from safehub.checks.models import AgencyRequest
from safehub.checks.presenters import sent_people

# App. 5 §7 asks about the consent of three groups of people, in this order.
CONSENT_QUESTIONS = (
    ("child", "Has the consent of the child or children been obtained for the disclosure of the information?"),
    ("parent", "Has the consent of the parents or guardians been obtained for the disclosure of the information?"),
    (
        "other",
        "Has the consent of the other family members listed been obtained for the disclosure of the information?",
    ),
)


def _consent_groups(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each of the form's consent questions with the people it is about (a question about nobody on
    the request is left out), and whether they all consented."""
    groups = []
    for group, question in CONSENT_QUESTIONS:
        found = [person for person in people if person.get("group") == group]
        if found:
            groups.append({"question": question, "people": found, "all": all(p.get("obtained") for p in found)})
    return groups


def gp_form_context(request: AgencyRequest) -> dict[str, Any]:
    """What the form shows, read from the request's ledger row alone (a request sent before the form
    carried App. 5's further items shows what it did carry)."""
    disclosure = request.disclosure
    sent = disclosure.content
    form = sent.get("gp_form") or {}
    respond_by = sent.get("respond_by")
    return {
        "request_": request,
        "practice": request.agency.name,
        "sent_at": disclosure.disclosed_at,
        "respond_by": datetime.fromisoformat(respond_by) if respond_by else request.due_at,
        "urgent": bool(form.get("urgent")),
        "requester": form.get("requester"),
        "people": sent_people(sent.get("subjects", []), mothers_born=False),
        "reason": sent.get("reason", ""),
        "risk": sent.get("risk", ""),
        "previous_enquiries": form.get("previous_enquiries"),
        "checklist": form.get("checklist", []),
        "questions": sent.get("questions", ""),
        "consent_groups": _consent_groups(form.get("consent_by_person", [])),
        "consent_position": disclosure.consent_position,
        "lawful_basis": disclosure.basis_statement,
        "purpose": disclosure.get_purpose_display(),
    }


def gp_form_html(request: AgencyRequest) -> str:
    return render_to_string("checks/gp_form.html", gp_form_context(request))


def gp_form_pdf(request: AgencyRequest) -> bytes:
    pdf: bytes = HTML(string=gp_form_html(request)).write_pdf()
    return pdf


def gp_form_filename(request: AgencyRequest) -> str:
    return f"request-{request.pk}-for-information.pdf"
