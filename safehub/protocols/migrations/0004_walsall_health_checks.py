from django.db import migrations

NOTE = "§5: health information requests answered within one hour"


def health_within_an_hour(apps, schema_editor):
    """Walsall's one-hour rule is for health information requests (scrutiny report §5), not for red."""
    Timescale = apps.get_model("protocols", "Timescale")
    LocalProtocol = apps.get_model("protocols", "LocalProtocol")
    walsall = LocalProtocol.objects.filter(slug="walsall").first()
    if walsall is None:
        return
    Timescale.objects.filter(protocol=walsall, clock="mash_checks", rating="red", note__startswith="§5").delete()
    Timescale.objects.get_or_create(
        protocol=walsall,
        clock="mash_checks",
        rating="",
        agency="health",
        defaults={"amount": 1, "unit": "elapsed_hours", "note": NOTE},
    )


def back_to_red(apps, schema_editor):
    Timescale = apps.get_model("protocols", "Timescale")
    Timescale.objects.filter(protocol__slug="walsall", clock="mash_checks", agency="health").update(
        rating="red", agency="", note="§5: health requests within one hour"
    )


class Migration(migrations.Migration):
    dependencies = [("protocols", "0003_timescale_agency")]
    operations = [migrations.RunPython(health_within_an_hour, back_to_red)]
