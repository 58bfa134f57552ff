"""One account per email address: a database that already breaks the rule stops at the migration
that brings it in, naming the accounts, and migrates once an administrator has changed one.

On a scratch database migrated only as far as the rule needs (the accounts' first migration and what
it depends on): rolling the whole test database back past the rule and forward again re-renders
every app's models twice, a minute or more for the same test."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db.migrations.executor import MigrationExecutor

from safehub.core.tests.scratch import scratch_connection

BEFORE_THE_RULE = ("accounts", "0001_initial")
THE_RULE = ("accounts", "0002_user_email_unique_ignoring_case")


def test_accounts_sharing_an_address_are_named_before_the_rule_comes_in(db: None, tmp_path: Path) -> None:
    with scratch_connection(tmp_path) as scratch:
        executor = MigrationExecutor(scratch)
        executor.migrate([BEFORE_THE_RULE])
        OldUser = executor.loader.project_state(BEFORE_THE_RULE).apps.get_model("accounts", "User")  # noqa: N806
        users = OldUser.objects.using(scratch.alias)
        users.create(username="asha.patel", email="asha.patel@example.gov.uk")
        second = users.create(username="a.patel", email="Asha.Patel@example.gov.uk")
        users.create(username="no.address.one", email="")
        users.create(username="no.address.two", email="")

        with pytest.raises(RuntimeError) as refused:
            MigrationExecutor(scratch).migrate([THE_RULE])

        assert "asha.patel@example.gov.uk: a.patel, asha.patel" in str(refused.value)
        assert "no.address" not in str(refused.value)
        assert MigrationExecutor(scratch).loader.applied_migrations.keys() >= {BEFORE_THE_RULE}
        assert THE_RULE not in MigrationExecutor(scratch).loader.applied_migrations
        second.email = "a.patel@example.gov.uk"
        second.save(using=scratch.alias)
        MigrationExecutor(scratch).migrate([THE_RULE])  # two accounts without an address are not a shared one
        assert THE_RULE in MigrationExecutor(scratch).loader.applied_migrations
