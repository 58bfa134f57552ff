"""Rows written through the models as an earlier migration left them (a migration test's data on a
scratch database, core.tests.scratch): the staff and contacts most data migrations need."""

from __future__ import annotations

import datetime as dt
from typing import Any

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)  # the suite's pinned clock


def staff(apps: Any, alias: str) -> dict[str, Any]:
    """The hub's agency, a MASH team, its manager and a social worker."""
    host = (
        apps.get_model("accounts", "Agency")
        .objects.using(alias)
        .create(name="Example Council", kind="children_services", is_host=True)
    )
    team = apps.get_model("accounts", "Team").objects.using(alias).create(name="MASH", agency_id=host.pk)
    users = apps.get_model("accounts", "User").objects.using(alias)
    return {
        "host": host,
        "team": team,
        "manager": users.create(username="team.manager", password="!"),
        "worker": users.create(username="social.worker", password="!"),
    }


def contact(apps: Any, alias: str, made: dict[str, Any], reference: str) -> Any:
    """A contact about a child, recorded by the social worker for the team (`made` by `staff`)."""
    return (
        apps.get_model("contacts", "Contact")
        .objects.using(alias)
        .create(
            reference=reference,
            received_at=NOW,
            channel="phone",
            source="1A",
            referrer_kind="professional",
            narrative="Bruising seen at school.",
            immediate_protection="no",
            parents_aware="yes",
            parents_agree="yes",
            consent="given",
            recorded_by_id=made["worker"].pk,
            team_id=made["team"].pk,
        )
    )
