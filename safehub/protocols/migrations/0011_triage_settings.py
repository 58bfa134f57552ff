import datetime

from django.db import migrations, models


def birmingham_triage(apps, schema_editor):
    """Birmingham's daily domestic-abuse triage (000: police "support the domestic abuse daily triage with
    attendance, decision making, and information sharing"), weekdays at 10:00 (a local default: 000 sets no
    time), with police, the domestic-abuse service and children's social care. Left alone if edited."""
    LocalProtocol = apps.get_model("protocols", "LocalProtocol")
    LocalProtocol.objects.filter(slug="birmingham", triage_days=[]).update(
        triage_days=[0, 1, 2, 3, 4],
        triage_time=datetime.time(10, 0),
        triage_members=["police", "domestic_abuse", "childrens_social_care"],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("protocols", "0010_daily_meeting_settings"),
    ]

    operations = [
        migrations.AddField(
            model_name="localprotocol",
            name="marac_threshold",
            field=models.PositiveSmallIntegerField(default=14),
        ),
        migrations.AddField(
            model_name="localprotocol",
            name="triage_days",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="localprotocol",
            name="triage_members",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="localprotocol",
            name="triage_time",
            field=models.TimeField(blank=True, null=True),
        ),
        migrations.RunPython(birmingham_triage, migrations.RunPython.noop),
    ]
