from django.db import migrations

from safehub.protocols.profiles import PROFILES


def red_screening(apps, schema_editor):
    """A Red contact (a child who needs immediate protection) is screened within the hour: the
    shipped profiles' new screening timescale for red, added to hubs installed before it."""
    Timescale = apps.get_model("protocols", "Timescale")
    LocalProtocol = apps.get_model("protocols", "LocalProtocol")
    for profile in PROFILES:
        protocol = LocalProtocol.objects.filter(slug=profile["slug"]).first()
        if protocol is None:
            continue
        for clock, rating, amount, unit, note, *agency in profile["timescales"]:
            if (clock, rating) == ("screening", "red"):
                Timescale.objects.get_or_create(
                    protocol=protocol,
                    clock=clock,
                    rating=rating,
                    agency=agency[0] if agency else "",
                    defaults={"amount": amount, "unit": unit, "note": note},
                )


def remove_red_screening(apps, schema_editor):
    apps.get_model("protocols", "Timescale").objects.filter(clock="screening", rating="red").delete()


class Migration(migrations.Migration):
    dependencies = [("protocols", "0005_alter_thresholdlevel_options_alter_timescale_options")]
    operations = [migrations.RunPython(red_screening, remove_red_screening)]
