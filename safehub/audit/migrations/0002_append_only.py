from typing import Any

from django.db import migrations

from safehub.audit.triggers import statements


def install(apps: Any, schema_editor: Any) -> None:
    apps.get_model("audit", "AuditHead").objects.get_or_create(pk=1)
    for sql in statements(schema_editor.connection.vendor, install=True):
        schema_editor.execute(sql)


def remove(apps: Any, schema_editor: Any) -> None:
    for sql in statements(schema_editor.connection.vendor, install=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
