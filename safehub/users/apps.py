from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "safehub.users"
    label = "users"
    verbose_name = "User management"
