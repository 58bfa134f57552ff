from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "safehub.sharing"
    label = "sharing"
    verbose_name = "Information sharing"
