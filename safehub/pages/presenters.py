"""The contact page, assembled from the panels each app contributes.

A panel (`core.presenters.Panel`) is a presenter with a partial template: it names the related
rows it shows (`lookups`, fetched for the whole page at once), turns the contact into its
template's context (None when it has nothing to show) and offers the buttons the user may press now. A new capability adds its panel to `PANELS`; the contacts app's
queries, presenters and templates do not change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

from django.db.models import Prefetch, prefetch_related_objects

from safehub.accounts.models import User
from safehub.casework.presenters import ContactPanel as CaseworkPanel
from safehub.checks.presenters import AskedForChecks
from safehub.checks.presenters import ContactPanel as ChecksPanel
from safehub.consent.presenters import ConsentTimeline
from safehub.consent.presenters import ContactPanel as ConsentPanel
from safehub.contacts.amendment_presenters import AddendaPanel
from safehub.contacts.models import Contact
from safehub.contacts.permissions import can_allocate, can_restrict
from safehub.contacts.presenters import DetailsPanel, HistoryPanel, allocation, state_tag_class
from safehub.contacts.workflow import ContactState
from safehub.core.presenters import Action, Due, Panel, brag_tag_class, due
from safehub.decisions.presenters import ContactPanel as DecisionsPanel
from safehub.decisions.queries import latest_recommendation
from safehub.domestic_abuse.presenters import ContactPanel as DomesticAbusePanel
from safehub.handoffs.presenters import ContactPanel as HandoffsPanel
from safehub.information_requests.presenters import ContactPanel as InformationRequestsPanel
from safehub.letters.presenters import ContactPanel as LettersPanel
from safehub.letters.presenters import LettersTimeline
from safehub.meetings.presenters import ContactPanel as MeetingsPanel
from safehub.onward.presenters import ContactPanel as OnwardPanel
from safehub.screening.presenters import ContactPanel as ScreeningPanel
from safehub.sharing.presenters import ContactPanel as SharingPanel
from safehub.strategy.presenters import ContactPanel as StrategyPanel
from safehub.strategy.presenters import StrategyTimeline

Lookup: TypeAlias = "str | Prefetch[Any, Any, Any]"


# In the order the page shows them.
PANELS: tuple[Panel, ...] = (
    DetailsPanel(),
    DomesticAbusePanel(),
    ScreeningPanel(),
    ConsentPanel(),
    ChecksPanel(),
    DecisionsPanel(),
    StrategyPanel(),
    MeetingsPanel(),
    HandoffsPanel(),
    LettersPanel(),
    OnwardPanel(),
    CaseworkPanel(),
    SharingPanel(),
    InformationRequestsPanel(),
    AddendaPanel(),
    HistoryPanel(AskedForChecks(), StrategyTimeline(), ConsentTimeline(), LettersTimeline()),
)


@dataclass(frozen=True)
class ShownPanel:
    template_name: str
    context: Mapping[str, Any]


@dataclass(frozen=True)
class Tag:
    text: str
    tag_class: str


@dataclass(frozen=True)
class ContactPage:
    state_label: str
    state_tag: str
    due: Due | None
    rating: Tag | None
    can_restrict: bool
    restrict_link: str  # the words of the link to the restrict page
    restricted_to: list[str]  # on a restricted contact, the people who may see it
    allocation: str  # "Allocated to Sam Okafor since …", or "" once the front door is done
    allocate_link: str  # the words of the manager's link to the allocation page, or "" for others
    actions: list[Action]
    panels: list[ShownPanel]


# The page's own heading shows the latest rating and, on a restricted contact, who may see it.
HEADING_LOOKUPS: tuple[Lookup, ...] = ("recommendations",)
RESTRICTED_LOOKUPS: tuple[Lookup, ...] = ("restricted_access__user",)


def page_lookups(panels: Sequence[Panel], *, heading: Sequence[Lookup] = HEADING_LOOKUPS) -> list[Lookup]:
    """Every panel's lookups, each once. Those with their own queryset go first, so that a plain
    lookup through the same relation (another panel's, or the heading's) reuses the rows instead
    of clashing. Only one panel may give a relation its own queryset. The one-to-one rows
    (`related`) come last: fetched with the contact (page_related), they cost no query here, and
    a contact fetched without them still gets them."""
    lookups = [*heading, *(lookup for panel in panels for lookup in (*panel.lookups, *panel.related))]
    prefetches = [lookup for lookup in lookups if isinstance(lookup, Prefetch)]
    plain = list(dict.fromkeys(lookup for lookup in lookups if isinstance(lookup, str)))
    return [*prefetches, *plain]


def page_related(panels: Sequence[Panel]) -> list[str]:
    """Every panel's one-to-one rows, each once: fetched with the contact itself, a join each
    rather than a query each (a query costs the server more than the columns it adds)."""
    return list(dict.fromkeys(path for panel in panels for path in panel.related))


def _rating(contact: Contact) -> Tag | None:
    """The latest recommendation's BRAG rating; before one, the contact's initial rating."""
    latest = latest_recommendation(contact)
    if latest is not None:
        return Tag(latest.get_rating_display(), brag_tag_class(latest.rating))
    if contact.initial_rating:
        return Tag(f"{contact.get_initial_rating_display()} (initial)", brag_tag_class(contact.initial_rating))
    return None


def contact_page(user: User, contact: Contact, *, at: datetime, panels: Sequence[Panel] = PANELS) -> ContactPage:
    """Fetch what every panel shows in one pass (a fixed number of queries), then present each."""
    heading = HEADING_LOOKUPS + (RESTRICTED_LOOKUPS if contact.is_restricted else ())
    prefetch_related_objects([contact], *page_lookups(panels, heading=heading))
    shown = []
    for panel in panels:
        context = panel.present(contact, user=user, at=at)
        if context is not None:
            shown.append(ShownPanel(panel.template_name, context))
    return ContactPage(
        state_label=ContactState(contact.state).label,
        state_tag=state_tag_class(contact.state),
        due=due(contact.current_due_at, at=at) if contact.state != ContactState.CLOSED else None,
        rating=_rating(contact),
        can_restrict=can_restrict(user, contact),
        restrict_link=f"{'Change' if contact.is_restricted else 'Restrict'} who can see this contact",
        restricted_to=[str(r.user) for r in contact.restricted_access.all()] if contact.is_restricted else [],
        allocation=allocation(contact),
        allocate_link=("Change who it is allocated to" if contact.allocated_to_id else "Allocate to a worker")
        if can_allocate(user, contact)
        else "",
        actions=[action for panel in panels for action in panel.actions(contact, user=user)],
        panels=shown,
    )
