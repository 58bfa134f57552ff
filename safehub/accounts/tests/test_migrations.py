"""One account per email address: a database that already breaks the rule stops at the migration
that brings it in, naming the accounts, and migrates once an administrator has changed one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_THE_RULE = [("accounts", "0001_initial")]


def _migrate(targets: list[tuple[str, str]] | None = None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor


def test_accounts_sharing_an_address_are_named_before_the_rule_comes_in(transactional_db: None) -> None:
    executor = _migrate(BEFORE_THE_RULE)
    OldUser = executor.loader.project_state(BEFORE_THE_RULE[0]).apps.get_model("accounts", "User")  # noqa: N806
    OldUser.objects.create(username="asha.patel", email="asha.patel@example.gov.uk")
    second = OldUser.objects.create(username="a.patel", email="Asha.Patel@example.gov.uk")
    OldUser.objects.create(username="no.address.one", email="")
    OldUser.objects.create(username="no.address.two", email="")

    with pytest.raises(RuntimeError) as refused:
        _migrate()

    assert "asha.patel@example.gov.uk: a.patel, asha.patel" in str(refused.value)
    assert "no.address" not in str(refused.value)
    second.email = "a.patel@example.gov.uk"
    second.save()
    _migrate()  # two accounts without an address are not a shared one
