"""Role-named users and clients, and a pinned clock, for the whole suite."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from pytest_django.plugin import blocking_manager_key

from safehub.accounts.models import AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditHead
from safehub.audit.triggers import set_purge_allowed
from safehub.core.tests import migrated_template
from safehub.domestic_abuse.checklist import install as install_dash_questions
from safehub.domestic_abuse.models import DashQuestion
from safehub.letters.defaults import install as install_letter_templates
from safehub.letters.models import Template as LetterTemplate
from safehub.letters.models import TemplateVersion
from safehub.mfa.testing import sign_in_both_steps
from safehub.protocols.services import load_seed_profiles
from safehub.signin.lockout import forget_throttled_clients, record_failure

pytest_plugins = ["safehub.core.tests.fake_notify"]

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)  # a Tuesday


DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_configure(config: pytest.Config) -> None:
    """The run's id, chosen here rather than by pytest-xdist when it starts its workers, so that this
    process knows which migrated template (core.tests.migrated_template) to drop at the end."""
    if not hasattr(config, "workerinput") and getattr(config.option, "testrunuid", "") is None:
        config.option.testrunuid = uuid.uuid4().hex


def pytest_unconfigure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return
    with suppress(psycopg.Error):  # PostgreSQL gone: a later run drops the template once it is stale
        migrated_template.drop_template(settings.DATABASES[DEFAULT_DB_ALIAS], migrated_template.run_id(config))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, django_db_keepdb: bool, request: pytest.FixtureRequest
) -> None:
    """On PostgreSQL, each test database is a copy of the run's migrated template, made once for the run
    (core.tests.migrated_template), rather than migrated from nothing by each worker."""
    database = settings.DATABASES[DEFAULT_DB_ALIAS]
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql" and not django_db_keepdb:
        template = migrated_template.ensure_template(database, migrated_template.run_id(request.config))
        database.setdefault("TEST", {})["TEMPLATE"] = template


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked `database_independent` is left out of .ci/run's PostgreSQL pass, so it must
    not touch the database: one that does is an error here, not a test that quietly stops running."""
    for item in items:
        if item.get_closest_marker("database_independent") is None:
            continue
        if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
            raise pytest.UsageError(f"{item.nodeid} is marked database_independent but uses the database")


def _is_transactional(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.fixture(autouse=True)
def _audit_purge_for_transactional_tests(request: pytest.FixtureRequest) -> None:
    """Transactional tests empty every table at teardown; only they may empty the audit tables."""
    if _is_transactional(request.node):
        request.getfixturevalue("transactional_db")
        # The connection itself, not the `django.db.connection` proxy: SQLite keys the flag by its id.
        set_purge_allowed(connections[DEFAULT_DB_ALIAS], allowed=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """A transactional test's teardown empties every table, including what the migrations wrote
    (the audit head, the seed hubs' protocols, the DASH checklist, the letters' templates). Put that back at once, so that the next test finds
    the database as migrated whichever test it is: with several workers, transactional tests are
    not all at the end of a worker's run."""
    yield
    # After the last test the test database itself is gone (nextitem is None): nothing to put back.
    if _is_transactional(item) and nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
            AuditHead.objects.get_or_create(pk=1)
            load_seed_profiles()
            install_dash_questions(DashQuestion)
            install_letter_templates(LetterTemplate, TemplateVersion)
            set_purge_allowed(connections[DEFAULT_DB_ALIAS], allowed=False)


@pytest.fixture(autouse=True)
def _forget_throttled_sign_in_clients() -> Iterator[None]:
    """The sign-in throttle remembers refused clients in the process, beyond the rolled-back database:
    one test's wrong passwords must not refuse the next test's sign-in."""
    yield
    forget_throttled_clients()


@pytest.fixture
def now(time_machine: Any) -> dt.datetime:
    """Pin the clock at Tuesday 24 November 2026, 10:00 UTC."""
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def mash_team(db: None) -> Team:
    return TeamFactory()


@pytest.fixture
def other_team(db: None) -> Team:
    return TeamFactory(name="Another MASH team")


def _user(role: Role, team: Team, username: str) -> User:
    return user_with_role(role, team=team, username=username)


@pytest.fixture
def contact_officer(mash_team: Team) -> User:
    return _user(Role.CONTACT_OFFICER, mash_team, "contact.officer")


@pytest.fixture
def social_worker(mash_team: Team) -> User:
    return _user(Role.SOCIAL_WORKER, mash_team, "social.worker")


@pytest.fixture
def senior_practitioner(mash_team: Team) -> User:
    return _user(Role.SENIOR_PRACTITIONER, mash_team, "senior.practitioner")


@pytest.fixture
def manager(mash_team: Team) -> User:
    return _user(Role.TEAM_MANAGER, mash_team, "team.manager")


@pytest.fixture
def second_manager(mash_team: Team) -> User:
    return _user(Role.TEAM_MANAGER, mash_team, "second.manager")


@pytest.fixture
def strategy_coordinator(mash_team: Team) -> User:
    return _user(Role.STRATEGY_COORDINATOR, mash_team, "strategy.coordinator")


@pytest.fixture
def performance_lead(mash_team: Team) -> User:
    return _user(Role.PERFORMANCE_LEAD, mash_team, "performance.lead")


@pytest.fixture
def data_protection_officer(mash_team: Team) -> User:
    return _user(Role.DATA_PROTECTION_OFFICER, mash_team, "data.protection")


@pytest.fixture
def administrator(mash_team: Team) -> User:
    return _user(Role.ADMINISTRATOR, mash_team, "administrator")


@pytest.fixture
def police_partner(db: None) -> User:
    police = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    return _user(Role.PARTNER_PROFESSIONAL, TeamFactory(name="Public protection desk", agency=police), "police.partner")


@pytest.fixture
def other_team_social_worker(other_team: Team) -> User:
    return _user(Role.SOCIAL_WORKER, other_team, "other.social.worker")


@pytest.fixture
def locked_out_social_worker(social_worker: User, now: dt.datetime, settings: Any) -> User:
    """The social worker, their account locked by two failed sign-ins (the limit set to 2)."""
    settings.SIGN_IN_LOCKOUT_FAILURES = 2
    for _ in range(2):
        record_failure(social_worker.username, client="192.0.2.10", at=now)
    return social_worker


def _client_for(user: User) -> Client:
    return sign_in_both_steps(Client(), user)


@pytest.fixture
def contact_officer_client(contact_officer: User) -> Client:
    return _client_for(contact_officer)


@pytest.fixture
def social_worker_client(social_worker: User) -> Client:
    return _client_for(social_worker)


@pytest.fixture
def manager_client(manager: User) -> Client:
    return _client_for(manager)


@pytest.fixture
def police_partner_client(police_partner: User) -> Client:
    return _client_for(police_partner)


@pytest.fixture
def data_protection_officer_client(data_protection_officer: User) -> Client:
    return _client_for(data_protection_officer)


@pytest.fixture
def administrator_client(administrator: User) -> Client:
    return _client_for(administrator)


ROLE_FIXTURES = {
    Role.CONTACT_OFFICER: "contact_officer",
    Role.SOCIAL_WORKER: "social_worker",
    Role.SENIOR_PRACTITIONER: "senior_practitioner",
    Role.TEAM_MANAGER: "manager",
    Role.PARTNER_PROFESSIONAL: "police_partner",
    Role.STRATEGY_COORDINATOR: "strategy_coordinator",
    Role.PERFORMANCE_LEAD: "performance_lead",
    Role.DATA_PROTECTION_OFFICER: "data_protection_officer",
    Role.ADMINISTRATOR: "administrator",
}


@pytest.fixture
def client_for_role(request: pytest.FixtureRequest) -> Any:
    """`client_for_role(Role.X)` gives a logged-in client for that role (for permission matrices)."""

    def make(role: Role) -> Client:
        user: User = request.getfixturevalue(ROLE_FIXTURES[role])
        return _client_for(user)

    return make
