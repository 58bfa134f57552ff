from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "safehub.consent"
    label = "consent"
