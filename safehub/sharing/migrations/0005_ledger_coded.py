import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


from safehub.sharing.vocabulary import bases_in

# The route each kind of row written before routes were recorded left by; every such row was one of these.
ROUTES = {
    "checks.agencyrequest": ("check_request", ["concern", "consent", "identity", "risk"]),
    "strategy.invitation": ("strategy_papers", ["agency_information", "concern", "decision", "identity"]),
    "strategy.recordcopy": ("strategy_record", ["agency_information", "identity", "strategy"]),
}


def code_the_ledger(apps, schema_editor):
    """Rows written before the ledger was coded: their bases read from the statement, their route and
    categories from what they were made for, the people from their contact's."""
    Disclosure = apps.get_model("sharing", "Disclosure")
    ContactSubject = apps.get_model("contacts", "ContactSubject")
    alias = schema_editor.connection.alias  # the database being migrated, not always the default
    for row in Disclosure.objects.using(alias).iterator():
        route, categories = ROUTES.get(row.origin, ROUTES["checks.agencyrequest"])
        Disclosure.objects.using(alias).filter(pk=row.pk).update(
            bases=bases_in(row.lawful_basis), route=route, categories=categories
        )
        if row.contact_id is not None:
            people = ContactSubject.objects.using(alias).filter(contact_id=row.contact_id, person__isnull=False)
            row.people.set(people.values_list("person_id", flat=True).distinct())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_agency_shared_email"),
        ("contacts", "0011_not_told"),
        ("people", "0004_person_warnings"),
        ("sharing", "0004_consent_position_per_person"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="disclosure",
            name="asked_by",
            field=models.CharField(blank=True, help_text="Who asked, for a decision not to share.", max_length=200),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="bases",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="categories",
            field=models.JSONField(default=list, help_text="What kind of information (`Category`)."),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="conditions",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="declined_reason",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="direction",
            field=models.CharField(choices=[("out", "Sent"), ("in", "Received")], default="out", max_length=3),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="people",
            field=models.ManyToManyField(blank=True, related_name="+", to="people.person"),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="route",
            field=models.CharField(
                blank=True,
                choices=[
                    ("check_request", "A request for MASH checks"),
                    ("strategy_papers", "The papers for a strategy discussion"),
                    ("strategy_record", "The record of a strategy discussion"),
                    ("contact_pack", "The contact's PDF pack"),
                ],
                help_text="The route it left by (out only).",
                max_length=30,
            ),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="shared",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="disclosure",
            name="withheld",
            field=models.JSONField(default=list),
        ),
        migrations.AlterField(
            model_name="disclosure",
            name="content",
            field=models.JSONField(help_text="Exactly what was sent, received, or asked for."),
        ),
        migrations.AlterField(
            model_name="disclosure",
            name="lawful_basis",
            field=models.CharField(max_length=600),
        ),
        migrations.AlterField(
            model_name="disclosure",
            name="purpose",
            field=models.CharField(
                choices=[
                    (
                        "mash_checks",
                        "MASH checks: to decide whether the child needs help or protection (Children Act 1989 s17 and s47)",
                    ),
                    (
                        "strategy_discussion",
                        "Strategy discussion: the papers for a child who may be suffering significant harm (Children Act 1989 s47)",
                    ),
                    (
                        "case_record",
                        "The hub's own record: a copy downloaded by hub staff for their work on the contact",
                    ),
                ],
                max_length=40,
            ),
        ),
        migrations.RunPython(code_the_ledger, migrations.RunPython.noop),
    ]
