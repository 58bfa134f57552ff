"""Re-referrals (001 table c, "% of referrals that are re-referrals within 12 months", shown against the
England average). A re-referral is a referral (`decisions.Referral`, one child accepted for a statutory
service) of a child who had another referral within the 12 months before it: the same person in the
person index (`ContactSubject.person`), referred earlier, on or after the same day 12 months before, in
England. Counted among the referrals made in the period (by the London day of `referred_at`) whose contact
passes the filters. A child not yet linked to the person index cannot be matched, so is never counted a
re-referral.

Beside it, England's figure: 22% of referrals in the year to 31 March 2024 were re-referrals within 12
months (Department for Education, "Children in need", reporting year 2024)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, DateTimeField, ExpressionWrapper, F, Q
from django.db.models.expressions import CombinedExpression

from safehub.core.working_time import london_date, months_before
from safehub.decisions.models import Referral
from safehub.reports.measures import Measure
from safehub.reports.measures.scope import Scope, as_day, bucket, by_bucket, of_contacts, within
from safehub.reports.measures.tiles import Figure, Rate, Row, Table, Tile, rate_lines, rate_of, share

ENGLAND_RE_REFERRAL_RATE = 0.22
ENGLAND_SOURCE = "England, year to March 2024 (DfE, Children in need)"
# 12 months before a day is 365 or 366 days before it, and a London day may start an hour either side
# of a UTC day: an earlier referral at least 364 days before is certainly within them, one more than 367
# days before certainly not; the few between are checked day by day (months_before).
SURELY_WITHIN = timedelta(days=364)
SURELY_NOT = timedelta(days=367)
NAMES = ("referrals", "re_referrals")


# From a referral to the same child's other referrals: its subject's person, every subject that person
# has been on, and their referrals (one join, not a subquery for each referral).
EARLIER = "subject__person__contact_subjects__referrals__referred_at"


def _since(gap: timedelta) -> ExpressionWrapper[CombinedExpression]:
    return ExpressionWrapper(F("referred_at") - gap, output_field=DateTimeField())


def _earlier_within(gap: timedelta) -> Q:
    """Another referral of the same child, before this one and no more than `gap` before it."""
    return Q(**{f"{EARLIER}__lt": F("referred_at"), f"{EARLIER}__gte": _since(gap)})


def is_re_referral(referred_at: date, previous: date) -> bool:
    """Whether a referral on `referred_at` follows one on `previous` within 12 months (London days)."""
    return previous >= months_before(referred_at, 12)


def re_referrals_counted(scope: Scope) -> dict[date, dict[str, int]]:
    """Each bucket's referrals and re-referrals, from three queries: the referrals; those surely
    re-referrals; and the few whose earlier referral was 364 to 367 days before, checked day by day."""
    period = scope.period
    referrals = of_contacts(Referral.objects.filter(within("referred_at", scope)), scope.filters)
    days = by_bucket(
        referrals.values(bucket=bucket("referred_at", period)).annotate(referrals=Count("pk")), period, NAMES
    )
    surely = (
        referrals.filter(_earlier_within(SURELY_WITHIN))
        .values(bucket=bucket("referred_at", period))
        .annotate(re_referrals=Count("pk", distinct=True))
    )
    for day, counts in by_bucket(surely, period, NAMES).items():
        days[day]["re_referrals"] += counts["re_referrals"]
    counted = referrals.filter(_earlier_within(SURELY_WITHIN)).values("pk")
    maybe = (
        referrals.filter(_earlier_within(SURELY_NOT))
        .filter(~Q(pk__in=counted))
        .values_list("pk", bucket("referred_at", period), "referred_at", EARLIER)
    )
    found: set[int] = set()
    for pk, day, at, earlier in maybe:
        if pk not in found and earlier < at and is_re_referral(london_date(at), london_date(earlier)):
            found.add(pk)
            days[as_day(day, period)]["re_referrals"] += 1
    return days


def re_referrals(scope: Scope) -> Tile:
    period = scope.period
    days = re_referrals_counted(scope)
    rates: list[tuple[str, Rate]] = [
        (period.bucket_label(day), rate_of(c["re_referrals"], c["referrals"])) for day, c in days.items()
    ]
    overall = rate_of(sum(c["re_referrals"] for c in days.values()), sum(c["referrals"] for c in days.values()))
    return Tile(
        slug=MEASURE.slug,
        heading="Re-referrals within 12 months",
        summary=(
            f"{share(overall, 'referral', 'referrals')} of a child referred in the 12 months before; in England it"
            f" was {ENGLAND_RE_REFERRAL_RATE:.0%}."
            if overall.whole
            else f"No children were referred in the period; in England {ENGLAND_RE_REFERRAL_RATE:.0%} of referrals"
            " were re-referrals."
        ),
        figures=(
            Figure(
                Table(
                    "by-period",
                    f"Re-referrals within 12 months, by {period.grain_noun.lower()}",
                    (period.grain_noun, "Referrals", "Re-referrals", "Rate"),
                    (
                        *(Row(label, (rate.whole, rate.part, rate)) for label, rate in rates),
                        Row("All referrals in the period", (overall.whole, overall.part, overall)),
                        Row(ENGLAND_SOURCE, ("", "", f"{ENGLAND_RE_REFERRAL_RATE:.0%}")),
                    ),
                ),
                rate_lines(
                    "Re-referrals within 12 months",
                    f"The share of each {period.grain_noun.lower()}'s referrals that were re-referrals, against England's"
                    f" {ENGLAND_RE_REFERRAL_RATE:.0%}: {overall.text} in all.",
                    [label for label, _ in rates],
                    [("Re-referrals", [rate for _, rate in rates])],
                    reference=(f"England {ENGLAND_RE_REFERRAL_RATE:.0%}", ENGLAND_RE_REFERRAL_RATE),
                ),
            ),
        ),
        notes=("A child not yet found in the person index cannot be matched to earlier referrals.",),
    )


MEASURE = Measure(slug="re-referrals", title="Re-referrals", order=70, compute=re_referrals)
