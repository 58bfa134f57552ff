"""The scoped-query lint protects every model that holds or points at a child's record."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_scoped_queries.py"


@pytest.fixture(scope="module")
def lint() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_scoped_queries", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_protected_models_are_derived_from_the_foreign_keys(lint: ModuleType) -> None:
    protected = lint.protected_models()
    # The checks and matching models, which a hand-kept list missed, point at a contact or a person.
    for name in ("MashChecks", "AgencyRequest", "AgencyResponse", "Disclosure", "Alert"):
        assert name in protected
    for name in ("DuplicatePair", "Merge", "PersonIndexEntry", "BlockingKey"):
        assert name in protected
    assert {"Contact", "Person", "Consultation", "AuditEvent", "Screening"} <= protected
    assert "LocalProtocol" not in protected
    assert "Team" not in protected


def test_an_unscoped_read_in_a_view_is_reported(lint: ModuleType, tmp_path: Path) -> None:
    view = tmp_path / "views.py"
    view.write_text(
        "def page(request, pk):\n"
        "    alerts = Alert.objects.filter(pk=pk)\n"
        "    mine = Alert.objects.visible_to(request.user)\n"
        "    checks = get_object_or_404(MashChecks, pk=pk)\n"
        "    protocol = LocalProtocol.objects.get(pk=pk)\n",
        encoding="utf-8",
    )
    problems = lint.problems_in(view, {"Alert", "MashChecks"})
    assert sorted(problem.split(": ", 1)[1] for problem in problems) == [
        "Alert.objects used without .visible_to(user)",
        "get_object_or_404(MashChecks) bypasses get_<noun>_for",
    ]


def test_the_views_read_through_scoped_entry_points(lint: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SCRIPT.parent.parent)
    assert lint.main() == 0
