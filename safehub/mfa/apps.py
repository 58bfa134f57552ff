from django.apps import AppConfig


class MfaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safehub.mfa"
    verbose_name = "Two-step sign-in"
