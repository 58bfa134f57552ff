"""Reading the returns' checks, scoped: a person asks for their own exports."""

from __future__ import annotations

from django.http import Http404

from safehub.accounts.models import User
from safehub.people.models import Person
from safehub.returns.models import ReturnCheck
from safehub.returns.permissions import can_see_returns

RECENT = 10


def get_check_for(user: User, pk: int) -> ReturnCheck:
    """A finished or waiting check, for those who see the returns (404 otherwise). A check names
    children by their IDs only, as the validators do: it is not a child's record."""
    found = ReturnCheck.objects.filter(pk=pk).first() if can_see_returns(user) else None
    if found is None:
        raise Http404("No such return")
    return found


def requests_of(user: User) -> list[ReturnCheck]:
    return list(ReturnCheck.objects.filter(made_by=user, requested=True).defer("file").order_by("-started_at")[:RECENT])


def person_links(user: User, local_ids: list[str]) -> dict[str, int]:
    """The person record of each of these IDs that `user` may open (people.Person.visible_to)."""
    return dict(Person.objects.visible_to(user).filter(local_id__in=local_ids).values_list("local_id", "pk"))
