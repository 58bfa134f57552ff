"""A child's family as the index knows it: everyone linked to them through shared parents, a
shared home, sibling and household links, or a mother's unborn child, however many links away
(a sibling three links away is family too). Screening shows their contacts and involvements."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from safehub.people.models import PARENTAL_KINDS, Person, Relationship, RelationshipKind

# Links that make two people one family for screening (alleged perpetrators and other relatives
# are shown on the person page, not pulled into the household).
FAMILY_KINDS = (*PARENTAL_KINDS, RelationshipKind.SIBLING, RelationshipKind.HOUSEHOLD_MEMBER)
MAX_FAMILY = 40  # people: a larger group is a block of flats or a data error, not a household
MAX_ROUNDS = 6


def family_of(people: Iterable[int]) -> set[int]:
    """The ids of `people` and everyone in their family (see the module's doc), live records only."""
    found = set(people)
    frontier = set(found)
    for _ in range(MAX_ROUNDS):
        if not frontier or len(found) >= MAX_FAMILY:
            break
        links = Relationship.objects.filter(kind__in=FAMILY_KINDS).filter(
            Q(person_id__in=frontier) | Q(relative_id__in=frontier)
        )
        nearby: set[int] = set()
        for person, relative in links.values_list("person_id", "relative_id"):
            nearby.update((person, relative))
        # A parent links their children: one round finds the parent, the next the siblings.
        homes = Person.objects.filter(pk__in=frontier, address__isnull=False).values("address_id")
        mothers = Person.objects.filter(pk__in=frontier, mother__isnull=False).values("mother_id")
        home_or_mother = Q(address_id__in=homes) | Q(mother_id__in=frontier) | Q(pk__in=mothers)
        nearby.update(Person.objects.filter(home_or_mother).values_list("pk", flat=True)[: MAX_FAMILY * 2])
        frontier = nearby - found
        found |= frontier
    live = Person.objects.filter(pk__in=found, merged_into__isnull=True).order_by("pk").values_list("pk", flat=True)
    return set(people) | set(live[:MAX_FAMILY])
