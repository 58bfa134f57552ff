"""Fixtures the strategy tests share: a partner health agency and its health visitor, and a discussion
arranged with police and health."""

from __future__ import annotations

import datetime as dt

import pytest

from safehub.accounts.models import Agency, AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.strategy import services
from safehub.strategy.models import MeetingFormat, StrategyDiscussion
from safehub.strategy.tests.helpers import approved_for_strategy


@pytest.fixture
def health(police_partner: User) -> Agency:
    return PartnerAgencyFactory(name="Example Health", kind=AgencyKind.HEALTH)


@pytest.fixture
def health_visitor(health: Agency) -> User:
    return user_with_role(
        Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="Health visiting", agency=health), username="health.visitor"
    )


@pytest.fixture
def arranged(
    mash_team: Team,
    social_worker: User,
    manager: User,
    strategy_coordinator: User,
    police_partner: User,
    health: Agency,
    now: dt.datetime,
) -> StrategyDiscussion:
    """A discussion approved now, arranged for an hour from now with police and health."""
    discussion = approved_for_strategy(mash_team, social_worker=social_worker, manager=manager, at=now)
    police = Agency.objects.get(kind=AgencyKind.POLICE)
    arrangement = services.Arrangement(
        now + dt.timedelta(hours=1), MeetingFormat.VIDEO, "https://meet.example/s", manager, (police, health)
    )
    services.arrange(discussion, arrangement, by=strategy_coordinator, at=now, version=discussion.version)
    discussion.refresh_from_db()
    return discussion
