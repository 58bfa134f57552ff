"""Reading person records for a user (the search for people is in safehub.matching.search)."""

from __future__ import annotations

from django.http import Http404

from safehub.accounts.models import User
from safehub.people.models import Person


def get_person_for(user: User, pk: int) -> Person:
    """The person, if `user` may see the person index; otherwise 404."""
    person = (
        Person.objects.visible_to(user)
        .select_related("address", "mother")
        .prefetch_related("involvements", "relationships__relative", "relationships_in__person")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404("No person found")
    return person
