from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "safehub.decisions"
    label = "decisions"
