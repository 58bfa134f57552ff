"""The outcome to the GP practice template Safehub ships (Sefton 003 §2.6), for an installation that
already ran 0006."""

from django.db import migrations


def ship(apps, schema_editor):
    from safehub.letters.defaults import install

    install(apps.get_model("letters", "Template"), apps.get_model("letters", "TemplateVersion"))


class Migration(migrations.Migration):
    dependencies = [("letters", "0007_gp_outcomes")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
