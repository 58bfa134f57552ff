"""Consultations as their pages show them."""

from __future__ import annotations

from safehub.consultations.models import Consultation
from safehub.core.presenters import shown_day


def consultee(consultation: Consultation) -> str:
    """'Jo Bloggs, Health visitor, NHS Trust': the consultee with their role and agency if given."""
    role = f", {consultation.consultee_role}" if consultation.consultee_role else ""
    return f"{consultation.consultee_name}{role}{after_name(consultation)}"


def after_name(consultation: Consultation) -> str:
    """', NHS Trust' after the consultee's name in the list, if their agency is known."""
    return f", {consultation.consultee_agency}" if consultation.consultee_agency else ""


def child(consultation: Consultation) -> str:
    """'Mia Okafor, born 2 March 2019': the child discussed, with their date of birth if given."""
    born = f", born {shown_day(consultation.child_date_of_birth)}" if consultation.child_date_of_birth else ""
    return f"{consultation.child_name}{born}"
