"""The template text check finds where reformatting a template would change what a page shows."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_template_text.py"


@pytest.fixture(scope="module")
def check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_template_text", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _kinds(check: ModuleType, before: str, after: str) -> list[str]:
    return [finding.kind for finding in check.compare(Path("t.html"), before, after)]


def test_a_line_break_before_punctuation_after_a_tag_is_found(check: ModuleType) -> None:
    before = "<caption>{{ n }} waiting{% if late %}, {{ late }} overdue{% endif %}; soonest first</caption>"
    after = "<caption>{{ n }} waiting\n  {% if late %}, {{ late }} overdue{% endif %}\n  ; soonest first\n</caption>"

    assert _kinds(check, before, after) == ["whitespace inserted"] * 3  # into the branch, after it, past it


def test_whitespace_beside_block_tags_and_moved_round_silent_tags_is_not(check: ModuleType) -> None:
    before = "<ul><li>One{% if more %} and more{% endif %}</li></ul>"
    after = "<ul>\n  <li>\n    One\n    {% if more %}and more{% endif %}\n  </li>\n</ul>"

    assert _kinds(check, before, after) == []


def test_a_branch_not_taken_is_followed_too(check: ModuleType) -> None:
    # "a c" when the branch is skipped becomes "ac"
    assert _kinds(check, "<p>a {% if x %}b{% endif %}c</p>", "<p>a{% if x %} b{% endif %}c</p>") == [
        "whitespace removed"
    ]


def test_line_breaks_inside_pre_and_pre_line_text_are_found(check: ModuleType) -> None:
    assert (
        _kinds(check, "<pre>{{ x }}</pre>", "<pre>\n  {{ x }}\n</pre>")
        == ["whitespace changed inside <pre>/<textarea>"] * 2
    )
    kept = '<dd class="app-preserve-lines">{{ x }}</dd>'
    assert len(_kinds(check, kept, '<dd class="app-preserve-lines">\n  {{ x }}\n</dd>')) == 2
    assert (
        _kinds(
            check,
            '<dd><span class="app-preserve-lines">{{ x }}</span></dd>',
            '<dd>\n  <span class="app-preserve-lines">{{ x }}</span>\n</dd>',
        )
        == []
    )


def test_attribute_values_count_but_the_space_between_attributes_does_not(check: ModuleType) -> None:
    assert _kinds(check, '<a href="x" class="y">z</a>', '<a href="x"\n   class="y">z</a>') == []
    assert _kinds(check, '<a title="{{ a }}{{ b }}">z</a>', '<a title="{{ a }}\n {{ b }}">z</a>') == [
        "whitespace changed inside an attribute value"
    ]


def test_the_project_templates_reformat_without_changing_their_text(check: ModuleType) -> None:
    assert check.check([SCRIPT.parent.parent / "safehub"]) == []
