"""Contacts that became referrals (001: "Nearly half of all contacts made by schools convert to
referrals"; 004 §9 counts contacts and referrals side by side). Of the contacts received in the period
that pass the filters (by the London day each was received), those with at least one referral
(`decisions.Referral`, a child accepted for a statutory service) by the time the figures are taken. A
contact received near the period's end may still become a referral: the rate is of contacts, so far."""

from __future__ import annotations

from django.db.models import Count, Q

from safehub.decisions.models import Referral
from safehub.reports.measures import Measure
from safehub.reports.measures.scope import Scope, bucket, by_bucket, received
from safehub.reports.measures.tiles import NO_CONTACTS, Figure, Row, Table, Tile, rate_lines, rate_of, share


def became_referral() -> Q:
    """The contact (a row of a contacts query) has a referral: one set of ids the database hashes once,
    not a subquery for each contact."""
    return Q(pk__in=Referral.objects.order_by().values("contact_id"))


def contact_to_referral(scope: Scope) -> Tile:
    period = scope.period
    rows = (
        received(scope)
        .values(bucket=bucket("received_at", period))
        .annotate(contacts=Count("pk"), referred=Count("pk", filter=became_referral()))
    )
    days = by_bucket(rows, period, ["contacts", "referred"])
    rates = [(period.bucket_label(day), rate_of(c["referred"], c["contacts"])) for day, c in days.items()]
    overall = rate_of(sum(c["referred"] for c in days.values()), sum(c["contacts"] for c in days.values()))
    return Tile(
        slug=MEASURE.slug,
        heading="Contacts that became referrals",
        summary=(
            f"{share(overall, 'contact received', 'contacts received', ('has', 'have'))} become referrals so far."
            if overall.whole
            else NO_CONTACTS
        ),
        figures=(
            Figure(
                Table(
                    "by-period",
                    f"Contacts that became referrals, by the {period.grain_noun.lower()} they were received",
                    (period.grain_noun, "Contacts", "Became referrals", "Rate"),
                    tuple(Row(label, (rate.whole, rate.part, rate)) for label, rate in rates),
                ),
                rate_lines(
                    "Contacts that became referrals",
                    f"The share of each {period.grain_noun.lower()}'s contacts that became referrals: {overall.text} in all.",
                    [label for label, _ in rates],
                    [("Became referrals", [rate for _, rate in rates])],
                ),
            ),
        ),
        notes=("A contact is counted once however many of its children were referred.",),
    )


MEASURE = Measure(
    slug="contact-to-referral", title="Contacts that became referrals", order=30, compute=contact_to_referral
)
