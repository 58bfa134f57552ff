from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "safehub.strategy"
    label = "strategy"
