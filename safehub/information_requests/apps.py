from django.apps import AppConfig


class InformationRequestsConfig(AppConfig):
    name = "safehub.information_requests"
    verbose_name = "Information requests"
