"""Signing in with a username and password, and finding the signed-in user on every request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from safehub.accounts.models import Membership, User


class AccountsBackend(ModelBackend):
    """Django's own username-and-password backend, except that the signed-in user is read with
    their memberships in one query: every page asks for the user's roles and teams, which was a
    second query on every request."""

    def get_user(self, user_id: Any) -> User | None:
        memberships = list(Membership.objects.filter(user_id=user_id).select_related("user"))
        if not memberships:  # an administrator without a team, say
            user = super().get_user(user_id)
            return user if isinstance(user, User) else None
        user = memberships[0].user
        user.cache_memberships((m.role, m.team_id) for m in memberships)
        return user if self.user_can_authenticate(user) else None
