"""Reading person records for a user (the search for people is in safehub.matching.search)."""

from __future__ import annotations

from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.core.queries import by_pk
from safehub.people.models import Person


def person_read(person_id: int, *, purpose: str, exists: bool = True) -> Read:
    return Read(Verb.PERSON_VIEWED, "person", person_id, purpose, person_id=person_id if exists else None)


def get_person_for(user: User, pk: int, *, purpose: str) -> Person:
    """The person, if `user` may see the person index, its read recorded for `purpose`;
    otherwise 404, and the refusal recorded."""
    person = by_pk(
        Person.objects.visible_to(user)
        .select_related("address", "mother")
        .prefetch_related("involvements", "relationships__relative", "relationships_in__person"),
        pk,
    )
    if person is None:
        note_refusal(user, person_read(pk, purpose=purpose, exists=Person.objects.filter(pk=pk).exists()))
        raise Http404("No person found")
    note_read(user, person_read(person.pk, purpose=purpose))
    return person
