from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "safehub.consultations"
    label = "consultations"
