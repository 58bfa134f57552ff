from django.apps import AppConfig


class DomesticAbuseConfig(AppConfig):
    name = "safehub.domestic_abuse"
    label = "domestic_abuse"
