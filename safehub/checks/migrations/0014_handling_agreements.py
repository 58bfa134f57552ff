import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Apart from 0013, whose data migration must have committed before the tables are altered again."""

    dependencies = [
        ("checks", "0013_coded_bases_and_handling_conditions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveField(
            model_name="mashchecks",
            name="lawful_basis",
        ),
        migrations.CreateModel(
            name="HandlingAgreement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "route",
                    models.CharField(
                        choices=[
                            ("check_request", "A request for MASH checks"),
                            ("strategy_papers", "The papers for a strategy discussion"),
                            ("strategy_record", "The record of a strategy discussion"),
                            ("contact_pack", "The contact's PDF pack"),
                        ],
                        max_length=30,
                    ),
                ),
                ("note", models.TextField(help_text="What the agency agreed, and any limit on it.")),
                ("agreed_at", models.DateTimeField()),
                (
                    "agreed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "response",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="agreements",
                        to="checks.agencyresponse",
                    ),
                ),
            ],
            options={
                "ordering": ["agreed_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("response", "route"), name="one_agreement_per_answer_and_route")
                ],
            },
        ),
    ]
