from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Every form field renders as a GOV.UK form group (label, hint, error, aria)."""

    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"
