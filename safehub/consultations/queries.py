"""Reading consultations for a user, through the one audited door."""

from __future__ import annotations

from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.consultations.models import Consultation
from safehub.core.queries import by_pk


def get_consultation_for(user: User, pk: int, *, purpose: str) -> Consultation:
    """The consultation, if `user` may see it (their team's), its read recorded; otherwise 404, refusal recorded."""
    consultation = by_pk(Consultation.objects.visible_to(user).select_related("recorded_by"), pk)
    read = Read(Verb.CONSULTATION_VIEWED, "consultation", pk, purpose)
    if consultation is None:
        note_refusal(user, read)
        raise Http404("No consultation found")
    note_read(user, read)
    return consultation
