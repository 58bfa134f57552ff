"""Each clock of the shipped profiles against its seed: the time the seed sets, with the seed's
sentence quoted in the row's note, or a note that says it is a local default (the seed is silent).
A hub installed by the migrations, a hub installed afresh from profiles.py, and a hub corrected by
protocols 0007 hold the same rows."""

from __future__ import annotations

import importlib
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps

from safehub.protocols.models import Clock, LocalProtocol
from safehub.protocols.profiles import PROFILES
from safehub.protocols.services import load_seed_profiles

pytestmark = pytest.mark.django_db

H, WH, WD, DAY_END = "elapsed_hours", "working_hours", "working_days", "working_day_end"
LOCAL = None  # the seed sets no time: the note says "Local default"

# (clock, rating, agency, amount, unit, the seed's words the note quotes)
Row = tuple[Clock, str, str, int, str, str | None]
# Every profile's local defaults where no seed sets a time: a referrer seeking consent (002 §19), and
# the three levels of information request (000 sets the levels, not their times).
LOCAL_DEFAULTS: list[Row] = [
    (Clock.CONSENT_SOUGHT, "", "", 2, WD, LOCAL),
    (Clock.INFORMATION_REQUEST_1, "", "", 1, WD, LOCAL),
    (Clock.INFORMATION_REQUEST_2, "", "", 10, WD, LOCAL),
    (Clock.INFORMATION_REQUEST_3, "", "", 20, WD, LOCAL),
]

BEXLEY: list[Row] = [  # 002, the Bexley MASH Operational Practice Framework
    (Clock.SCREENING, "", "", 4, WH, LOCAL),
    (Clock.SCREENING, "red", "", 1, H, LOCAL),
    (
        Clock.DECISION,
        "",
        "",
        24,
        H,
        "The MASH social worker will make a referral to the Family Wellbeing service (Within 24 hours)",
    ),
    (Clock.DECISION, "red", "", 4, H, LOCAL),
    (Clock.OUTCOME_TO_REFERRER, "", "", 48, H, "with the person making contact with the MASH, within 48 hours"),
    (
        Clock.CONSULTATION_SUMMARY,
        "",
        "",
        48,
        H,
        "a copy sent to the person who sought the consultation, within 48 hours",
    ),
    (Clock.MASH_CHECKS, "", "", 1, WD, "other MASH checks must be completed within 1 working day"),
    (Clock.MASH_CHECKS, "red", "", 4, H, "High-risk MASH checks will be completed within a maximum of 4 hours"),
    (Clock.STRATEGY_DISCUSSION, "", "", 4, H, LOCAL),
    (Clock.STRATEGY_EXCEPTION, "", "", 24, H, LOCAL),
    (Clock.STRATEGY_RECORD, "", "", 1, WD, LOCAL),
    *LOCAL_DEFAULTS,
]
BIRMINGHAM: list[Row] = [  # 000, the Birmingham CASS/MASH protocol
    (Clock.SCREENING, "", "", 4, WH, LOCAL),
    (Clock.SCREENING, "red", "", 1, H, LOCAL),
    (Clock.DECISION, "", "", 24, H, "There is a 24-hour timescale set for all enquires to have clear decisions"),
    (Clock.DECISION, "red", "", 4, H, LOCAL),
    (Clock.OUTCOME_TO_REFERRER, "", "", 1, WD, LOCAL),
    (Clock.CONSULTATION_SUMMARY, "", "", 2, WD, LOCAL),
    (Clock.MASH_CHECKS, "", "", 1, DAY_END, "Same day responses are required from partners"),
    (Clock.MASH_CHECKS, "red", "", 4, H, LOCAL),
    (
        Clock.STRATEGY_DISCUSSION,
        "",
        "",
        24,
        H,
        "MASH aim to respond to all strategy meetings within 24 hours unless there is a clear risk assessment",
    ),
    (
        Clock.STRATEGY_EXCEPTION,
        "",
        "",
        72,
        H,
        "unless there is a clear risk assessment that allows for up to 72-hour exception",
    ),
    (Clock.STRATEGY_RECORD, "", "", 1, WD, LOCAL),
    *LOCAL_DEFAULTS,
]
SEFTON: list[Row] = [  # 003, the Sefton MASH information sharing agreement
    (Clock.SCREENING, "", "", 4, WH, LOCAL),
    (Clock.SCREENING, "red", "", 1, H, LOCAL),
    (Clock.THRESHOLD_DECISION, "", "", 1, WD, LOCAL),
    (Clock.APPROVAL, "", "", 1, WD, LOCAL),
    (Clock.DECISION, "red", "", 4, H, LOCAL),
    (
        Clock.OUTCOME_TO_REFERRER,
        "",
        "",
        1,
        WD,
        "they will inform the referrer of their decision by letter or telephone within 1 working day",
    ),
    (Clock.CONSULTATION_SUMMARY, "", "", 2, WD, LOCAL),
    (Clock.MASH_CHECKS, "", "", 1, WD, LOCAL),
    (Clock.MASH_CHECKS, "red", "", 4, H, LOCAL),
    (Clock.STRATEGY_DISCUSSION, "", "", 24, H, LOCAL),
    (Clock.STRATEGY_EXCEPTION, "", "", 72, H, LOCAL),
    (Clock.STRATEGY_RECORD, "", "", 1, WD, LOCAL),
    *LOCAL_DEFAULTS,
    (
        Clock.PHONE_AGENCY,
        "",
        "gp_practice",
        24,
        WH,
        "it is expected that MASH will also telephone GP surgeries if information is required within less than"
        " 24 working hours",
    ),
]
WALSALL: list[Row] = [  # 004, the Walsall MASH scrutiny report
    (Clock.SCREENING, "", "", 4, WH, LOCAL),
    (Clock.SCREENING, "red", "", 1, H, LOCAL),
    (Clock.THRESHOLD_DECISION, "", "", 1, WD, LOCAL),
    (Clock.APPROVAL, "", "", 1, WD, LOCAL),
    (
        Clock.DECISION,
        "red",
        "",
        2,
        H,
        "The agreed standard for the Walsall MASH to progress a child protection concern is within a maximum of 2 hours",
    ),
    (Clock.OUTCOME_TO_REFERRER, "", "", 2, WD, LOCAL),
    (Clock.CONSULTATION_SUMMARY, "", "", 2, WD, LOCAL),
    (Clock.MASH_CHECKS, "", "", 1, WD, LOCAL),
    (
        Clock.MASH_CHECKS,
        "",
        "health",
        1,
        H,
        "there is agreement for the sharing of health information requests to be made within one hour",
    ),
    (
        Clock.STRATEGY_DISCUSSION,
        "",
        "",
        2,
        H,
        "The agreed standard for the Walsall MASH to progress a child protection concern is within a maximum of 2 hours",
    ),
    (
        Clock.STRATEGY_FROM_RECEIPT,
        "",
        "",
        2,
        H,
        "The agreed standard for the Walsall MASH to progress a child protection concern is within a maximum of 2 hours",
    ),
    (Clock.STRATEGY_RECORD, "", "", 1, WD, LOCAL),
    *LOCAL_DEFAULTS,
]
APPROVERS = {
    "bexley": {"team_manager", "senior_practitioner"},  # 002 roles table: both are decision makers
    "birmingham": {"team_manager"},
    "sefton": {"team_manager"},
    "walsall": {"team_manager"},  # 004 §5, §7: 'approved by a manager'
}


def _rows(slug: str) -> dict[tuple[str, str, str], tuple[Decimal, str, str]]:
    protocol = LocalProtocol.objects.get(slug=slug)
    return {(t.clock, t.rating, t.agency): (t.amount, t.unit, t.note) for t in protocol.timescales.all()}


def _check(slug: str, expected: list[Row]) -> None:
    rows = _rows(slug)
    assert set(rows) == {(clock, rating, agency) for clock, rating, agency, *_ in expected}
    for clock, rating, agency, amount, unit, quote in expected:
        shipped_amount, shipped_unit, note = rows[(clock, rating, agency)]
        where = f"{slug} {clock} {rating or 'any'} {agency}"
        assert (shipped_amount, shipped_unit) == (Decimal(amount), unit), where
        if quote is LOCAL:
            assert note.startswith("Local default"), where
        else:
            assert quote in note, where
            assert not note.startswith("Local default"), where
    assert set(LocalProtocol.objects.get(slug=slug).approver_roles) == APPROVERS[slug]


def test_bexleys_clocks_are_002s() -> None:
    _check("bexley", BEXLEY)


def test_birminghams_clocks_are_000s() -> None:
    _check("birmingham", BIRMINGHAM)


def test_seftons_clocks_are_003s() -> None:
    _check("sefton", SEFTON)


def test_walsalls_clocks_are_004s() -> None:
    _check("walsall", WALSALL)


def _snapshot() -> dict[str, Any]:
    return {
        p.slug: (
            p.name,
            p.approver_roles,
            p.always_checked_agencies,
            p.checks_without_consent,
            p.early_help_criteria,
            p.daily_meeting,
            p.three_month_rule,
            [(level.order, level.code, level.label) for level in p.levels.all()],
            _rows(p.slug),
        )
        for p in LocalProtocol.objects.all()
    }


def test_a_fresh_install_from_the_profiles_is_the_migrated_one() -> None:
    migrated = _snapshot()
    LocalProtocol.objects.all().delete()

    load_seed_profiles()

    assert _snapshot() == migrated
    assert {p["slug"] for p in PROFILES} == set(migrated)


def _migration() -> Any:
    return importlib.import_module("safehub.protocols.migrations.0007_clocks_as_the_seeds_write_them")


def test_the_migration_corrects_a_hub_installed_before_it() -> None:
    migration = _migration()
    fresh = _snapshot()
    migration.backwards(apps, None)  # the rows as shipped before
    LocalProtocol.objects.update(approver_roles=["team_manager"])  # the new column's default
    assert _rows("birmingham")[("approval", "", "")][:2] == (Decimal(24), H)  # 24 hours, after 24 more

    migration.forwards(apps, None)

    assert _snapshot() == fresh


def test_the_migration_leaves_what_an_administrator_changed() -> None:
    migration = _migration()
    migration.backwards(apps, None)
    birmingham = LocalProtocol.objects.get(slug="birmingham")
    birmingham.timescales.filter(clock="approval", rating="").update(amount=12)
    birmingham.timescales.filter(clock="mash_checks", rating="red").delete()
    LocalProtocol.objects.filter(slug="bexley").update(approver_roles=["team_manager"])
    LocalProtocol.objects.filter(slug="walsall").update(approver_roles=["senior_practitioner"])

    migration.forwards(apps, None)

    rows = _rows("birmingham")
    assert rows[("approval", "", "")][0] == 12  # edited: kept, and it runs alongside the overall clock
    assert ("mash_checks", "red", "") not in rows  # removed: not brought back
    assert rows[("decision", "", "")][:2] == (Decimal(24), H)
    assert ("threshold_decision", "", "") not in rows
    assert LocalProtocol.objects.get(slug="bexley").approver_roles == ["team_manager", "senior_practitioner"]
    assert LocalProtocol.objects.get(slug="walsall").approver_roles == ["senior_practitioner"]


# Protocols 0015: the corrections each to its seed, made where a hub still holds what was shipped before.
def _seed_corrections() -> Any:
    return importlib.import_module("safehub.protocols.migrations.0016_seed_corrections")


def test_birmingham_shares_for_checks_with_or_without_consent_and_no_other_hub_does() -> None:
    # 000, Data and Information Sharing: "Information is shared initially within CASS with or without consent".
    assert {p.slug: p.checks_without_consent for p in LocalProtocol.objects.all()} == {
        "bexley": False,
        "birmingham": True,
        "sefton": False,
        "walsall": False,
    }


def test_seftons_always_checked_agencies_are_parties_to_its_agreement() -> None:
    # 003 §1.2 names the parties: the police, health trusts and GP surgeries, early help, probation, adult and
    # children's social care; education is not one of them.
    assert LocalProtocol.objects.get(slug="sefton").always_checked_agencies == ["police", "health"]


def test_the_seed_corrections_reach_a_hub_installed_before_them() -> None:
    migration = _seed_corrections()
    fresh = _snapshot()
    migration.backwards(apps, None)  # as shipped before
    LocalProtocol.objects.update(checks_without_consent=False)  # the new column's default
    assert _rows("birmingham")[("mash_checks", "", "")][:2] == (Decimal(8), WH)
    assert LocalProtocol.objects.get(slug="sefton").always_checked_agencies == ["police", "health", "education"]
    assert ("strategy_from_receipt", "", "") not in _rows("walsall")

    migration.forwards(apps, None)

    assert _snapshot() == fresh


def test_the_seed_corrections_leave_what_an_administrator_changed() -> None:
    migration = _seed_corrections()
    migration.backwards(apps, None)
    birmingham = LocalProtocol.objects.get(slug="birmingham")
    birmingham.timescales.filter(clock="mash_checks", rating="").update(amount=6)
    LocalProtocol.objects.filter(slug="sefton").update(always_checked_agencies=["police", "education", "gp_practice"])

    migration.forwards(apps, None)

    assert _rows("birmingham")[("mash_checks", "", "")][:2] == (Decimal(6), WH)  # edited: kept
    assert LocalProtocol.objects.get(slug="sefton").always_checked_agencies == ["police", "education", "gp_practice"]
