
from django.db import migrations, models


REQUEST_DEFAULT = "Local default: 000 sets the levels of information request, not their times"
DAYS = {"information_request_1": 1, "information_request_2": 10, "information_request_3": 20}
CONSENT_DEFAULT = "Local default: 002 §19 sets no time for the referrer to seek consent"


def request_clocks(apps, schema_editor):
    """Each installed profile answers information requests in 1, 10 and 20 working days by level (a
    default: 000 describes the levels, not their times), and gives a referrer asked to seek consent two
    working days (002 §19 sets no time); the hub may change them."""
    Timescale = apps.get_model("protocols", "Timescale")
    LocalProtocol = apps.get_model("protocols", "LocalProtocol")
    for protocol in LocalProtocol.objects.all():
        for clock, days in DAYS.items():
            Timescale.objects.get_or_create(
                protocol=protocol,
                clock=clock,
                rating="",
                agency="",
                defaults={"amount": days, "unit": "working_days", "note": REQUEST_DEFAULT},
            )
        Timescale.objects.get_or_create(
            protocol=protocol,
            clock="consent_sought",
            rating="",
            agency="",
            defaults={"amount": 2, "unit": "working_days", "note": CONSENT_DEFAULT},
        )


def no_request_clocks(apps, schema_editor):
    Timescale = apps.get_model("protocols", "Timescale")
    Timescale.objects.filter(clock__in=[*DAYS, "consent_sought"]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('protocols', '0012_consent_settings'),
    ]

    operations = [
        migrations.AlterField(
            model_name='timescale',
            name='clock',
            field=models.CharField(choices=[('screening', 'Basic screening'), ('threshold_decision', 'Threshold decision (recommendation)'), ('approval', 'Approval of the recommendation'), ('decision', 'Decision, recommendation and approval together'), ('outcome_to_referrer', 'Outcome sent to referrer'), ('consultation_summary', 'Consultation summary sent'), ('mash_checks', 'MASH checks'), ('consent_sought', 'Consent sought by the referrer (a request paused for it)'), ('strategy_discussion', 'Strategy discussion'), ('strategy_exception', 'Strategy discussion, at the latest, by a recorded exception'), ('strategy_record', "Strategy discussion's record sent to those who took part"), ('phone_agency', 'Telephone the agency too'), ('information_request_1', 'Information request, level 1 answered'), ('information_request_2', 'Information request, level 2 answered'), ('information_request_3', 'Information request, level 3 answered by the disclosure team')], max_length=40),
        ),
        migrations.RunPython(request_clocks, no_request_clocks),
    ]
