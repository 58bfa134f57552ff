"""The chain's key: every entry is signed with it, entries from before keying still verify, keys can be
rotated, and a missing or weak key is one clear line (ADR 0025)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from safehub.audit.chain import canonical, link_hash
from safehub.audit.keys import _key, keyring, signing_key
from safehub.audit.models import AuditEvent, Verb
from safehub.audit.services import record, verify_chain
from safehub.audit.tests import tampering

TEST_KEY = os.environ["SAFEHUB_AUDIT_KEY"]
NEW_KEY = "a-newer-audit-key-after-rotation-0123456789abcdef"
SAFEHUB = Path(sys.executable).with_name("safehub")
ROOT = Path(__file__).resolve().parents[3]


def _append(n: int) -> list[AuditEvent]:
    return [record(Verb.LOGIN_FAILED, system_process="test", data={"n": i}) for i in range(n)]


@pytest.mark.django_db
def test_an_entry_is_signed_with_the_audit_key_and_names_it() -> None:
    (event,) = _append(1)
    key = signing_key()
    assert event.key_id == key.id
    body = canonical(
        seq=event.seq,
        at=event.at,
        verb=event.verb,
        by_id=None,
        system_process="test",
        contact_id=None,
        person_id=None,
        data={"n": 0},
        key_id=key.id,
    )
    assert event.row_hash == link_hash(event.prev_hash, body, key)
    assert event.row_hash != hashlib.sha256((event.prev_hash + body).encode()).hexdigest()


def test_a_key_id_names_the_key_without_revealing_it() -> None:
    key = _key(TEST_KEY)
    assert len(key.id) == 12
    assert key.id not in TEST_KEY
    assert _key(NEW_KEY).id != key.id
    assert TEST_KEY not in repr(key)


@pytest.mark.django_db
def test_entries_written_before_the_chain_was_keyed_still_verify(capsys: pytest.CaptureFixture[str]) -> None:
    _append(5)
    # As a database from before keying holds them: no key id, plain SHA-256 links (no row is rewritten by
    # the upgrade; here the test writes them so).
    tampering.drop_triggers()
    tampering.relink(1, key=None)
    tampering.restore_triggers()
    assert not AuditEvent.objects.filter(key_id__isnull=False).exists()

    _append(3)

    report = verify_chain()
    assert report.intact, report.problems
    assert report.keyed_from == 6
    call_command("verify_audit")
    assert "intact: 8 entries checked, signed from #6" in capsys.readouterr().out


@pytest.mark.django_db
def test_after_a_rotation_both_keys_verify_and_the_new_one_signs(settings: Any) -> None:
    old = _append(2)
    settings.AUDIT_KEYS = (NEW_KEY, TEST_KEY)
    new = _append(2)
    assert {event.key_id for event in old} == {_key(TEST_KEY).id}
    assert {event.key_id for event in new} == {_key(NEW_KEY).id}
    assert set(keyring()) == {_key(TEST_KEY).id, _key(NEW_KEY).id}
    assert verify_chain().intact


@pytest.mark.django_db
def test_without_the_earlier_key_its_entries_are_reported_not_passed(settings: Any) -> None:
    (first,) = _append(1)
    settings.AUDIT_KEYS = (NEW_KEY,)
    _append(1)
    report = verify_chain()
    assert report.broken_at == first.seq
    assert f"signed with key {_key(TEST_KEY).id}, which this check was not given" in report.reason


@pytest.mark.django_db
def test_nothing_is_written_to_the_trail_without_a_key(settings: Any) -> None:
    settings.AUDIT_KEYS = ()
    with pytest.raises(ImproperlyConfigured, match="Set SAFEHUB_AUDIT_KEY"):
        _append(1)
    with pytest.raises(ImproperlyConfigured, match="Set SAFEHUB_AUDIT_KEY"):
        call_command("verify_audit")


def _safehub(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    unset = {"SAFEHUB_TESTING", "SAFEHUB_AUDIT_KEY", "SAFEHUB_AUDIT_KEY_FILE", "DJANGO_SETTINGS_MODULE"}
    environment = {name: value for name, value in os.environ.items() if name not in unset}
    return subprocess.run(  # noqa: S603 - our own program and fixed arguments
        [str(SAFEHUB), *args],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_verify_audit_without_the_key_is_one_line(tmp_path: Path) -> None:
    result = _safehub("verify-audit", DATABASE_URL=f"sqlite:///{tmp_path / 'none.sqlite3'}")
    assert result.returncode == 1
    assert result.stderr == (
        "safehub: Set SAFEHUB_AUDIT_KEY (or SAFEHUB_AUDIT_KEY_FILE): the audit trail is signed and checked with it.\n"
    )


def test_serving_without_the_audit_key_is_refused_in_one_line() -> None:
    result = _safehub("runserver", "127.0.0.1:1", "--noreload", SECRET_KEY="x" * 50, ALLOWED_HOSTS="127.0.0.1")
    assert result.returncode == 1
    assert result.stderr.startswith("safehub: Set SAFEHUB_AUDIT_KEY (or SAFEHUB_AUDIT_KEY_FILE) to serve Safehub")
    assert result.stderr.count("\n") == 1


def test_a_short_key_is_refused_in_one_line(tmp_path: Path) -> None:
    key_file = tmp_path / "audit.key"
    key_file.write_text("too-short\n")
    result = _safehub("verify-audit", SAFEHUB_AUDIT_KEY_FILE=str(key_file))
    assert result.returncode == 1
    assert result.stderr.startswith("safehub: SAFEHUB_AUDIT_KEY must be at least 32 characters")
    assert result.stderr.count("\n") == 1


def test_a_key_file_holds_the_signing_key_first_then_earlier_ones(tmp_path: Path) -> None:
    key_file = tmp_path / "audit.key"
    key_file.write_text(f"# rotated 2026-12-06\n{NEW_KEY}\n\n{TEST_KEY}\n")
    script = "from django.conf import settings; print(len(settings.AUDIT_KEYS), settings.AUDIT_KEYS[0][:12])"
    result = _safehub("shell", "-c", script, SAFEHUB_AUDIT_KEY_FILE=str(key_file))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"2 {NEW_KEY[:12]}"
