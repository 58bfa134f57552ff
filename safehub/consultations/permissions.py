"""Who may read and record consultations (a professional asking the hub for advice, 002 §13)."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_make_threshold_decisions, can_work_on_cases
from safehub.consultations.models import Consultation


def can_see_consultations(user: User) -> bool:
    return can_work_on_cases(user)


def can_record_consultation(user: User) -> bool:
    """Qualified social workers give consultations (002 §13)."""
    return can_make_threshold_decisions(user)


def can_send_summary(user: User, consultation: Consultation | None = None) -> bool:
    """The summary goes once (002: within 48 hours); without a consultation, whether the role ever sends one."""
    return can_make_threshold_decisions(user) and (consultation is None or consultation.summary_sent_at is None)
