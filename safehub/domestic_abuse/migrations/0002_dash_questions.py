from django.db import migrations

from safehub.domestic_abuse.checklist import FIRST_QUESTIONS


def add_questions(apps, schema_editor):
    """The checklist's questions as first held (checklist.py); a hub's own rewording is left alone."""
    DashQuestion = apps.get_model("domestic_abuse", "DashQuestion")
    if DashQuestion.objects.exists():
        return
    DashQuestion.objects.bulk_create(
        [DashQuestion(number=number, text=text) for number, text in enumerate(FIRST_QUESTIONS, start=1)]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("domestic_abuse", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_questions, migrations.RunPython.noop),
    ]
