from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safehub.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from safehub.audit import checks  # noqa: F401 - registers the deployment checks
        from safehub.audit.triggers import register_sqlite_functions

        connection_created.connect(register_sqlite_functions)
