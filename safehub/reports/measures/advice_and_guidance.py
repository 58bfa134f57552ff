"""Advice and guidance (004 §9: "Advice & Guidance ... Avg Per Week", beside contacts and referrals). Of the
contacts received in the period that pass the filters (by the London day each was received), those
closed with information, advice or signposting, or with no further action, and no referral:

- closed at basic screening by the route "Information or advice only: signpost and close"
  (`screening.ScreeningRoute.SIGNPOST`); or
- closed when the outcome was actioned, every child's approved outcome being "No further action" or
  "Signpost to universal or additional services" (`decisions.Outcome`).

Not advice and guidance: early help, a forward to an open case's worker or the previous social worker
(the three-month rule), LADO, and any statutory outcome (a referral); nor a contact not yet closed."""

from __future__ import annotations

from django.db.models import Count, Q

from safehub.contacts.workflow import ContactState
from safehub.decisions.models import ChildDecision, Outcome, OutcomeAction
from safehub.reports.measures import Measure
from safehub.reports.measures.scope import Scope, bucket, by_bucket, received
from safehub.reports.measures.tiles import NO_CONTACTS, Figure, Row, Table, Tile, count_bars, rate_of, share
from safehub.screening.models import Screening, ScreeningRoute

ADVICE_OUTCOMES = (Outcome.NO_FURTHER_ACTION, Outcome.SIGNPOST)


def advice_and_guidance() -> Q:
    """The contact (a row of a contacts query) was closed with advice and guidance."""
    # Sets of contact ids, each hashed once by the database, not a subquery for each contact.
    signposted = Screening.objects.filter(route=ScreeningRoute.SIGNPOST).order_by().values("contact_id")
    actioned = OutcomeAction.objects.order_by().values("contact_id")
    more_than_advice = (
        ChildDecision.objects.filter(decision__action__isnull=False)
        .exclude(outcome__in=[o.value for o in ADVICE_OUTCOMES])
        .order_by()
        .values("decision__contact_id")
    )
    return Q(state=ContactState.CLOSED) & (Q(pk__in=signposted) | (Q(pk__in=actioned) & ~Q(pk__in=more_than_advice)))


def advice_and_guidance_tile(scope: Scope) -> Tile:
    period = scope.period
    rows = (
        received(scope)
        .values(bucket=bucket("received_at", period))
        .annotate(contacts=Count("pk"), advice=Count("pk", filter=advice_and_guidance()))
    )
    days = by_bucket(rows, period, ["contacts", "advice"])
    overall = rate_of(sum(c["advice"] for c in days.values()), sum(c["contacts"] for c in days.values()))
    over_time = [(period.bucket_label(day), c["advice"]) for day, c in days.items()]
    return Tile(
        slug=MEASURE.slug,
        heading="Advice and guidance",
        summary=(
            f"{share(overall, 'contact received', 'contacts received')} closed with advice, signposting or no"
            " further action."
            if overall.whole
            else NO_CONTACTS
        ),
        figures=(
            Figure(
                Table(
                    "by-period",
                    f"Contacts closed with advice and guidance, by the {period.grain_noun.lower()} they were received",
                    (period.grain_noun, "Contacts", "Advice and guidance", "Rate"),
                    tuple(
                        Row(period.bucket_label(day), (c["contacts"], c["advice"], rate_of(c["advice"], c["contacts"])))
                        for day, c in days.items()
                    ),
                ),
                count_bars(
                    "Advice and guidance",
                    f"Contacts closed with advice and guidance each {period.grain_noun.lower()}: {overall.part:,} in all.",
                    over_time,
                ),
            ),
        ),
        notes=(
            "Advice and guidance: signposted and closed at screening, or closed with no further action or a signpost"
            " for every child. Early help, open cases forwarded and LADO are not counted here.",
        ),
    )


MEASURE = Measure(slug="advice-and-guidance", title="Advice and guidance", order=40, compute=advice_and_guidance_tile)
