"""Contacts received (004 §9: "Contacts ... Avg Per Week"; 001: "Clear distinction between contacts and
referrals"). A contact is one `contacts.Contact`, whatever the number of children on it, counted on the
London day it was received (`received_at`), in the period and passing the filters. It is broken down by
how it came (`Contact.channel`) and by who made it (`Contact.source`, the CIN census referral source
codes). The average per week (for a period of a week or more) is the contacts divided by the period's days,
times seven."""

from __future__ import annotations

from django.db.models import Count

from safehub.contacts.models import Channel, ReferralSource
from safehub.core.presenters import how_many
from safehub.reports.measures import Measure
from safehub.reports.measures.scope import Scope, bucket, by_bucket, received
from safehub.reports.measures.tiles import NO_CONTACTS, Figure, Row, Table, Tile, count_bars


def per_week(count: int, scope: Scope) -> str:
    """', 3 a week on average' for a period of a week or more ('0.3 a week' below one a week); nothing for a
    shorter one."""
    if scope.period.days < 7:
        return ""
    weekly = count / scope.period.weeks
    return f", {weekly:,.0f} a week on average" if weekly >= 1 or not count else f", {weekly:.1f} a week on average"


def contacts_received(scope: Scope) -> Tile:
    contacts = received(scope)
    period = scope.period
    days = by_bucket(
        contacts.values(bucket=bucket("received_at", period)).annotate(contacts=Count("pk")), period, ["contacts"]
    )
    by_kind = list(contacts.values_list("channel", "source").annotate(n=Count("pk")))
    channels = dict.fromkeys(Channel.values, 0)
    sources = dict.fromkeys(ReferralSource.values, 0)
    for channel, source, n in by_kind:
        channels[channel] = channels.get(channel, 0) + n
        sources[source] = sources.get(source, 0) + n
    total = sum(counts["contacts"] for counts in days.values())
    over_time = [(period.bucket_label(day), counts["contacts"]) for day, counts in days.items()]
    channel_rows = [(Channel(value).label, n) for value, n in channels.items()]
    source_rows = [(ReferralSource(value).label, n) for value, n in sources.items() if n]
    return Tile(
        slug=MEASURE_SLUG,
        heading="Contacts received",
        summary=f"{how_many(total, 'contact was', 'contacts were')} received{per_week(total, scope)}."
        if total
        else NO_CONTACTS,
        figures=(
            Figure(
                Table(
                    "by-period",
                    f"Contacts received, by {period.grain_noun.lower()}",
                    (period.grain_noun, "Contacts"),
                    tuple(Row(label, (n,)) for label, n in over_time),
                ),
                count_bars(
                    "Contacts received",
                    f"Contacts received each {period.grain_noun.lower()}: {total:,} in all.",
                    over_time,
                ),
            ),
            Figure(
                Table(
                    "by-channel",
                    "Contacts received, by how they came",
                    ("How it came", "Contacts"),
                    tuple(Row(label, (n,)) for label, n in channel_rows),
                ),
                count_bars(
                    "Contacts by how they came", "Contacts received by phone, email, form and other ways.", channel_rows
                ),
            ),
            Figure(
                Table(
                    "by-source",
                    "Contacts received, by referral source (CIN census codes)",
                    ("Source", "Contacts"),
                    tuple(Row(label, (n,)) for label, n in source_rows),
                ),
                count_bars(
                    "Contacts by source", "Contacts received from each referral source that made any.", source_rows
                ),
            ),
        ),
        notes=("A contact about several children is one contact.",),
    )


MEASURE_SLUG = "contacts-received"
MEASURE = Measure(slug=MEASURE_SLUG, title="Contacts received", order=10, compute=contacts_received)
