from django.apps import AppConfig


class SigninConfig(AppConfig):
    """Limits on signing in (failed sign-ins lock an account, a client address is throttled) and on
    sessions (idle and absolute lifetimes, switched-off accounts): ADR 0023."""

    name = "safehub.signin"
    label = "signin"
