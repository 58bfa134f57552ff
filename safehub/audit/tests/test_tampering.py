"""Each tampering from issue 12 §2, played against the test database (a copy: nothing else is touched),
is reported by `verify-audit` with the first bad entry named. The suite runs on SQLite and on
PostgreSQL (DATABASE_URL), so these do too.

The trail: 60 entries by three people, 13 of them one user's views of contacts, checkpointed at
its end. The attacker can write to the database as its owner (drops the triggers first) but holds
neither the audit key nor the checkpoint directory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from safehub.accounts.models import User
from safehub.audit import services
from safehub.audit.chain import ChainReport
from safehub.audit.checkpoints import FILE_NAME
from safehub.audit.keys import AuditKey, _key
from safehub.audit.models import AuditEvent, AuditHead, Verb
from safehub.audit.services import checkpoint_chain, record, verify_chain
from safehub.audit.tests import tampering
from safehub.audit.tests.tampering import UNKEYED

pytestmark = pytest.mark.django_db

WRONG_KEY = _key("an-attackers-guess-at-the-audit-key-0123456789")
ENTRIES = 60
VIEWS = 13


@dataclass(frozen=True)
class Trail:
    viewer: User
    views: list[int]  # the viewer's view events, by seq
    checkpoints: Path


@pytest.fixture
def trail(settings: Any, tmp_path: Path, social_worker: User, manager: User) -> Trail:
    settings.AUDIT_CHECKPOINT_DIR = tmp_path
    views: list[int] = []
    for number in range(ENTRIES):
        if number % 4 == 1 and len(views) < VIEWS:
            views.append(record(Verb.CONTACT_VIEWED, by=social_worker, data={"page": "contact"}).seq)
        elif number % 4 == 3:
            record(Verb.CONTACT_RECORDED, by=manager, data={"n": number})
        else:
            record(Verb.LOGIN_FAILED, system_process="sign-in", data={"username": f"guess{number}"})
    assert len(views) == VIEWS
    assert AuditEvent.objects.count() == ENTRIES
    assert checkpoint_chain().written is not None
    assert verify_chain().intact
    return Trail(social_worker, views, tmp_path)


def _reported(expected_seq: int) -> ChainReport:
    report = verify_chain()
    assert not report.intact
    assert report.broken_at == expected_seq, report.problems
    with pytest.raises(CommandError, match=rf"broken at entry #{expected_seq}:"):
        call_command("verify_audit")
    return report


def _edit(seq: int) -> None:
    tampering.execute("UPDATE audit_auditevent SET data = %s WHERE seq = %s", ['{"username": "someone else"}', seq])


@pytest.mark.parametrize(
    ("key", "claimed_key_id"),
    [
        pytest.param(UNKEYED, None, id="rehashed-unkeyed"),
        pytest.param(WRONG_KEY, None, id="rehashed-with-a-wrong-key"),
        pytest.param(WRONG_KEY, "real", id="rehashed-with-a-wrong-key-claiming-the-real-one"),
    ],
)
def test_an_edit_rehashed_without_the_key_is_reported_at_the_edited_entry(
    trail: Trail, key: AuditKey | None, claimed_key_id: str | None
) -> None:
    real_key_id = AuditEvent.objects.get(seq=20).key_id
    tampering.drop_triggers()
    _edit(20)
    tampering.relink(20, key=key, key_id=real_key_id if claimed_key_id else None)
    report = _reported(20)
    assert "triggers missing" in " ".join(problem.reason for problem in report.problems)


def test_the_whole_chain_rewritten_unkeyed_is_reported_from_where_the_checkpoint_says_signing_began(
    trail: Trail,
) -> None:
    tampering.drop_triggers()
    _edit(20)
    tampering.relink(1, key=None)
    report = _reported(1)
    assert "records the chain signed from #1" in report.reason


def test_deleting_the_last_25_entries_and_rewinding_the_head_is_reported(trail: Trail) -> None:
    tampering.drop_triggers()
    tampering.execute("DELETE FROM audit_auditevent WHERE seq > %s", [ENTRIES - 25])
    tampering.rewind_head()
    report = _reported(ENTRIES - 24)
    assert f"entries #{ENTRIES - 24} to #{ENTRIES} are missing" in report.reason


def test_erasing_one_users_13_views_and_relinking_the_rest_is_reported_at_the_first_view(trail: Trail) -> None:
    tampering.drop_triggers()
    tampering.execute(
        "DELETE FROM audit_auditevent WHERE by_id = %s AND verb = %s", [trail.viewer.pk, "contact_viewed"]
    )
    assert AuditEvent.objects.count() == ENTRIES - VIEWS
    tampering.renumber()
    tampering.relink(trail.views[0], key=None)
    _reported(trail.views[0])


@pytest.mark.parametrize("key", [pytest.param(UNKEYED, id="unkeyed"), pytest.param(WRONG_KEY, id="wrong-key")])
def test_erasing_one_users_views_and_relinking_with_any_key_but_the_real_one_is_reported(
    trail: Trail, key: AuditKey | None
) -> None:
    tampering.drop_triggers()
    tampering.execute(
        "DELETE FROM audit_auditevent WHERE by_id = %s AND verb = %s", [trail.viewer.pk, "contact_viewed"]
    )
    tampering.renumber()
    tampering.relink(trail.views[0], key=key)
    _reported(trail.views[0])


def test_erasing_one_users_views_without_relinking_is_reported_as_a_missing_entry(trail: Trail) -> None:
    tampering.drop_triggers()
    tampering.execute(
        "DELETE FROM audit_auditevent WHERE by_id = %s AND verb = %s", [trail.viewer.pk, "contact_viewed"]
    )
    report = _reported(trail.views[0])
    assert f"entry #{trail.views[0]} is missing" in report.reason


@pytest.mark.parametrize("key", [pytest.param(UNKEYED, id="unkeyed"), pytest.param(WRONG_KEY, id="wrong-key")])
def test_a_forged_entry_appended_to_the_chain_is_reported(trail: Trail, key: AuditKey | None) -> None:
    real_key_id = AuditEvent.objects.get(seq=ENTRIES).key_id
    forged = tampering.append_forged(by_id=trail.viewer.pk, key=key, key_id=real_key_id)
    report = _reported(forged)
    assert "written without the audit key" in report.reason


def test_a_forged_entry_signed_with_another_key_is_reported(trail: Trail) -> None:
    forged = tampering.append_forged(by_id=trail.viewer.pk, key=WRONG_KEY, key_id=WRONG_KEY.id)
    report = _reported(forged)
    assert f"signed with key {WRONG_KEY.id}, which this check was not given" in report.reason


def test_a_forged_entry_that_claims_no_key_is_reported(trail: Trail) -> None:
    forged = tampering.append_forged(by_id=trail.viewer.pk, key=None, key_id=None)
    report = _reported(forged)
    assert "not signed, though the chain is signed from #1" in report.reason


def test_dropped_triggers_alone_are_reported(trail: Trail) -> None:
    tampering.drop_triggers()
    report = verify_chain()
    assert not report.intact
    assert report.broken_at is None
    assert report.reason.startswith("triggers missing: ")
    with pytest.raises(CommandError, match="triggers missing"):
        call_command("verify_audit")


Edit = Callable[[list[str]], list[str]]


@pytest.mark.parametrize(
    ("edit", "reported"),
    [
        pytest.param(
            lambda lines: [lines[0].replace('"seq":60', '"seq":61')], "not signed by the audit key", id="altered"
        ),
        pytest.param(lambda lines: [*lines, "not a checkpoint"], "cannot be read", id="garbled"),
        pytest.param(lambda lines: [lines[1]], "does not follow the line before it", id="a-line-removed"),
    ],
)
def test_a_tampered_checkpoint_file_is_reported(trail: Trail, edit: Edit, reported: str) -> None:
    record(Verb.LOGIN_FAILED, system_process="sign-in", data={"username": "late"})
    assert checkpoint_chain().written is not None
    path = trail.checkpoints / FILE_NAME
    lines = path.read_text().splitlines()
    path.write_text("\n".join(edit(lines)) + "\n")
    report = verify_chain()
    assert not report.intact
    assert reported in report.reason


def test_a_forged_entry_appended_without_moving_the_head_is_reported(trail: Trail) -> None:
    last_hash = AuditEvent.objects.get(seq=ENTRIES).row_hash
    forged = tampering.append_forged(by_id=trail.viewer.pk, key=None, key_id=None)
    tampering.execute("UPDATE audit_audithead SET seq = %s, last_hash = %s WHERE id = 1", [ENTRIES, last_hash])
    report = _reported(forged)
    assert f"beyond the head (#{ENTRIES})" in report.reason


def test_entries_appended_while_the_check_runs_are_not_reported(trail: Trail, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check walks to the head as it was when it started; what is appended after that is sound."""
    head = services._head

    def head_then_someone_appends() -> AuditHead:
        at_start = head()
        record(Verb.LOGIN_FAILED, system_process="sign-in", data={"username": "meanwhile"})
        return at_start

    monkeypatch.setattr(services, "_head", head_then_someone_appends)
    report = verify_chain()
    assert AuditEvent.objects.count() == ENTRIES + 1
    assert report.intact, report.problems
    assert report.checked == ENTRIES
