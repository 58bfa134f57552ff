from django.db import migrations, models


class Migration(migrations.Migration):
    """Apart from 0005, whose data migration must have committed before the table is altered again."""

    dependencies = [
        ("sharing", "0005_ledger_coded"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="disclosure",
            index=models.Index(fields=["disclosed_at", "id"], name="sharing_ledger_time_idx"),
        ),
        migrations.AddIndex(
            model_name="disclosure",
            index=models.Index(fields=["agency", "disclosed_at"], name="sharing_ledger_agency_idx"),
        ),
        migrations.AddConstraint(
            model_name="disclosure",
            constraint=models.CheckConstraint(
                condition=models.Q(("shared", True), models.Q(("declined_reason", ""), _negated=True), _connector="OR"),
                name="declined_has_a_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="disclosure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("direction", "in"), ("shared", False), models.Q(("route", ""), _negated=True), _connector="OR"
                ),
                name="disclosure_out_names_its_route",
            ),
        ),
    ]
