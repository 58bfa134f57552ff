"""The templates shipped since 0002 (the consultation summary), for an installation that already ran it."""

from django.db import migrations


def ship(apps, schema_editor):
    from safehub.letters.defaults import shipped

    Template = apps.get_model("letters", "Template")
    TemplateVersion = apps.get_model("letters", "TemplateVersion")
    for words in shipped():
        template, created = Template.objects.get_or_create(
            kind=words.kind.value, audience=words.audience.value, outcome=words.outcome
        )
        if created:
            TemplateVersion.objects.create(
                template=template, number=1, subject=words.subject, body=words.body, note="As Safehub ships it"
            )


class Migration(migrations.Migration):
    dependencies = [("letters", "0003_consultation_summaries")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
