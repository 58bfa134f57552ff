"""The Operation Encompass template Safehub ships, for an installation that already ran 0004."""

from django.db import migrations


def ship(apps, schema_editor):
    from safehub.letters.defaults import install

    install(apps.get_model("letters", "Template"), apps.get_model("letters", "TemplateVersion"))


class Migration(migrations.Migration):
    dependencies = [("letters", "0005_operation_encompass")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
