"""Checkpoints outside the database: written by `checkpoint-audit` and by the worker each round, signed,
each linked to the one before, and never written over a chain that has gone back (ADR 0025)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from safehub.audit.checkpoints import FILE_NAME, read
from safehub.audit.checks import check_audit_key_and_checkpoints
from safehub.audit.keys import keyring, signing_key
from safehub.audit.models import AuditEvent, Verb
from safehub.audit.services import checkpoint_chain, record, verify_chain
from safehub.audit.tests import tampering

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(settings: Any, tmp_path: Path) -> Path:
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return tmp_path / "checkpoints"


def _append(n: int) -> None:
    for i in range(n):
        record(Verb.LOGIN_FAILED, system_process="test", data={"n": i})


def _lines(directory: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (directory / FILE_NAME).read_text().splitlines()]


def test_the_command_writes_where_the_chain_ends_signed(directory: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _append(3)
    call_command("checkpoint_audit")
    assert "checkpointed at #3" in capsys.readouterr().out
    (line,) = _lines(directory)
    last = AuditEvent.objects.get(seq=3)
    assert (line["seq"], line["hash"], line["keyed_from"], line["key"], line["prev"]) == (
        3,
        last.row_hash,
        1,
        signing_key().id,
        "",
    )
    anchors, problems = read(directory, keyring())
    assert problems == []
    assert [anchor.seq for anchor in anchors] == [3]
    assert (directory / FILE_NAME).stat().st_mode & 0o077 == 0  # readable by its owner only


def test_nothing_new_is_written_until_the_chain_moves_on(directory: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _append(2)
    call_command("checkpoint_audit")
    call_command("checkpoint_audit")
    assert "already checkpointed at #2" in capsys.readouterr().out
    _append(1)
    call_command("checkpoint_audit")
    first, second = _lines(directory)
    assert second["seq"] == 3
    assert second["prev"] == first["mac"]


def test_an_empty_trail_has_nothing_to_checkpoint(directory: Path) -> None:
    assert checkpoint_chain().written is None
    assert not (directory / FILE_NAME).read_text()


def test_a_chain_that_went_back_is_not_checkpointed_again(directory: Path) -> None:
    _append(5)
    checkpoint_chain()
    tampering.drop_triggers()
    tampering.execute("DELETE FROM audit_auditevent WHERE seq > %s", [2])
    tampering.rewind_head()
    with pytest.raises(CommandError, match=r"the chain ends at #2, which is not after the last checkpoint \(#5\)"):
        call_command("checkpoint_audit")
    assert len(_lines(directory)) == 1


def test_without_a_directory_the_command_says_which_setting(settings: Any) -> None:
    settings.AUDIT_CHECKPOINT_DIR = None
    with pytest.raises(ImproperlyConfigured, match="Set SAFEHUB_AUDIT_CHECKPOINT_DIR"):
        call_command("checkpoint_audit")


def test_the_worker_checkpoints_each_round_after_its_alerts(
    directory: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _append(2)
    call_command("run_worker", "--once")
    _append(1)
    call_command("run_worker", "--once")
    assert [line["seq"] for line in _lines(directory)] == [2, 3]
    assert verify_chain().checkpoints == 2
    assert capsys.readouterr().err == ""


def test_the_worker_says_when_the_chain_has_gone_back_and_carries_on(
    directory: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _append(3)
    call_command("run_worker", "--once")
    tampering.drop_triggers()
    tampering.execute("DELETE FROM audit_auditevent WHERE seq = %s", [3])
    tampering.rewind_head()
    call_command("run_worker", "--once")
    assert "audit not checkpointed: the chain ends at #2" in capsys.readouterr().err
    assert len(_lines(directory)) == 1


def test_the_worker_without_a_directory_writes_no_checkpoint(settings: Any, tmp_path: Path) -> None:
    settings.AUDIT_CHECKPOINT_DIR = None
    _append(1)
    call_command("run_worker", "--once")
    assert list(tmp_path.iterdir()) == []


def test_verify_audit_names_the_checkpoints_it_checked(directory: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _append(2)
    checkpoint_chain()
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "intact: 2 entries checked, signed from #1, against 1 checkpoints (the latest at #2, " in out


def test_verify_audit_checks_another_directory_when_told(
    directory: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _append(4)
    checkpoint_chain(checkpoint_dir=tmp_path / "elsewhere")
    tampering.drop_triggers()
    tampering.execute("DELETE FROM audit_auditevent WHERE seq = %s", [4])
    tampering.rewind_head()
    tampering.restore_triggers()
    call_command("verify_audit", "--checkpoint-dir", str(directory))  # no checkpoints there: not detectable
    with pytest.raises(CommandError, match="broken at entry #4: entries #4 to #4 are missing"):
        call_command("verify_audit", "--checkpoint-dir", str(tmp_path / "elsewhere"))


def test_a_deployment_without_the_key_or_a_checkpoint_directory_fails_its_checks(settings: Any) -> None:
    settings.AUDIT_KEYS = ()
    settings.AUDIT_CHECKPOINT_DIR = None
    assert [message.id for message in check_audit_key_and_checkpoints(None)] == ["safehub.E002", "safehub.E003"]


def test_a_deployment_with_both_passes_its_checks(directory: Path) -> None:
    assert check_audit_key_and_checkpoints(None) == []


def test_a_directory_that_cannot_be_written_is_a_clear_message(settings: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.AUDIT_CHECKPOINT_DIR = blocker / "checkpoints"
    _append(1)
    with pytest.raises(CommandError, match="The checkpoint could not be written: Not a directory"):
        call_command("checkpoint_audit")
