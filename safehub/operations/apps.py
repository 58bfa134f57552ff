from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running Safehub: backups with a manifest of what they hold, and restore drills (ADR 0030)."""

    name = "safehub.operations"
    label = "operations"
