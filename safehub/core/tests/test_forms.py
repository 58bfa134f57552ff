"""GOV.UK forms: date fields, text length caps, error classes and rendering."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError

from safehub.core.forms import MAX_LINE, MAX_TEXT, GovukDateField, GovukForm
from safehub.core.templatetags.govuk import error_summary


def _not_in_future(value: date) -> None:
    if value > date(2026, 11, 24):
        raise ValidationError("Date of birth must be today or in the past")


class PersonForm(GovukForm):
    name = forms.CharField(label="Full name")
    nickname = forms.CharField(label="Known as", max_length=30, required=False, help_text="If they use one")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    agency = forms.ChoiceField(label="Agency", choices=[("", "Choose"), ("police", "Police")], required=False)
    date_of_birth = GovukDateField(label="Date of birth", label_for_errors="Date of birth")
    seen_on = GovukDateField(label="Date seen", label_for_errors="The date seen", required=False)
    checked = forms.MultipleChoiceField(
        label="Agencies checked",
        choices=[("health", "Health"), ("education", "Education")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    kind = forms.ChoiceField(label="Kind", choices=[("child", "Child"), ("adult", "Adult")], widget=forms.RadioSelect)


class BornBeforeTodayForm(GovukForm):
    date_of_birth = GovukDateField(label="Date of birth", label_for_errors="Date of birth", validators=[_not_in_future])


def _data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Alex Example",
        "date_of_birth_0": "3",
        "date_of_birth_1": "7",
        "date_of_birth_2": "2015",
        "kind": "child",
    }
    data.update(overrides)
    return data


def test_a_complete_form_is_valid() -> None:
    form = PersonForm(data=_data(date_of_birth_0=" 3 "))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == date(2015, 7, 3)
    assert form.cleaned_data["seen_on"] is None


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("3", "", "2015", "Date of birth must include a month"),
        ("", "7", "2015", "Date of birth must include a day"),
        ("3", "7", "", "Date of birth must include a year"),
        ("", "", "2015", "Date of birth must include a day and month"),
        ("31", "2", "2015", "Date of birth must be a real date"),
        ("3", "13", "2015", "Date of birth must be a real date"),
        ("3", "7", "15", "Date of birth: the year must include 4 numbers, for example 2014"),
        ("3", "7", "20150", "Date of birth: the year must include 4 numbers, for example 2014"),
        ("3", "July", "2015", "Date of birth must be a real date"),
        ("-3", "7", "2015", "Date of birth must be a real date"),
    ],
)
def test_date_errors_use_design_system_wording(day: str, month: str, year: str, message: str) -> None:
    form = PersonForm(data=_data(date_of_birth_0=day, date_of_birth_1=month, date_of_birth_2=year))

    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [message]


def test_a_required_date_left_blank_is_asked_for_by_its_name() -> None:
    """Not Django's "This field is required.": a page with a date and a time said it twice, naming neither."""
    form = PersonForm(data=_data(date_of_birth_0="", date_of_birth_1="", date_of_birth_2=""))

    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["Enter the date of birth"]


def test_an_optional_date_uses_its_own_label_in_errors() -> None:
    form = PersonForm(data=_data(seen_on_0="30", seen_on_1="2", seen_on_2="2026"))

    assert not form.is_valid()
    assert form.errors["seen_on"] == ["The date seen must be a real date"]


def test_validators_on_a_date_field_run() -> None:
    form = BornBeforeTodayForm(data={"date_of_birth_0": "1", "date_of_birth_1": "1", "date_of_birth_2": "2030"})

    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["Date of birth must be today or in the past"]


def test_a_disabled_date_field_keeps_its_initial_value() -> None:
    form = BornBeforeTodayForm(data={}, initial={"date_of_birth": date(2015, 7, 3)})
    form.fields["date_of_birth"].disabled = True

    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == date(2015, 7, 3)


def test_a_date_field_shows_its_value_in_three_boxes() -> None:
    html = str(PersonForm(initial={"date_of_birth": date(2015, 7, 3)})["date_of_birth"])

    assert 'name="date_of_birth_0" value="3"' in html
    assert 'name="date_of_birth_1" value="7"' in html
    assert 'name="date_of_birth_2" value="2015"' in html


@pytest.mark.parametrize(
    ("field", "limit", "message"),
    [
        ("name", MAX_LINE, "Full name: enter no more than 200 characters"),
        ("notes", MAX_TEXT, "Notes: enter no more than 10,000 characters"),
        ("nickname", 30, "Known as: enter no more than 30 characters"),  # a limit of its own, named too
    ],
)
def test_text_without_a_limit_is_capped(field: str, limit: int, message: str) -> None:
    assert PersonForm(data=_data(**{field: "x" * limit})).is_valid()

    form = PersonForm(data=_data(**{field: "x" * (limit + 1)}))

    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_field_with_its_own_limit_keeps_it() -> None:
    form = PersonForm(data=_data(nickname="x" * 31))

    assert not form.is_valid()
    assert form.fields["nickname"].max_length == 30  # type: ignore[attr-defined]
    assert len(form.errors["nickname"]) == 1


def test_widgets_get_govuk_classes() -> None:
    form = PersonForm()

    assert "govuk-input" in form.fields["name"].widget.attrs["class"]
    assert "govuk-textarea" in form.fields["notes"].widget.attrs["class"]
    assert "govuk-select" in form.fields["agency"].widget.attrs["class"]
    assert form.fields["kind"].widget.template_name == "govuk/widgets/radios.html"
    assert form.fields["checked"].widget.template_name == "govuk/widgets/checkboxes.html"


def test_checkboxes_render_as_checkboxes_and_radios_as_radios() -> None:
    form = PersonForm()

    checkboxes = str(form["checked"])
    radios = str(form["kind"])

    assert 'class="govuk-checkboxes__input" type="checkbox"' in checkboxes
    assert 'type="radio"' not in checkboxes
    assert 'class="govuk-radios__input" type="radio"' in radios


def test_error_classes_are_added_to_fields_with_errors() -> None:
    form = PersonForm(
        data=_data(name="", notes="x" * (MAX_TEXT + 1), agency="nope", date_of_birth_1="", nickname="x" * 31)
    )

    assert not form.is_valid()
    assert form.fields["name"].widget.attrs["class"].split().count("govuk-input--error") == 1
    assert "govuk-textarea--error" in form.fields["notes"].widget.attrs["class"]
    assert "govuk-select--error" in form.fields["agency"].widget.attrs["class"]
    date_widget: Any = form.fields["date_of_birth"].widget
    assert all("govuk-input--error" in sub.attrs["class"] for sub in date_widget.widgets)
    assert form.fields["name"].widget.attrs["aria-describedby"] == "id_name_error"
    # The hint stays linked along with the error.
    assert form.fields["nickname"].widget.attrs["aria-describedby"] == "id_nickname_helptext id_nickname_error"


def test_fields_without_errors_get_no_error_classes() -> None:
    form = PersonForm(data=_data(name=""))

    assert not form.is_valid()
    assert "error" not in form.fields["notes"].widget.attrs["class"]
    assert "aria-describedby" not in form.fields["notes"].widget.attrs


def test_cleaning_twice_does_not_repeat_error_classes() -> None:
    form = PersonForm(data=_data(name=""))
    form.full_clean()
    form.full_clean()

    assert form.fields["name"].widget.attrs["class"].split().count("govuk-input--error") == 1


def test_a_form_renders_as_govuk_form_groups() -> None:
    form = PersonForm(data=_data(name=""))
    form.is_valid()

    html = str(form)

    assert '<label class="govuk-label govuk-label--s" for="id_name">Full name</label>' in html
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert '<span class="govuk-visually-hidden">Error:</span> This field is required.' in html
    assert '<input type="text" name="name"' in html  # Django's own widget templates are found
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Date of birth</legend>' in html


def test_the_error_summary_links_to_the_first_box_of_a_date() -> None:
    form = PersonForm(data=_data(name="", date_of_birth_1=""))
    form.is_valid()

    errors = error_summary(form)["errors"]

    assert ("id_name", "This field is required.") in errors
    assert ("id_date_of_birth_0", "Date of birth must include a month") in errors


def test_a_fieldset_points_to_its_hint_and_its_error() -> None:
    class KindForm(GovukForm):
        kind = forms.ChoiceField(
            label="Kind", choices=[("child", "Child")], widget=forms.RadioSelect, help_text="Who it is about"
        )

    html = str(KindForm(data={})["kind"].as_field_group())

    assert '<fieldset class="govuk-fieldset" aria-describedby="id_kind_helptext id_kind_error">' in html


class NamedItemForm(GovukForm):
    name = forms.CharField(label="Name", required=False)
    count = forms.IntegerField(label="How many", error_messages={"required": "Enter how many"})

    def summary_prefix(self, index: int) -> str:
        name = self["name"].value()
        return f"Item {index + 1} ({name})" if name else f"Item {index + 1}"


class PlainItemForm(GovukForm):
    count = forms.IntegerField(label="How many", error_messages={"required": "Enter how many"})


def test_a_formset_form_that_names_itself_prefixes_its_errors_in_the_summary() -> None:
    named = forms.formset_factory(NamedItemForm, extra=0, min_num=2)
    data = {"item-TOTAL_FORMS": "2", "item-INITIAL_FORMS": "0", "item-0-name": "Pens", "item-1-name": ""}
    formset = named(data, prefix="item")
    formset.is_valid()

    assert error_summary(formset)["errors"] == [
        ("id_item-0-count", "Item 1 (Pens): Enter how many"),
        ("id_item-1-count", "Item 2: Enter how many"),
    ]
    assert formset.forms[0]["count"].errors == ["Enter how many"]  # beside the field, as it was


def test_a_formset_form_without_a_name_keeps_its_errors_as_they_are() -> None:
    plain = forms.formset_factory(PlainItemForm, extra=0, min_num=1)
    formset = plain({"item-TOTAL_FORMS": "1", "item-INITIAL_FORMS": "0"}, prefix="item")
    formset.is_valid()

    assert error_summary(formset)["errors"] == [("id_item-0-count", "Enter how many")]
