"""Reading suspected duplicates for a reviewer, through the one audited door."""

from __future__ import annotations

from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.core.queries import by_pk
from safehub.matching.models import DuplicatePair


def get_pair_for(user: User, pk: int, *, purpose: str) -> DuplicatePair:
    """The pair, if `user` may review duplicates, with a read of each person's record recorded;
    otherwise 404, and the refusal recorded."""
    pair = by_pk(DuplicatePair.objects.visible_to(user).select_related("left__address", "right__address"), pk)
    if pair is None:
        note_refusal(user, Read(Verb.PERSON_VIEWED, "duplicate-pair", pk, purpose))
        raise Http404("No such pair")
    for person_id in (pair.left_id, pair.right_id):
        note_read(user, Read(Verb.PERSON_VIEWED, "duplicate-pair", pk, purpose, person_id=person_id))
    return pair
