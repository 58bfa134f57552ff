from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "safehub.checks"
    label = "checks"
    verbose_name = "MASH checks"
