from django.db import migrations

from safehub.domestic_abuse.checklist import install


def add_questions(apps, schema_editor):
    """The checklist's questions as first held (checklist.py); a hub's own rewording is left alone."""
    install(apps.get_model("domestic_abuse", "DashQuestion"))


class Migration(migrations.Migration):
    dependencies = [
        ("domestic_abuse", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_questions, migrations.RunPython.noop),
    ]
