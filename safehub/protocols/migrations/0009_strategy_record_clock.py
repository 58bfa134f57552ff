from django.db import migrations, models

RECORD_DEFAULT = "Local default: the seeds set no time for the record of a strategy discussion"


def record_clock(apps, schema_editor):
    """Each installed profile sends a strategy discussion's record within one working day (issue 13's
    default: no seed sets a time)."""
    Timescale = apps.get_model("protocols", "Timescale")
    LocalProtocol = apps.get_model("protocols", "LocalProtocol")
    for protocol in LocalProtocol.objects.all():
        Timescale.objects.get_or_create(
            protocol=protocol,
            clock="strategy_record",
            rating="",
            agency="",
            defaults={"amount": 1, "unit": "working_days", "note": RECORD_DEFAULT},
        )


def no_record_clock(apps, schema_editor):
    Timescale = apps.get_model("protocols", "Timescale")
    Timescale.objects.filter(clock="strategy_record").delete()


class Migration(migrations.Migration):
    dependencies = [("protocols", "0008_strategy_exception_clock")]

    operations = [
        migrations.AlterField(
            model_name="timescale",
            name="clock",
            field=models.CharField(
                choices=[
                    ("screening", "Basic screening"),
                    ("threshold_decision", "Threshold decision (recommendation)"),
                    ("approval", "Approval of the recommendation"),
                    ("decision", "Decision, recommendation and approval together"),
                    ("outcome_to_referrer", "Outcome sent to referrer"),
                    ("consultation_summary", "Consultation summary sent"),
                    ("mash_checks", "MASH checks"),
                    ("strategy_discussion", "Strategy discussion"),
                    ("strategy_exception", "Strategy discussion, at the latest, by a recorded exception"),
                    ("strategy_record", "Strategy discussion's record sent to those who took part"),
                    ("phone_agency", "Telephone the agency too"),
                ],
                max_length=40,
            ),
        ),
        migrations.RunPython(record_clock, no_record_clock),
    ]
