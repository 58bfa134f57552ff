"""The contact page's "Information shared" panel: the contact's rows of the sharing ledger, in and out,
and the decisions not to share, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from safehub.accounts.models import User
from safehub.contacts.models import Contact
from safehub.core.presenters import Panel, lower_first, shown_date
from safehub.sharing.models import Disclosure
from safehub.sharing.permissions import can_decline_to_share, can_see_contacts_ledger
from safehub.sharing.vocabulary import Direction, citations


@dataclass(frozen=True)
class LedgerLine:
    when: str
    what: str  # "Sent to Example Police: a request for MASH checks"
    tag: str
    tag_class: str
    basis: str
    detail: str  # conditions, withheld items, or why it was not shared


def _basis(row: Disclosure) -> str:
    """The bases cited, not spelt out on every line (the ledger has them in full); older rows' words."""
    return f"Basis: {citations(row.bases) or row.lawful_basis}"


def ledger_line(row: Disclosure) -> LedgerLine:
    if not row.shared:
        return LedgerLine(
            shown_date(row.disclosed_at),
            f"Not shared with {row.counterparty}, asked by {row.asked_by}: {row.content.get('asked', '')}",
            "Not shared",
            "govuk-tag--red",
            "",
            f"Why: {row.declined_reason} (decided by {row.disclosed_by})",
        )
    details = []
    corrects = row.content.get("corrects") if row.direction == Direction.IN else None
    if corrects:
        details.append(f"A correction: it replaces their earlier answer. Why: {row.content.get('reason', '')}")
    if row.condition_labels:
        details.append(f"Conditions: {'; '.join(row.condition_labels)}")
    if row.withheld:
        details.append("Withheld: " + "; ".join(f"{kept['agency']}'s information" for kept in row.withheld))
    if row.direction == Direction.IN:
        return LedgerLine(
            shown_date(row.disclosed_at),
            f"{'Correction' if corrects else 'Received'} from {row.counterparty}"
            f" ({row.get_purpose_display().split(':')[0]})",
            "Received",
            "govuk-tag--blue",
            _basis(row),
            ". ".join(details),
        )
    return LedgerLine(
        shown_date(row.disclosed_at),
        f"Sent to {row.counterparty}: {lower_first(row.get_route_display())}, by {row.disclosed_by}",
        "Sent",
        "govuk-tag--green",
        _basis(row),
        ". ".join(details),
    )


class ContactPanel(Panel):
    template_name = "sharing/_contact_panel.html"
    lookups = (
        Prefetch(
            "disclosures",
            queryset=Disclosure.objects.select_related("agency", "disclosed_by").order_by("-disclosed_at", "-pk"),
        ),
    )

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        if not can_see_contacts_ledger(user):
            return None
        rows = list(contact.disclosures.all())
        return {
            "lines": [ledger_line(row) for row in rows],
            "decline_href": reverse("sharing:decline", args=[contact.pk]) if can_decline_to_share(user) else "",
        }
