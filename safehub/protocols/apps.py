from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    name = "safehub.protocols"
    label = "protocols"
    verbose_name = "Local protocols"
