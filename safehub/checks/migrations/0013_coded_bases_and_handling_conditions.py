import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


from safehub.sharing.vocabulary import bases_in, statement


def code_the_bases_and_conditions(apps, schema_editor):
    """The bases a manager wrote become coded choices; a restriction written in words alone becomes
    "no onward disclosure", the condition it was always kept as."""
    MashChecks = apps.get_model("checks", "MashChecks")
    for checks in MashChecks.objects.only("pk", "lawful_basis").iterator():
        MashChecks.objects.filter(pk=checks.pk).update(bases=bases_in(checks.lawful_basis))
    AgencyResponse = apps.get_model("checks", "AgencyResponse")
    AgencyResponse.objects.exclude(handling_restriction="").update(handling_conditions=["no_onward"])


def write_the_bases_out(apps, schema_editor):
    """Going back: the statement the codes stand for, where the earlier code reads it."""
    MashChecks = apps.get_model("checks", "MashChecks")
    for checks in MashChecks.objects.only("pk", "bases").iterator():
        MashChecks.objects.filter(pk=checks.pk).update(lawful_basis=statement(checks.bases)[:300])


class Migration(migrations.Migration):
    dependencies = [
        ("checks", "0012_response_submission_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="agencyresponse",
            name="handling_conditions",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="mashchecks",
            name="bases",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(code_the_bases_and_conditions, write_the_bases_out),
        # A default, so that going back re-adds the column (0014 removes it) on rows made since.
        migrations.AlterField(
            model_name="mashchecks",
            name="lawful_basis",
            field=models.CharField(blank=True, default="", max_length=300),
        ),
    ]
