"""The CIN census's referral source codes have 4 for housing and 5A for the local authority's social
care; Safehub had stored them the other way round. Swap what contacts hold (issue 16)."""

from django.db import migrations, models

SWAP = {"4": "5A", "5A": "4"}


def swap(apps, schema_editor):  # type: ignore[no-untyped-def]
    contact = apps.get_model("contacts", "Contact")
    housing = list(contact.objects.filter(source="5A").values_list("pk", flat=True))
    contact.objects.filter(source="4").update(source="5A")
    contact.objects.filter(pk__in=housing).update(source="4")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0012_awaiting_consent")]

    operations = [
        migrations.AlterField(
            model_name='contact',
            name='source',
            field=models.CharField(choices=[('1A', 'Individual: family member, relative or carer'), ('1B', 'Individual: acquaintance (including neighbours and friends)'), ('1C', 'Individual: self'), ('1D', 'Individual: other'), ('2A', 'Schools'), ('2B', 'Education services'), ('3A', 'Health services: GP'), ('3B', 'Health services: health visitor'), ('3C', 'Health services: school nurse'), ('3D', 'Health services: other primary health services'), ('3E', 'Health services: A&E (emergency department)'), ('3F', 'Health services: other'), ('4', 'Housing: local authority housing or housing association'), ('5A', 'Local authority services: social care, for example adult social care'), ('5B', 'Other internal local authority services'), ('5C', 'Local authority: external, for example another authority'), ('5D', 'Early help'), ('6', 'Police'), ('7', 'Other legal agency'), ('8', 'Other'), ('9', 'Anonymous'), ('10', 'Unknown')], max_length=3, verbose_name='Referral source'),
        ),
        migrations.RunPython(swap, swap),
    ]
