from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from safehub.checks.presenters import short_time
from safehub.contacts.presenters import concern_labels
from safehub.contacts.workflow import STATES, ContactState
from safehub.core.presenters import Due, brag_tag_class, due, format_row_html, record_links
from safehub.decisions.queries import ChildOutcome
from safehub.protocols.models import Brag
from safehub.queues.filters import QueueFilters
from safehub.queues.queries import Queue

# A queue's row, drawn here rather than in queue.html: a 50-row table of eleven template variables
# a row was a third of a queue page's server time, and one formatted string a row is a small part
# of that (docs/adr/0011). Every value put in it is escaped (core.presenters.format_row_html).
ROW_HTML = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell app-nowrap"><a class="govuk-link" href="{href}">{reference}</a></td>'
    '<td class="govuk-table__cell app-nowrap">{received}</td>'
    '<td class="govuk-table__cell">{children}</td>'
    '<td class="govuk-table__cell">{concerns}</td>'
    '<td class="govuk-table__cell">{rating}</td>'
    '<td class="govuk-table__cell"><strong class="{state_tag}">{state}</strong>{asked}</td>'
    '<td class="govuk-table__cell">{worker}</td>'
    '<td class="govuk-table__cell">{due}</td>'
    "</tr>"
)
ASKED_HTML = mark_safe('<br><strong class="govuk-tag govuk-tag--yellow">MASH checks asked for</strong>')
TAG_HTML = '<strong class="{tag_class}">{text}</strong>'


def _tag(text: str, tag_class: str, *, otherwise: str) -> SafeString | str:
    return format_row_html(TAG_HTML, tag_class=tag_class, text=text) if text else otherwise


@dataclass(frozen=True)
class QueueRow:
    reference: str
    href: str
    received: str
    children: str
    concerns: str
    rating: str
    rating_tag: str
    state: str
    state_tag: str
    checks_asked: bool
    worker: str
    due: Due | None

    def html(self) -> SafeString:
        return format_row_html(
            ROW_HTML,
            href=self.href,
            reference=self.reference,
            received=self.received,
            children=self.children,
            concerns=self.concerns,
            rating=_tag(self.rating, self.rating_tag, otherwise="Not rated"),
            state_tag=self.state_tag,
            state=self.state,
            asked=ASKED_HTML if self.checks_asked else "",
            worker=self.worker,
            due=_tag(self.due.text, self.due.tag_class, otherwise="") if self.due else "No due time",
        )


def _rating(contact: Mapping[str, Any]) -> tuple[str, str]:
    """The rating a row shows, and where it comes from: a recommendation's; before that, under MASH
    checks, the risk level the checks follow; before that, the initial rating given at intake or
    screening."""
    if contact["latest_rating"]:
        return contact["latest_rating"], ""
    if contact["checks_rating"]:
        return contact["checks_rating"], " (MASH checks)"
    if contact["initial_rating"]:
        return contact["initial_rating"], " (initial)"
    return "", ""


def rows(
    contacts: Iterable[Mapping[str, Any]],
    children: Mapping[int, list[str]],
    *,
    at: datetime,
    outcomes: Mapping[int, Sequence[ChildOutcome]] | None = None,
) -> list[QueueRow]:
    """A queue's rows from `queues.queries.queue_contacts` and the children each contact names;
    where a child has an outcome (recommended, or approved), each child with theirs."""
    outcomes = outcomes or {}
    link = record_links("contacts:contact")
    result = []
    for contact in contacts:
        state = STATES[ContactState(contact["state"])]
        rating, suffix = _rating(contact)
        result.append(
            QueueRow(
                reference=contact["reference"],
                href=link(contact["pk"]),
                received=short_time(contact["received_at"]),
                children="; ".join(c.text for c in outcomes.get(contact["pk"], ()))
                or ", ".join(children.get(contact["pk"], ()))
                or "Not recorded",
                concerns=", ".join(concern_labels(contact["concern_categories"])),
                rating=f"{Brag(rating).label}{suffix}" if rating else "",
                rating_tag=brag_tag_class(rating) if rating else "",
                state=state.label,
                state_tag=state.tag_class,
                checks_asked=bool(contact["asked_for_checks"]),
                worker=" ".join(
                    filter(None, (contact["allocated_to__first_name"], contact["allocated_to__last_name"]))
                ),
                due=due(contact["current_due_at"], at=at),
            )
        )
    return result


@dataclass(frozen=True)
class QueueLink:
    label: str  # "Screening (3)"
    href: str  # "" for the queue being shown


def queue_links(queues: Iterable[Queue], *, current: Queue, counts: Mapping[str, int]) -> list[QueueLink]:
    """The queues to move between, each with how many contacts it holds."""
    links = []
    for queue in queues:
        count = f" ({counts[queue.slug]})" if queue.slug in counts else ""
        href = "" if queue.slug == current.slug else reverse("queues:queue", args=[queue.slug])
        links.append(QueueLink(f"{queue.title}{count}", href))
    return links


def caption(count: int, filters: QueueFilters) -> str:
    """'12 contacts, soonest due first'; '3 contacts matching, red first' when filtered."""
    matching = " matching" if filters.chosen else ""
    return f"{count} contact{pluralize(count)}{matching}, {filters.order_label.lower()}"
