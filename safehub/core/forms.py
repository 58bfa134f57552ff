"""GOV.UK Design System forms: classes, error states, date inputs and bad-input guards."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, time
from http import HTTPStatus
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from safehub.core.errors import ConcurrentChange, DomainError, Problem, Refused
from safehub.core.ids import parse_id
from safehub.core.presenters import lower_first

MAX_TEXT = 10_000
MAX_LINE = 200


class GovukDateWidget(forms.MultiWidget):
    template_name = "govuk/widgets/date.html"
    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            [
                forms.TextInput(
                    attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
                ),
                forms.TextInput(
                    attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
                ),
                forms.TextInput(
                    attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-4"}
                ),
            ],
            attrs,
        )

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


def _enter(label: str) -> str:
    """'The date' → 'Enter the date'; 'Date of birth' → 'Enter the date of birth'."""
    words = lower_first(label)
    return f"Enter {words}" if words.split(" ", 1)[0] in ("the", "your", "their", "a", "an") else f"Enter the {words}"


class GovukDateField(forms.MultiValueField):
    """Day, month and year boxes with the Design System's error wording."""

    widget = GovukDateWidget

    def __init__(self, *, label_for_errors: str = "The date", **kwargs: Any) -> None:
        self.label_for_errors = label_for_errors
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        given = dict(kwargs.get("error_messages") or {})
        super().__init__(fields=fields, require_all_fields=False, **kwargs)
        # Named, not Django's "This field is required.": a page with two dates says which is missing.
        self.error_messages["required"] = given.get("required", _enter(label_for_errors))

    def compress(self, data_list: list[str]) -> date | None:
        if not data_list or not any(data_list):
            return None
        day, month, year = (part.strip() if part else "" for part in [*list(data_list), "", "", ""][:3])
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"{self.label_for_errors} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{self.label_for_errors} must be a real date")
        if len(year) != 4:  # the Design System's date input: say which part is wrong, and how
            raise ValidationError(f"{self.label_for_errors}: the year must include 4 numbers, for example 2014")
        if len(day) > 2 or len(month) > 2:  # also keeps a number too big for a date (twenty nines) from the calendar
            raise ValidationError(f"{self.label_for_errors} must be a real date")
        try:
            return date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # '²' is a digit that int() refuses; a huge day overflows
            raise ValidationError(f"{self.label_for_errors} must be a real date") from None

    def clean(self, value: Any) -> date | None:
        if isinstance(value, date):  # a disabled field is cleaned from its initial value
            return value
        if self.required and (not value or not any(value)):
            raise ValidationError(self.error_messages["required"], code="required")
        result: date | None = self.compress(value or [])
        self.run_validators(result)
        return result


def _too_long(field: forms.Field) -> str:
    label = str(field.label or "This answer").rstrip("?:")
    return f"{label}: enter no more than {field.max_length:,} characters"  # type: ignore[attr-defined]


def relabel(field: forms.Field, label: str) -> None:
    """Give a field made elsewhere (one of Django's forms) the product's label, and the message for
    too much text with it (GovukFormMixin made that message from the old label)."""
    field.label = label
    if isinstance(field, forms.CharField) and field.max_length is not None:
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(MaxLengthValidator(field.max_length, _too_long(field)))


def style_field(field: forms.Field) -> None:
    """GOV.UK classes and templates for a field's widget, and a named message for text that is too long.
    GovukFormMixin applies it to a form's fields; a form that adds fields after its own __init__ (one per
    row of a list it was given) applies it to those."""
    widget = field.widget
    css = {
        forms.Textarea: "govuk-textarea",
        forms.Select: "govuk-select",
        forms.RadioSelect: "",
        forms.CheckboxSelectMultiple: "",
        forms.CheckboxInput: "govuk-checkboxes__input",
        GovukDateWidget: "",
    }
    cls = next((value for kind, value in css.items() if isinstance(widget, kind)), "govuk-input")
    if cls:
        existing = widget.attrs.get("class", "")
        widget.attrs["class"] = f"{existing} {cls}".strip()
    # CheckboxSelectMultiple is a subclass of RadioSelect: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        widget.template_name = "govuk/widgets/checkboxes.html"
    elif isinstance(widget, forms.RadioSelect):
        widget.template_name = "govuk/widgets/radios.html"
    elif type(widget) is forms.Select:  # not a multiple select, whose options it does not draw
        widget.template_name = "govuk/widgets/select.html"
    if isinstance(field, forms.ModelChoiceField):
        _refuse_ids_past_the_database(field)
    if isinstance(field, forms.CharField) and not isinstance(field, forms.UUIDField):
        # Oversized text gets a clear message instead of reaching the database, naming the box
        # it is in: on a long page "Enter no more than 200 characters" alone leaves the user
        # looking for which one.
        if field.max_length is None:
            field.max_length = MAX_TEXT if isinstance(widget, forms.Textarea) else MAX_LINE
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(MaxLengthValidator(field.max_length, _too_long(field)))


class GovukFormMixin:
    """Adds GOV.UK classes to widgets and error classes once the form is validated."""

    fields: dict[str, forms.Field]
    errors: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_field(field)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            if name in self.fields:
                field = self.fields[name]
                widget = field.widget
                auto_id = self[name].auto_id  # type: ignore[index]
                # The hint stays announced along with the error (GOV.UK: "hint-id error-id").
                hint = f"{auto_id}_helptext " if field.help_text and not widget.use_fieldset else ""
                widget.attrs["aria-describedby"] = f"{hint}{auto_id}_error"
                if isinstance(widget, forms.Textarea):
                    _add_class(widget, "govuk-textarea--error")
                elif isinstance(widget, forms.Select):
                    _add_class(widget, "govuk-select--error")
                elif isinstance(widget, GovukDateWidget):
                    for sub in widget.widgets:
                        _add_class(sub, "govuk-input--error")
                elif "govuk-input" in widget.attrs.get("class", "").split():
                    _add_class(widget, "govuk-input--error")


_BIGGEST_ID = 2**63 - 1  # a bigger number overflows SQLite's integers before the query can find nothing


def _past_the_database(value: Any) -> bool:
    text = str(value).strip()
    return text.isascii() and text.lstrip("-").isdigit() and abs(int(text)) > _BIGGEST_ID


def _refuse_ids_past_the_database(field: forms.ModelChoiceField) -> None:  # type: ignore[type-arg]
    """A choice of a record by a number no row can have ("99999999999999999999") is an invalid
    choice, as any other id that matches nothing, instead of an overflow in the database driver."""
    invalid = ValidationError(field.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""})
    if isinstance(field, forms.ModelMultipleChoiceField):
        check_values = field._check_values  # type: ignore[attr-defined]

        def _check_values(value: Any) -> Any:
            if any(_past_the_database(v) for v in value or ()):
                raise invalid
            return check_values(value)

        field._check_values = _check_values  # type: ignore[attr-defined]
        return
    to_python = field.to_python

    def _to_python(value: Any) -> Any:
        if _past_the_database(value):
            raise invalid
        return to_python(value)

    field.to_python = _to_python  # type: ignore[method-assign]


def _add_class(widget: forms.Widget, css_class: str) -> None:
    classes = widget.attrs.get("class", "").split()
    if css_class not in classes:
        widget.attrs["class"] = " ".join([*classes, css_class])


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass


_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


class ClockField(forms.CharField):
    """A time of day typed on the 24-hour clock ("14:30" or "14.30"), cleaned to a `time`."""

    def __init__(self, *, invalid: str = "Enter the time as hours and minutes, like 14:30", **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 5)
        # Five characters wide, as the Design System sizes an input to what it takes.
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-5"}))
        given = dict(kwargs.get("error_messages") or {})
        super().__init__(**kwargs)
        self.error_messages["invalid"] = invalid
        self.error_messages["required"] = given.get("required", "Enter the time, like 14:30")

    def clean(self, value: Any) -> time | None:
        text: str = super().clean(value).strip()
        if not text:
            return None
        match = _CLOCK.match(text)
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return time(int(match.group(1)), int(match.group(2)))


class RecordsChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Choose records (agencies, staff) by their ids. A value that is not an id ('²', a 30-digit
    number) is refused as any unknown choice is, before it reaches the database, whose integers a
    long number would overflow (an error, not a refusal, on SQLite and PostgreSQL)."""

    def _check_values(self, value: Any) -> Any:
        if self.to_field_name is None:
            for pk in value:
                if parse_id(str(pk)) is None:
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super()._check_values(value)  # type: ignore[misc]  # not in the stubs


ROWS_CHANGED = "The rows on this page changed since it was loaded: reload the page and make your changes again"


class RowsFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """A formset that edits a record's existing rows (given as `initial`, on the page and when it
    is posted) and adds new ones in its `extra` blank rows. The page says how many rows it holds
    and how many of them existed (the management form's TOTAL_FORMS and INITIAL_FORMS): a post
    whose counts differ from the rows the page drew was altered, or drawn before the rows changed.
    It is refused with a message, rather than read with existing rows taken as new ones or left
    out, and no more forms are built than the page drew."""

    default_error_messages = {
        "too_many_forms": "There can be at most %(num)d rows: remove some and try again",
        "too_few_forms": "Keep at least %(num)d rows",
    }

    def _drawn(self) -> tuple[int, int]:
        """How many rows the page drew: the existing ones, and with the blank ones."""
        existing = len(self.initial or ())
        return existing, min(existing + self.extra, self.absolute_max or existing + self.extra)

    def total_form_count(self) -> int:
        total: int = super().total_form_count()
        return min(total, self._drawn()[1]) if self.is_bound else total

    def clean(self) -> None:
        super().clean()
        if not self.is_bound or not self.management_form.is_valid():  # Django says what is missing
            return
        existing, drawn = self._drawn()
        posted = int(self.management_form.cleaned_data["TOTAL_FORMS"] or 0)
        if self.initial_form_count() != existing or not existing <= posted <= drawn:
            raise ValidationError(ROWS_CHANGED, code="rows_changed")


def rows_formset(form: type[forms.Form], *, max_rows: int, extra: int = 1) -> type[RowsFormSet]:
    """A `RowsFormSet` of `form` that holds at most `max_rows` rows: a post claiming more is
    refused before its rows are built (however many it claims, at most `max_rows` forms are)."""
    formset = forms.formset_factory(
        form, formset=RowsFormSet, extra=extra, max_num=max_rows, validate_max=True, absolute_max=max_rows
    )
    assert issubclass(formset, RowsFormSet)  # noqa: S101 - formset_factory subclasses `formset`
    return formset


class VersionForm(GovukForm):
    """A hidden compare-and-set guard: the version of the record the user saw."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        # Only an old or edited page sends a bad one: say what to do.
        error_messages=dict.fromkeys(
            ["required", "invalid", "min_value", "max_value"], "This page is out of date: reload the page and try again"
        ),
    )


def choice_field(field: forms.Field) -> forms.ChoiceField:
    """The field as a ChoiceField, to set its choices at run time."""
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{field!r} is not a choice field")
    return field


def add_refusal(
    form: forms.BaseForm,
    error: DomainError,
    *,
    fields: Mapping[str, str] | None = None,
    items: Sequence[forms.BaseForm] = (),
) -> int:
    """Put a service's refusal on the form that asked: beside its field when the form has that
    field (`fields` maps a service's field name to the form's where they differ), else at the top;
    a problem with one item of a list (`Refused` problems with `item`) goes on that item's form.
    Returns the status the page answers with: 409 when the record changed since the form was
    loaded (a stale version), else 200."""
    problems = error.problems if isinstance(error, Refused) else [Problem(error.message, field=error.field)]
    for problem in problems:
        target = items[problem.item] if problem.item is not None and problem.item < len(items) else form
        name = (fields or {}).get(problem.field or "", problem.field)
        target.add_error(name if name in target.fields else None, problem.message)
    return HTTPStatus.CONFLICT if isinstance(error, ConcurrentChange) else HTTPStatus.OK


_TELEPHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,}$")


def telephone_number(value: str) -> str:
    """A telephone number as people write them (digits, spaces, brackets, a leading +), or "" for
    none; anything else is refused, so a letter never gives "call us!" as the number to ring."""
    text = value.strip()
    if text and (not _TELEPHONE.match(text) or sum(c.isdigit() for c in text) < 6):
        raise forms.ValidationError("Enter a telephone number, like 020 7946 0123")
    return text
