from django.apps import AppConfig


class OnwardConfig(AppConfig):
    name = "safehub.onward"
    label = "onward"
    verbose_name = "Onward referrals"
