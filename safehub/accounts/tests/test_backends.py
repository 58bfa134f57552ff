from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.backends import AccountsBackend
from safehub.accounts.models import Role, User
from safehub.accounts.tests.factories import MembershipFactory, TeamFactory, UserFactory, user_with_role
from safehub.mfa.testing import sign_in_both_steps

pytestmark = pytest.mark.django_db


def test_the_signed_in_user_comes_with_every_role_and_team_in_one_query(django_assert_num_queries: Any) -> None:
    user = user_with_role(Role.SOCIAL_WORKER)
    other_team = TeamFactory(name="Assessment team 2")
    MembershipFactory(user=user, team=other_team, role=Role.STRATEGY_COORDINATOR)
    with django_assert_num_queries(1):
        found = AccountsBackend().get_user(user.pk)
        assert found == user
        assert found is not None
        assert found.roles() == {Role.SOCIAL_WORKER, Role.STRATEGY_COORDINATOR}
        assert other_team.pk in found.team_ids()
        assert len(found.team_ids()) == 2


def test_a_user_without_a_team_is_still_found_with_no_roles() -> None:
    user: User = UserFactory()
    found = AccountsBackend().get_user(user.pk)
    assert found == user
    assert found is not None
    assert found.roles() == frozenset()
    assert found.team_ids() == frozenset()


@pytest.mark.parametrize("with_team", [True, False])
def test_a_deactivated_user_is_signed_out_at_their_next_request(with_team: bool, client: Client) -> None:
    user = user_with_role(Role.SOCIAL_WORKER) if with_team else UserFactory()
    sign_in_both_steps(client, user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert AccountsBackend().get_user(user.pk) is None
    response = client.get(reverse("queues:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_no_user_is_found_for_an_id_that_does_not_exist() -> None:
    assert AccountsBackend().get_user(987654) is None
