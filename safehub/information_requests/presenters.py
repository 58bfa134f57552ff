"""Information requests as the lists and the request page show them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.urls import reverse

from safehub.accounts.models import User
from safehub.contacts.models import Contact
from safehub.core.presenters import DAY, Due, Panel, due, shown_date
from safehub.information_requests.models import InformationRequest
from safehub.information_requests.permissions import can_see_requests
from safehub.information_requests.services import OPEN
from safehub.information_requests.workflow import STATES, RequestState


@dataclass(frozen=True)
class RequestRow:
    reference: str
    href: str
    received: str
    level: int
    requester: str
    child: str
    state: str
    tag_class: str
    due: Due | None


def request_rows(found: Iterable[InformationRequest], *, at: datetime) -> list[RequestRow]:
    return [
        RequestRow(
            reference=each.reference,
            href=reverse("information_requests:request", args=[each.pk]),
            received=shown_date(each.received_at),
            level=each.level,
            requester=f"{each.requester_name}, {each.requester_organisation}",
            child=each.child_name,
            state=STATES[RequestState(each.state)].label,
            tag_class=STATES[RequestState(each.state)].tag.css_class,
            due=due(each.due_at, at=at) if RequestState(each.state) in OPEN else None,
        )
        for each in found
    ]


def about_line(found: InformationRequest) -> str:
    """'Mia Harlow, born 17 May 2016 (person P0000042)'."""
    line = found.child_name
    if found.child_date_of_birth is not None:
        line += f", born {shown_date(found.child_date_of_birth, DAY)}"
    if found.person is not None:
        line += f" (person {found.person.local_id})"
    return line


def _day(iso: str) -> str:
    return shown_date(date.fromisoformat(iso), DAY)


def answered_line(found: InformationRequest) -> str:
    """'Written by Jo Bloggs, approved by Sam Okafor, sent 6 December 2026, 21:00'."""
    if found.answered_by is None:
        return ""
    parts = [f"Written by {found.answered_by}"]
    if found.approved_by is not None:
        parts.append(f"approved by {found.approved_by}")
    if found.answered_at is not None:
        parts.append(f"{'told' if found.level == 1 else 'sent'} {shown_date(found.answered_at)}")
    return ", ".join(parts)


def answer_lines(found: InformationRequest) -> list[str]:
    """The answer as the requester is (or would be) told it, a line at a time."""
    answer = found.answer or {}
    if not answer:
        return []
    if found.level == 1:
        if not answer.get("known"):
            return ["Not known to children's social care."]
        lines = ["Known to children's social care."]
        workers = answer.get("workers") or []
        if not workers:
            lines.append("Nothing open now: the case is closed, so there is no allocated worker.")
        for each in workers:
            if each["worker"]:
                email = each["email"] or "no email held"
                lines.append(f"Open: {each['service']}. Allocated worker: {each['worker']}, {email}")
            else:
                team = f" ({each['team']})" if each["team"] else ""
                lines.append(f"Open: {each['service']}, with no worker named{team}: give the team's details")
        return lines
    if found.level == 2:
        if answer.get("known") is False:
            return ["Not known to children's social care."]
        lines = [
            f"{each['service']}: from {_day(each['from'])}"
            + (f" to {_day(each['to'])}" if each["to"] else " (still open)")
            for each in answer.get("involvements", [])
        ]
        had = answer.get("had") or []
        if had:
            lines.append("Had: " + "; ".join(had))
        if answer.get("reasons"):
            lines.append(f"Reasons: {answer['reasons']}")
        return lines
    return [f"Disclosed: {answer.get('disclosed', '')}"]


class ContactPanel(Panel):
    """The contact page's list of other professionals' requests about the people on it."""

    template_name = "information_requests/_contact_panel.html"

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        if not can_see_requests(user):
            return None
        people = [subject.person_id for subject in contact.subjects.all() if subject.person_id is not None]
        if not people:
            return None
        found = InformationRequest.objects.filter(person_id__in=people).order_by("-received_at", "-pk")
        rows = request_rows(found, at=at)
        return {"rows": rows} if rows else None
