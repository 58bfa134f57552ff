"""The mix of BRAG ratings (002 §7: Blue, Red, Amber, Green). Of the contacts received in the period that
pass the filters, how many carry each rating now, as the work queues show it (scope.contact_rating: the
newest recommendation's rating, else the MASH checks' level of risk, else the initial rating), and how
many have none yet. The rating filter narrows by the same rating."""

from __future__ import annotations

from django.db.models import Count

from safehub.decisions.models import MOST_SERIOUS_FIRST
from safehub.reports.measures import Measure
from safehub.reports.measures.scope import Scope, contact_rating, received
from safehub.reports.measures.tiles import NO_CONTACTS, Figure, Row, Table, Tile, rate_bars, rate_of, share

NOT_RATED_LABEL = "Not rated yet"


def ratings(scope: Scope) -> dict[str, int]:
    """Contacts received by rating label (most serious first, then not rated), from one query."""
    rows = received(scope).values(rated=contact_rating()).annotate(n=Count("pk"))
    counted = {row["rated"]: row["n"] for row in rows}
    found = {rating.label: counted.get(rating.value, 0) for rating in MOST_SERIOUS_FIRST}
    found[NOT_RATED_LABEL] = counted.get(None, 0)
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
