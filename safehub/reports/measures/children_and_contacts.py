"""Children and contacts (004 §9: the figures "cannot be relied upon for total accuracy as for example
sibling groups are not always known at the time of referral"). Of the contacts received in the period
that pass the filters: the contacts; the children named on them (each child or sibling,
`contacts.CHILD_ROLES`, on the contact now: one removed by an amendment is not counted); the contacts
about two or more children (sibling groups); and, of those contacts, the referrals (per child) beside
the contacts with at least one referral (per contact). A child named on two contacts is counted on each."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from safehub.contacts.models import CHILD_ROLES, ContactSubject
from safehub.core.presenters import how_many
from safehub.decisions.models import Referral
from safehub.reports.measures import Measure
from safehub.reports.measures.scope import Scope, bucket, by_bucket, received
from safehub.reports.measures.tiles import NO_CONTACTS, Figure, Row, Table, Tile, count_bars

NAMES = ["contacts", "children_named", "sibling_groups", "children_referred", "contacts_referred"]


def counted(scope: Scope) -> dict[date, dict[str, int]]:
    """Each bucket's figures, from three queries: the contacts and those about sibling groups; the
    children on them; and their referrals. Each joins or hashes a set once, never a subquery a contact."""
    period = scope.period
    contacts = received(scope)
    ids = contacts.values("pk")
    children = ContactSubject.objects.filter(role__in=sorted(CHILD_ROLES), contact__in=ids).order_by()
    groups = children.values("contact_id").annotate(n=Count("pk")).filter(n__gte=2).values("contact_id")
    found = by_bucket(
        contacts.values(bucket=bucket("received_at", period)).annotate(
            contacts=Count("pk"), sibling_groups=Count("pk", filter=Q(pk__in=groups))
        ),
        period,
        NAMES,
    )
    named = children.values(bucket=bucket("contact__received_at", period)).annotate(children_named=Count("pk"))
    referred = (
        Referral.objects.filter(contact__in=ids)
        .order_by()
        .values(bucket=bucket("contact__received_at", period))
        .annotate(children_referred=Count("pk"), contacts_referred=Count("contact_id", distinct=True))
    )
    for rows in (named, referred):
        for day, counts in by_bucket(rows, period, NAMES).items():
            for name, n in counts.items():
                found.setdefault(day, dict.fromkeys(NAMES, 0))[name] += n
    return found


def children_and_contacts(scope: Scope) -> Tile:
    period = scope.period
    days = counted(scope)
    total = {name: sum(c[name] for c in days.values()) for name in NAMES}
    per_contact = f"{total['children_named'] / total['contacts']:.1f}" if total["contacts"] else "–"
    return Tile(
        slug=MEASURE.slug,
        heading="Children and contacts",
        summary=(
            f"The {how_many(total['contacts'], 'contact', 'contacts')} received named"
            f" {how_many(total['children_named'], 'child', 'children')} ({per_contact} a contact);"
            f" {how_many(total['sibling_groups'], 'was', 'were')} about sibling groups, and"
            f" {how_many(total['children_referred'], 'child', 'children')} on"
            f" {how_many(total['contacts_referred'], 'contact was', 'contacts were')} referred."
            if total["contacts"]
            else NO_CONTACTS
        ),
        figures=(
            Figure(
                Table(
                    "by-period",
                    f"Children and contacts, by the {period.grain_noun.lower()} the contact was received",
                    (
                        period.grain_noun,
                        "Contacts",
                        "Children named",
                        "Sibling groups",
                        "Referrals (children)",
                        "Contacts referred",
                    ),
                    (
                        *(Row(period.bucket_label(day), tuple(c[name] for name in NAMES)) for day, c in days.items()),
                        Row("All", tuple(total[name] for name in NAMES)),
                    ),
                ),
                count_bars(
                    "Counted per contact and per child",
                    "Contacts and the children named on them; contacts referred and the children referred.",
                    [
                        ("Contacts", total["contacts"]),
                        ("Children named", total["children_named"]),
                        ("Contacts about sibling groups", total["sibling_groups"]),
                        ("Contacts referred", total["contacts_referred"]),
                        ("Children referred", total["children_referred"]),
                    ],
                ),
            ),
        ),
        notes=(
            "A sibling group is a contact naming two or more children.",
            "Referrals here are those of the contacts received in the period, whenever they were made; the"
            " referrals tile counts the referrals made in the period.",
        ),
    )


MEASURE = Measure(slug="children-and-contacts", title="Children and contacts", order=80, compute=children_and_contacts)
