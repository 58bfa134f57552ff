from django.db import migrations, models

NOTE = (
    "000: 'unless there is a clear risk assessment that allows for up to 72-hour exception as identified"
    " in the local Safeguarding Protocol'"
)


# The latest a recorded risk assessment may move a strategy discussion to, per seed hub (ADR 0031).
# Walsall has none: 004 §6 sets its 2 hours as "a maximum".
EXCEPTIONS = {
    "birmingham": (72, NOTE),
    "bexley": (24, "Local default: 002 sets no exception; a risk-assessed discussion is still held within a day"),
    "sefton": (72, "Local default: 003 sets no time; 000's 72-hour exception"),
}


def birmingham_exception(apps, schema_editor):
    """Birmingham's strategy discussions: within 24 hours, up to 72 by a recorded risk assessment (000);
    local defaults for the hubs whose protocols set none but allow one."""
    Timescale = apps.get_model("protocols", "Timescale")
    LocalProtocol = apps.get_model("protocols", "LocalProtocol")
    for slug, (hours, note) in EXCEPTIONS.items():
        protocol = LocalProtocol.objects.filter(slug=slug).first()
        if protocol is None:
            continue
        Timescale.objects.get_or_create(
            protocol=protocol,
            clock="strategy_exception",
            rating="",
            agency="",
            defaults={"amount": hours, "unit": "elapsed_hours", "note": note},
        )


def no_exception(apps, schema_editor):
    Timescale = apps.get_model("protocols", "Timescale")
    Timescale.objects.filter(clock="strategy_exception").delete()


class Migration(migrations.Migration):
    dependencies = [("protocols", "0007_clocks_as_the_seeds_write_them")]

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
                    ("phone_agency", "Telephone the agency too"),
                ],
                max_length=40,
            ),
        ),
        migrations.RunPython(birmingham_exception, no_exception),
    ]
