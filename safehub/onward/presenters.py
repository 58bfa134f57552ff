"""The contact page's Onward referrals panel: each service the outcome sends children to, and the
referral pack sent to its team, or a button to send it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from safehub.accounts.models import User
from safehub.contacts.models import Contact
from safehub.core.presenters import Panel, shown_date
from safehub.onward.models import ReferralPack
from safehub.onward.permissions import can_send_packs
from safehub.onward.services import Route, routes
from safehub.onward.workflow import PackState


@dataclass(frozen=True)
class RouteRow:
    service: str
    children: str
    team: str  # the team the pack went to, or the one the outcome page named
    status: str
    tag: str
    href: str  # the pack's page, once sent
    send_href: str  # the page to send it, while it may be


def pack_status(pack: ReferralPack) -> str:
    who = pack.sent_by.get_full_name() or pack.sent_by.username
    sent = f"Sent by {who}, {shown_date(pack.sent_at)}"
    state = PackState(pack.state)
    if state == PackState.ACCEPTED:
        taker = (pack.accepted_by.get_full_name() or pack.accepted_by.username) if pack.accepted_by else "the team"
        return f"{sent}. Accepted by {taker}, {shown_date(pack.accepted_at)}"
    if state == PackState.RETURNED:
        return f"{sent}. Returned to the MASH: {pack.returned_because}"
    if state == PackState.EMAILED:
        return f"{sent}. Emailed to {pack.email}, {shown_date(pack.emailed_at)}"
    if pack.by_email:
        return f"{sent}. Waiting to be emailed to {pack.email}"
    return f"{sent}. In the team's worktray: not accepted yet"


def route_row(contact: Contact, route: Route, *, user: User) -> RouteRow:
    if route.packs:
        pack = route.packs[0]
        return RouteRow(
            service=route.label,
            children=route.names,
            team=pack.receiving_team.name,
            status=pack_status(pack),
            tag=pack.state_tag_class,
            href=pack.get_absolute_url(),
            send_href="",
        )
    returned = route.returned[-1] if route.returned else None
    return RouteRow(
        service=route.label,
        children=route.names,
        team=returned.receiving_team.name if returned else route.team_entered,
        status=pack_status(returned) if returned else "Referral pack not sent yet",
        tag="govuk-tag govuk-tag--red",
        href="",
        send_href=reverse("onward:send", args=[contact.pk, route.outcome.value]) if can_send_packs(user) else "",
    )


class ContactPanel(Panel):
    template_name = "onward/_contact_panel.html"
    lookups = (
        Prefetch(
            "referral_packs",
            queryset=ReferralPack.objects.select_related("receiving_team", "sent_by", "accepted_by").order_by(
                "sent_at", "pk"
            ),
        ),
    )

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        found = routes(contact)
        if not found:
            return None
        return {"rows": [route_row(contact, route, user=user) for route in found]}
