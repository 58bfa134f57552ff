"""Template tags for GOV.UK components. Display only: no business rules here."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def _error_links(form: forms.BaseForm) -> list[tuple[str, str]]:
    links: list[tuple[str, str]] = [("", str(error)) for error in form.non_field_errors()]
    for bound in form:
        for error in bound.errors:
            target = bound.auto_id or ""
            if target and bound.field.widget.use_fieldset:
                target = f"{target}_0"
            links.append((target, str(error)))
    return links


def _named(form: forms.BaseForm, index: int, links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A formset's form that names itself (`summary_prefix(index)`: "Person 2 (Leo Harlow)") puts
    its name before each of its errors in the summary, so that the same error on two forms of a
    formset says whose it is; beside the field, inside that form's own fieldset, it stays as it is."""
    naming = getattr(form, "summary_prefix", None)
    if not callable(naming):
        return links
    name = naming(index)
    return [(href, f"{name}: {message}") for href, message in links]


def _split_after(form: forms.BaseForm, field: str, links: list[tuple[str, str]]) -> int:
    """How many of the form's error links come from its non-field errors and fields up to ``field``."""
    names = list(form.fields)
    before = set(names[: names.index(field) + 1])
    count = len(form.non_field_errors())
    for bound in form:
        if bound.name in before:
            count += len(bound.errors)
    return min(count, len(links))


@register.inclusion_tag("govuk/error_summary.html")
def error_summary(*forms_or_formsets: Any) -> dict[str, Any]:
    """The error summary for one or more forms and formsets, linking to each field."""
    errors: list[tuple[str, str]] = []
    # A form whose page shows the formset after it inside its own fields (the contact: the referrer,
    # then the people, then the concern) names the field the formset follows, so that the summary
    # lists problems in the order the page shows them (GOV.UK error summary).
    resume: list[tuple[str, str]] = []
    for item in forms_or_formsets:
        if item is None:
            continue
        if isinstance(item, forms.BaseFormSet | list | tuple):  # a formset, or a page's list of like forms
            if isinstance(item, forms.BaseFormSet):
                errors += [("", str(error)) for error in item.non_form_errors()]
            for index, form in enumerate(item.forms if isinstance(item, forms.BaseFormSet) else item):
                errors += _named(form, index, _error_links(form))
            errors += resume
            resume = []
        else:
            links = _error_links(item)
            after = getattr(item, "formset_follows_field", "")
            if after and after in item.fields:
                split = _split_after(item, after, links)
                errors += links[:split]
                resume = links[split:]
            else:
                errors += links
    errors += resume
    # Each item whole (a link to the field, or the message alone), so that it stays one <li>.
    items: list[str | SafeString] = [
        format_html('<a href="#{}">{}</a>', href, message) if href else message for href, message in errors
    ]
    return {"errors": errors, "items": items}
