"""The mix of BRAG ratings (002 §7: Blue, Red, Amber, Green). Of the contacts received in the period that
pass the filters, how many carry each rating now, as the work queues show it (scope.contact_rating: the
newest recommendation's rating, else the MASH checks' level of risk, else the initial rating); and of
those with none, how many are still open (not rated yet) and how many were closed without one (closed at
screening, say, with no initial rating). The rating filter narrows by the same rating ("Not rated": both)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Case, Count, Value, When

from safehub.contacts.workflow import ContactState
from safehub.decisions.models import MOST_SERIOUS_FIRST
from safehub.reports.measures import Measure
from safehub.reports.measures.scope import Scope, contact_rating, received
from safehub.reports.measures.tiles import NO_CONTACTS, Figure, Row, Table, Tile, rate_bars, rate_of, share

NOT_RATED_LABEL = "Not rated yet"  # open contacts only
CLOSED_UNRATED_LABEL = "Closed without a rating"


def ratings(scope: Scope) -> dict[str, int]:
    """Contacts received by rating label (most serious first, then those with none, open and closed),
    from one query."""
    closed = Case(When(state=ContactState.CLOSED.value, then=Value(True)), default=Value(False))
    rows = received(scope).values(rated=contact_rating(), closed=closed).annotate(n=Count("pk"))
    counted: dict[tuple[str | None, bool], int] = defaultdict(int)
    for row in rows:
        counted[(row["rated"], bool(row["closed"]))] += row["n"]
    found = {
        rating.label: counted[(rating.value, False)] + counted[(rating.value, True)] for rating in MOST_SERIOUS_FIRST
    }
    found[NOT_RATED_LABEL] = counted[(None, False)]
    found[CLOSED_UNRATED_LABEL] = counted[(None, True)]
    return found


def brag_mix(scope: Scope) -> Tile:
    found = ratings(scope)
    total = sum(found.values())
    rates = [(label, rate_of(n, total)) for label, n in found.items()]
    red = rates[0][1]
    return Tile(
        slug=MEASURE.slug,
        heading="Ratings (BRAG)",
        summary=(
            f"{share(red, 'contact received', 'contacts received', ('is', 'are'))} rated Red." if total else NO_CONTACTS
        ),
        figures=(
            Figure(
                Table(
                    "by-rating",
                    "Contacts received, by their rating now",
                    ("Rating", "Contacts", "Share of contacts"),
                    tuple(Row(label, (rate.part, rate)) for label, rate in rates),
                ),
                rate_bars(
                    "Contacts by rating", f"The share of the {total:,} contacts received with each rating.", rates
                ),
            ),
        ),
    )


MEASURE = Measure(slug="brag-mix", title="Ratings (BRAG)", order=60, compute=brag_mix)
