from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safehub.accounts"
    label = "accounts"
    verbose_name = "People who use Safehub"
