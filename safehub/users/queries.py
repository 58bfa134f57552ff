"""The users list: searching and filtering the hub's accounts."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from safehub.accounts.models import Membership, User


def users_matching(
    *, text: str = "", agency_id: int | None = None, team_id: int | None = None, role: str = "", status: str = ""
) -> QuerySet[User]:
    """Users whose name or username holds every word of `text`, with a membership matching the
    agency, team and role given (all in the same membership), active or not; by last name."""
    users = User.objects.all()
    for word in text.split():
        users = users.filter(Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word))
    membership = Q()
    if agency_id is not None:
        membership &= Q(memberships__team__agency_id=agency_id)
    if team_id is not None:
        membership &= Q(memberships__team_id=team_id)
    if role:
        membership &= Q(memberships__role=role)
    if membership:
        users = users.filter(membership)
    if status:
        users = users.filter(is_active=status == "active")
    return (
        users.distinct()
        .order_by("last_name", "first_name", "username")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("team__agency").order_by("pk"))
        )
    )
