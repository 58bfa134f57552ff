"""From contact to strategy discussion, by source (001 table d: "Schools' referrals – attrition by each
step": contacts, "of which" referrals, assessments, strategy discussions, section 47 enquiries, initial
child protection conferences). Of the contacts received in the period that pass the filters (by the
London day each was received), grouped by referral source (`Contact.source`): the contacts; of which
those with a referral (`decisions.Referral`); of which those with a strategy discussion
(`strategy.StrategyDiscussion` on the contact, not cancelled). Each step's rate is of the contacts.

The steps after a referral that the council's case system records (assessments, section 47 enquiries,
conferences) come with the casework app: each is one more entry in STEPS, a condition on the contact."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q

from safehub.contacts.models import ReferralSource
from safehub.decisions.models import Referral
from safehub.reports.measures import Measure
from safehub.reports.measures.scope import Scope, received
from safehub.reports.measures.tiles import Figure, Row, Table, Tile, rate_bars, rate_of
from safehub.strategy.models import StrategyDiscussion
from safehub.strategy.workflow import DiscussionState


@dataclass(frozen=True)
class Step:
    label: str
    reached: Callable[[], Q]  # the contact (a row of a contacts query) reached this step


# Each step is a set of contact ids the database hashes once, not a subquery for each contact.
STEPS = [
    Step("Became referrals", lambda: Q(pk__in=Referral.objects.order_by().values("contact_id"))),
    Step(
        "Went to a strategy discussion",
        lambda: Q(
            pk__in=StrategyDiscussion.objects.filter(contact__isnull=False)
            .exclude(state=DiscussionState.CANCELLED.value)
            .order_by()
            .values("contact_id")
        ),
    ),
]


def funnel_counts(scope: Scope) -> dict[str, list[int]]:
    """{source code: [contacts, step 1, step 2, …]}, each step counting the contacts that reached it and
    every step before it, from one query."""
    conditions, reached = [], Q()
    for step in STEPS:
        reached &= step.reached()
        conditions.append(reached)
    rows = (
        received(scope)
        .values("source")
        .annotate(contacts=Count("pk"), **{f"step{i}": Count("pk", filter=q) for i, q in enumerate(conditions)})
    )
    return {row["source"]: [row["contacts"], *(row[f"step{i}"] for i in range(len(STEPS)))] for row in rows}


def funnel(scope: Scope) -> Tile:
    found = funnel_counts(scope)
    total = [sum(counts[i] for counts in found.values()) for i in range(len(STEPS) + 1)]
    contacts = total[0]
    overall = [rate_of(n, contacts) for n in total[1:]]
    sources = [(ReferralSource(code).label, counts) for code, counts in sorted(found.items(), key=lambda kv: -kv[1][0])]
    columns = ["Source", "Contacts"]
    for step in STEPS:
        columns += [step.label, f"{step.label}: rate"]
    return Tile(
        slug=MEASURE.slug,
        heading="From contact to strategy discussion",
        summary=(
            f"Of {contacts:,} contacts, {overall[0].part:,} ({overall[0].percent}) became referrals and"
            f" {overall[-1].part:,} ({overall[-1].percent}) went on to a strategy discussion."
        ),
        figures=(
            Figure(
                Table(
                    "by-source",
                    "Each step, of the contacts from each source",
                    tuple(columns),
                    tuple(
                        Row(
                            label,
                            (counts[0], *(cell for n in counts[1:] for cell in (n, rate_of(n, counts[0])))),
                        )
                        for label, counts in [*sources, ("All sources", total)]
                    ),
                ),
                rate_bars(
                    "From contact to strategy discussion",
                    f"Of the {contacts:,} contacts received, the share that reached each step.",
                    [
                        ("Contacts", rate_of(contacts, contacts)),
                        *((s.label, r) for s, r in zip(STEPS, overall, strict=True)),
                    ],
                ),
            ),
        ),
        notes=('Each step counts the contacts that reached it and every step before it, as 001 does: "of which".',),
    )


MEASURE = Measure(slug="funnel", title="From contact to strategy discussion", order=110, compute=funnel)
