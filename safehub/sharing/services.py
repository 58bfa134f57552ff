"""Recording a disclosure: the one writer of the sharing ledger, called by every outbound route."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import models

from safehub.accounts.models import Agency, User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts.models import Contact
from safehub.core.errors import DomainError
from safehub.sharing.models import Disclosure, origin_label
from safehub.sharing.vocabulary import Purpose


def record_disclosure(
    contact: Contact | None,
    *,
    to: Agency | str,
    content: Mapping[str, Any],
    purpose: Purpose,
    lawful_basis: str,
    consent_position: str,
    origin: models.Model | None = None,
    by: User,
    at: datetime,
) -> Disclosure:
    """Record that `content` about `contact` went to `to` (a partner agency, or whoever else received
    it), why and on what basis, with its `DISCLOSURE_MADE` audit event. `origin` is the record the
    disclosure was made for (a MASH check request, say), named without the ledger importing its app.
    Call only from inside the calling service's transaction, so the disclosure and what it was made
    for are written together or not at all."""
    if not lawful_basis.strip():
        raise DomainError("Enter the lawful basis for sharing", field="lawful_basis")
    if isinstance(to, str) and not to.strip():
        raise DomainError("Say who the information is shared with")
    if contact is None and origin is None:
        raise ValueError("A disclosure outside any contact must name the record it was made for")
    if origin is not None and origin.pk is None:
        raise ValueError("A disclosure's originating record must be saved first")
    agency = to if isinstance(to, Agency) else None
    disclosure = Disclosure.objects.create(
        contact=contact,
        agency=agency,
        recipient="" if agency is not None else str(to).strip(),
        disclosed_by=by,
        disclosed_at=at,
        purpose=purpose,
        lawful_basis=lawful_basis.strip(),
        consent_position=consent_position,
        content=dict(content),
        origin=origin_label(origin) if origin is not None else "",
        origin_id=origin.pk if origin is not None else None,
    )
    record(
        Verb.DISCLOSURE_MADE,
        by=by,
        contact=contact,
        at=at,
        data={
            "disclosure": disclosure.pk,
            "agency": agency.pk if agency is not None else None,
            "purpose": purpose.value,
            "origin": disclosure.origin,
            "origin_id": disclosure.origin_id,
        },
    )
    return disclosure
