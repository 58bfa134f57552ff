"""The templates shipped since 0002 (the consultation summary), for an installation that already ran it."""

from django.db import migrations


def ship(apps, schema_editor):
    from safehub.letters.defaults import install

    install(apps.get_model("letters", "Template"), apps.get_model("letters", "TemplateVersion"))


class Migration(migrations.Migration):
    dependencies = [("letters", "0003_consultation_summaries")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
