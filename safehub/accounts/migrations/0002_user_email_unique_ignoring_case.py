"""One account per email address, whatever its case (ADR 0026). A database that already holds two
accounts with one address stops here, naming them, so that an administrator can change one first."""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def refuse_shared_addresses(apps, schema_editor):
    users = apps.get_model("accounts", "User").objects.using(schema_editor.connection.alias)
    shared = (
        users.exclude(email="")
        .annotate(address=Lower("email"))
        .values("address")
        .annotate(accounts=Count("id"))
        .filter(accounts__gt=1)
    )
    lines = []
    for row in shared:
        names = users.filter(email__iexact=row["address"]).order_by("username").values_list("username", flat=True)
        lines.append(f"  {row['address']}: {', '.join(names)}")
    if lines:
        raise RuntimeError(
            "These accounts share an email address; give each person's account its own (or blank the address of"
            " an account no longer used) and migrate again:\n" + "\n".join(lines)
        )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(refuse_shared_addresses, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("email", ""), _negated=True),
                name="user_email_unique_ignoring_case",
            ),
        ),
    ]
