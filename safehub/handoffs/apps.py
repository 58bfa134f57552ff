from django.apps import AppConfig


class HandoffsConfig(AppConfig):
    name = "safehub.handoffs"
    label = "handoffs"
    verbose_name = "Hand-offs"
