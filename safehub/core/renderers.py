from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.template.exceptions import TemplateDoesNotExist
from django.utils.functional import cached_property


class GovukFormRenderer(TemplatesSetting):
    """Every form field renders as a GOV.UK form group (label, hint, error, aria).

    Our templates come from the project's template settings. Django's own widget templates
    (`django/forms/widgets/*.html`) are not on that path unless `django.forms` is an installed app,
    so any template the project does not have comes from Django's built-in form templates.
    """

    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"

    @cached_property
    def _builtin(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self._builtin.get_template(template_name)
