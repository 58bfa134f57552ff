"""Signing in with a username and password, and finding the signed-in user on every request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import OuterRef, Subquery
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.models import Membership, User


def _authenticator(user_id: OuterRef) -> Subquery:
    """The id of the user's confirmed authenticator app, read in the user's own query: every request
    asks whether its session passed the second step with that app (safehub.mfa.sessions)."""
    devices = TOTPDevice.objects.filter(user_id=user_id, confirmed=True).order_by("pk").values("pk")[:1]
    return Subquery(devices)


class AccountsBackend(ModelBackend):
    """Django's own username-and-password backend, except that the signed-in user is read with
    their memberships (and the id of their authenticator app) in one query: every page asks for the
    user's roles and teams, which was a second query on every request."""

    def get_user(self, user_id: Any) -> User | None:
        memberships = list(
            Membership.objects.filter(user_id=user_id)
            .select_related("user")
            .annotate(confirmed_authenticator=_authenticator(OuterRef("user_id")))
        )
        if not memberships:  # an administrator without a team, say
            found = (
                User._default_manager.annotate(confirmed_authenticator=_authenticator(OuterRef("pk")))
                .filter(pk=user_id)
                .first()
            )
            if found is None:
                return None
            found.authenticator_id = found.confirmed_authenticator
            return found if self.user_can_authenticate(found) else None
        user = memberships[0].user
        user.cache_memberships((m.role, m.team_id) for m in memberships)
        user.authenticator_id = memberships[0].confirmed_authenticator
        return user if self.user_can_authenticate(user) else None
