"""The template text check finds where reformatting a template would change what a page shows."""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django import forms
from django.apps import apps

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


# What the pages say to their users ------------------------------------------------------------

SAFEHUB = SCRIPT.parent.parent / "safehub"
# A citation of the seed protocols or our own documents ("002 §16", "003 App. 5", "ADR 0008",
# "docs/adr/…"): it belongs in a code comment, never in what a user reads.
DOCUMENT_REFERENCE = re.compile(r"\b00\d\s*(§|App)|§\s*\d|\bADR\s*\d|docs/")
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)
# Every page shows days and times with the `day` and `day_time` filters (core.templatetags.shown),
# never a `date` format of its own; the audit trail shows seconds and a report its months.
# A report's months ("November 2026") are the one other format: a month, not a day.
OWN_DATE_FORMATS = {
    "audit/events.html": 'date:"j M Y, H:i:s"',
    "reports/checks_timeliness.html": 'date:"F Y"',
    "reports/strategy_timeliness.html": 'date:"F Y"',
    "reports/consent.html": 'date:"F Y"',
    "reports/telling_people.html": 'date:"F Y"',
}


def _templates() -> list[Path]:
    return sorted(SAFEHUB.rglob("templates/**/*.html"))


def test_no_template_cites_a_document_to_its_reader() -> None:
    found = []
    for path in _templates():
        text = TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(SAFEHUB)}: {m.group(0)}" for m in DOCUMENT_REFERENCE.finditer(text)]
    assert found == []


@pytest.mark.django_db
def test_no_form_label_or_hint_cites_a_document() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("safehub."):
            try:
                importlib.import_module(f"{config.name}.forms")
            except ModuleNotFoundError:
                continue
    found = []
    pending: list[type[forms.BaseForm]] = [forms.Form, forms.ModelForm]
    while pending:
        form = pending.pop()
        pending += form.__subclasses__()
        if not form.__module__.startswith("safehub."):
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            for text in (field.label, field.help_text):
                if text and DOCUMENT_REFERENCE.search(str(text)):
                    found.append(f"{form.__module__}.{form.__name__}.{name}: {text}")
    assert found == []


def test_every_template_shows_days_and_times_in_the_one_format() -> None:
    found = []
    for path in _templates():
        name = str(path.relative_to(SAFEHUB)).split("templates/", 1)[1]
        for match in re.finditer(r"\|\s*date\s*:\s*\"[^\"]*\"|\.isoformat", path.read_text(encoding="utf-8")):
            if OWN_DATE_FORMATS.get(name) != match.group(0).lstrip("|").strip():
                found.append(f"{name}: {match.group(0)}")
    assert found == []
