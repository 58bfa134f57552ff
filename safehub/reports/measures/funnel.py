"""From contact to initial conference, by source (001 table d: "Schools' referrals – attrition by each
step": contacts, "of which" referrals, assessments, strategy discussions, section 47 enquiries, initial
child protection conferences). Of the contacts received in the period that pass the filters (by the
London day each was received), grouped by referral source (`Contact.source`): the contacts; of which
those with a referral (`decisions.Referral`); of which those whose referral's episode has an assessment
(`casework.Assessment`, the case system's import); of which those with a strategy discussion
(`strategy.StrategyDiscussion` on the contact, not cancelled); of which those whose episode has a section
47 enquiry (`casework.Section47`: from Safehub's strategy discussions, or imported); of which those whose
enquiry went to an initial child protection conference. Each step's rate is of the contacts.

The conversion to child and family assessment (004 §9: "Conversion of contacts to Child & Family
Assessments on MASH decision") is the assessments step's rate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q

from safehub.contacts.models import ReferralSource
from safehub.core.presenters import how_many
from safehub.decisions.models import Referral
from safehub.reports.measures import Measure
from safehub.reports.measures.scope import Scope, received
from safehub.reports.measures.tiles import NO_CONTACTS, Figure, Row, Table, Tile, rate_bars, rate_of
from safehub.strategy.models import StrategyDiscussion
from safehub.strategy.workflow import DiscussionState


@dataclass(frozen=True)
class Step:
    label: str
    reached: Callable[[], Q]  # the contact (a row of a contacts query) reached this step


# Each step is a set of contact ids the database hashes once, not a subquery for each contact.
def _episodes_with(related: str) -> Q:
    """The contacts a referral of which is in an episode that has `related` (an assessment, an enquiry…)."""
    referrals = Referral.objects.filter(**{f"episode_link__episode__{related}__isnull": False})
    return Q(pk__in=referrals.order_by().values("contact_id"))


STEPS = [
    Step("Became referrals", lambda: Q(pk__in=Referral.objects.order_by().values("contact_id"))),
    Step("Became assessments", lambda: _episodes_with("assessments")),
    Step(
        "Went to a strategy discussion",
        lambda: Q(
            pk__in=StrategyDiscussion.objects.filter(contact__isnull=False)
            .exclude(state=DiscussionState.CANCELLED.value)
            .order_by()
            .values("contact_id")
        ),
    ),
    Step("Became section 47 enquiries", lambda: _episodes_with("section47s")),
    Step("Went to an initial conference", lambda: _episodes_with("section47s__conference_on")),
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
        heading="From contact to initial conference",
        summary=(
            f"Of {how_many(contacts, 'contact', 'contacts')}, {overall[0].part:,} ({overall[0].percent}) became"
            f" {'a referral' if overall[0].part == 1 else 'referrals'}, {overall[1].part:,} ({overall[1].percent})"
            f" {'an assessment' if overall[1].part == 1 else 'assessments'} and {overall[-1].part:,}"
            f" ({overall[-1].percent}) went on to an initial child protection conference."
            if contacts
            else NO_CONTACTS
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
                    "From contact to initial conference",
                    f"Of the {contacts:,} contacts received, the share that reached each step.",
                    [
                        ("Contacts", rate_of(contacts, contacts)),
                        *((s.label, r) for s, r in zip(STEPS, overall, strict=True)),
                    ],
                ),
            ),
        ),
        notes=(
            'Each step counts the contacts that reached it and every step before it, as 001 does: "of which".',
            "It follows the contacts received in the period, per contact; the strategy discussions and"
            " conferences tiles count what was started in the period, whichever contact it came from.",
        ),
    )


MEASURE = Measure(slug="funnel", title="From contact to initial conference", order=110, compute=funnel)
