from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "safehub.casework"
    label = "casework"
    verbose_name = "After the front door"
