"""The templates Safehub ships, as version 1 of each (letters.defaults). A template an installation
already has is left as it is."""

from django.db import migrations


def ship(apps, schema_editor):
    from safehub.letters.defaults import install

    install(apps.get_model("letters", "Template"), apps.get_model("letters", "TemplateVersion"))


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
