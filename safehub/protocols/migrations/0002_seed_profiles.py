from typing import Any

from django.db import migrations

from safehub.protocols.profiles import install


def load(apps: Any, schema_editor: Any) -> None:
    install(
        apps.get_model("protocols", "LocalProtocol"),
        apps.get_model("protocols", "ThresholdLevel"),
        apps.get_model("protocols", "Timescale"),
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [("protocols", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
