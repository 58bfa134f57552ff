from django.apps import AppConfig


class PartnerOutcomesConfig(AppConfig):
    name = "safehub.partner_outcomes"
    label = "partner_outcomes"
    verbose_name = "Outcomes shown to partner agencies"
