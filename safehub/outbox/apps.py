from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "safehub.outbox"
    label = "outbox"
    verbose_name = "Demo outbox"
