from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safehub.accounts"
    label = "accounts"
    verbose_name = "People who use Safehub"

    def ready(self) -> None:
        from django.contrib.auth import user_logged_in
        from django.contrib.auth.models import update_last_login

        # Django marks a user signed in when the password is right; Safehub when the second step is
        # passed too (audit.services.record_sign_in), so "last signed in" means signed in (ADR 0024).
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
