"""Referrals (001 table a, "No of referrals" per month; 004 §9: "Referrals ... Avg Per Week"). A referral is
one `decisions.Referral`: one child accepted for a statutory service (decisions.STATUTORY_OUTCOMES: a
section 17 assessment, the children with disability service or a strategy discussion) when a manager
approved it, as the CIN census counts them, per child. Counted on the London day it was made
(`referred_at`) in the period, when its contact passes the filters; broken down by the service."""

from __future__ import annotations

from datetime import date

from django.db.models import Count

from safehub.core.presenters import how_many
from safehub.decisions.models import SHORT_LABELS, STATUTORY_OUTCOMES, Outcome, Referral
from safehub.reports.measures import Measure
from safehub.reports.measures.contacts_received import per_week
from safehub.reports.measures.scope import Scope, as_day, bucket, of_contacts, within
from safehub.reports.measures.tiles import Figure, Row, Table, Tile, count_bars

SERVICES = [outcome for outcome in Outcome if outcome in STATUTORY_OUTCOMES]


def referrals_made(scope: Scope) -> tuple[dict[date, int], dict[Outcome, int]]:
    """Referrals in the period, by bucket and by service, from one query."""
    period = scope.period
    rows = (
        of_contacts(Referral.objects.filter(within("referred_at", scope)), scope.filters)
        .values("outcome", bucket=bucket("referred_at", period))
        .annotate(n=Count("pk"))
    )
    days = dict.fromkeys(period.buckets(), 0)
    outcomes = dict.fromkeys(SERVICES, 0)
    for row in rows:
        day = as_day(row["bucket"], period)
        days[day] = days.get(day, 0) + row["n"]
        outcomes[Outcome(row["outcome"])] += row["n"]
    return days, outcomes


def referrals(scope: Scope) -> Tile:
    days, outcomes = referrals_made(scope)
    period = scope.period
    total = sum(outcomes.values())
    over_time = [(period.bucket_label(day), n) for day, n in days.items()]
    services = [(SHORT_LABELS[outcome], n) for outcome, n in outcomes.items()]
    return Tile(
        slug=MEASURE.slug,
        heading="Referrals",
        summary=(
            f"{how_many(total, 'child was', 'children were')} referred to a statutory service{per_week(total, scope)}."
            if total
            else "No children were referred to a statutory service in the period."
        ),
        figures=(
            Figure(
                Table(
                    "by-period",
                    f"Referrals, by {period.grain_noun.lower()}",
                    (period.grain_noun, "Referrals"),
                    tuple(Row(label, (n,)) for label, n in over_time),
                ),
                count_bars("Referrals", f"Referrals each {period.grain_noun.lower()}: {total:,} in all.", over_time),
            ),
            Figure(
                Table(
                    "by-service",
                    "Referrals, by the service the child was referred to",
                    ("Service", "Referrals"),
                    tuple(Row(label, (n,)) for label, n in services),
                ),
                count_bars("Referrals by service", "Referrals to each statutory service.", services),
            ),
        ),
        notes=(
            "Counted per child: a contact about two children who are both referred is two referrals.",
            "Counted on the day each referral was made, whenever its contact came in; the children and contacts"
            " tile and the funnel count the referrals of the contacts received in the period instead.",
            "The census and Annex A's list 3 count each child's episodes of need instead: a referral made while"
            " the child's episode is still open joins it and is not counted there again, and a referral the case"
            " system made (brought in by the casework import) is counted there but not here.",
        ),
    )


MEASURE = Measure(slug="referrals", title="Referrals", order=20, compute=referrals)
