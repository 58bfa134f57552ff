"""Every form class, fuzzed directly (is_valid never raises), and every date field refusing a
day or month of twenty nines with a message that names it."""

from __future__ import annotations

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from hypothesis import given
from hypothesis import strategies as st

from safehub.core.forms import GovukDateField
from safehub.protocols.forms import ProtocolForm
from tests.fuzz.forms import BUILDERS, build, form_classes, needs, sent_names
from tests.fuzz.harness import FUZZ_SETTINGS, known_elsewhere
from tests.fuzz.strategies import NASTY, NASTY_FILE

pytestmark = pytest.mark.django_db
FORMS = form_classes()
TWENTY_NINES = "99999999999999999999"


def _name(cls: type) -> str:
    return f"{cls.__module__.removeprefix('safehub.')}.{cls.__qualname__}"


def test_every_form_can_be_built() -> None:
    """A form whose constructor asks for something new fails here until tests/fuzz/forms.py can build it."""
    assert len(FORMS) >= 30, [_name(cls) for cls in FORMS]
    unbuildable = {_name(cls): missing for cls in FORMS if (missing := set(needs(cls)[1]) - set(BUILDERS))}
    assert unbuildable == {}


@pytest.mark.parametrize("cls", FORMS, ids=_name)
def test_is_valid_never_raises(cls: type[forms.BaseForm]) -> None:
    names = sent_names(build(cls))
    files = {name for name, field in build(cls).fields.items() if isinstance(field, forms.FileField)}
    values: st.SearchStrategy[list[str]] = st.one_of(st.lists(NASTY, min_size=1, max_size=3), st.just([]))

    @FUZZ_SETTINGS
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(names, values)), st.lists(NASTY_FILE, max_size=1))
    def check(data: dict[str, list[str]], uploads: list[bytes]) -> None:
        if known_elsewhere(_name(cls), dict(data)):
            return
        sent = MultiValueDict({name: value for name, value in data.items() if name not in files})
        attached = MultiValueDict(
            {name: [SimpleUploadedFile("fuzz.csv", content) for content in uploads] for name in files}
        )
        form = build(cls, data=sent, files=attached)
        form.is_valid()
        str(form.errors)

    check()


# Date fields a form reads only when another field asks for them: the dashboard's, for "Dates you choose".
READ_WHEN = {"DashboardForm": {"period": "range"}}


def _date_fields() -> list[tuple[type[forms.BaseForm], str]]:
    return [
        (cls, name) for cls in FORMS for name, field in cls.base_fields.items() if isinstance(field, GovukDateField)
    ]


def test_every_date_field_is_found() -> None:
    """The enumeration below finds the product's date fields (issue 12 counted 24 on its pages)."""
    assert len(_date_fields()) >= 18, _date_fields()


@pytest.mark.parametrize(("cls", "name"), _date_fields(), ids=lambda v: v if isinstance(v, str) else _name(v))
@pytest.mark.parametrize("part", [0, 1], ids=["day", "month"])
def test_a_day_or_month_of_twenty_nines_is_not_a_real_date(cls: type[forms.BaseForm], name: str, part: int) -> None:
    form = build(cls)
    if name not in form.fields:  # a field the form leaves out when built (the correction of a contact's date)
        return
    field = form.fields[name]
    assert isinstance(field, GovukDateField)
    typed = ["24", "11", "2026"]
    typed[part] = TWENTY_NINES
    html = form.add_prefix(name)
    form = build(
        cls, data={**READ_WHEN.get(cls.__name__, {}), **{f"{html}_{i}": value for i, value in enumerate(typed)}}
    )
    assert not form.is_valid()
    assert form.errors[name] == [f"{field.label_for_errors} must be a real date"]


@pytest.mark.parametrize("typed", ["99999999999999999999/12/2026", "24/99999999999999999999/2026", "²/12/2026"])
def test_a_closure_day_that_is_no_date_is_refused_by_line(typed: str) -> None:
    form = ProtocolForm(data={"closure_days": f"24/12/2026 Christmas Eve\n{typed} Closure"})
    assert not form.is_valid()
    assert form.errors["closure_days"] == ["Line 2: start with a real date as day/month/year, like 24/12/2026"]
