from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "safehub.matching"
    label = "matching"
    verbose_name = "Person matching"
