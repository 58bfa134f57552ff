from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "safehub.returns"
    label = "returns"
    verbose_name = "Statutory returns"
