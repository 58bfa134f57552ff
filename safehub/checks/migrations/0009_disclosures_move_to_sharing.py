"""Disclosures move to the sharing ledger (`sharing.Disclosure`), every row kept with its id.

The rows are copied into the new table in one INSERT … SELECT (portable SQL, the same on SQLite and
PostgreSQL), the request they were made for becoming the disclosure's origin
("checks.agencyrequest", request id) and the purpose sentence becoming its code; then the old table
is dropped. On PostgreSQL the new table's id sequence is moved past the copied ids. Reversing copies
them back before the new table goes.
"""

from django.core.management.color import no_style
from django.db import migrations

ORIGIN = "checks.agencyrequest"
PURPOSES = {
    "MASH checks: to decide whether the child needs help or protection (Children Act 1989 s17 and s47)": "mash_checks",
}
COLUMNS = "id, contact_id, agency_id, disclosed_by_id, disclosed_at, lawful_basis, consent_position, content"


def _purpose_case(column, mapping):
    cases = " ".join("WHEN %s = %%s THEN %%s" % column for _ in mapping)
    params = [value for pair in mapping.items() for value in pair]
    return f"CASE {cases} END", params


def _tables(apps):
    return apps.get_model("checks", "Disclosure"), apps.get_model("sharing", "Disclosure")


def _reset_sequence(schema_editor, model):
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [model]):
        schema_editor.execute(sql)


def copy_to_sharing(apps, schema_editor):
    old, new = _tables(apps)
    alias = schema_editor.connection.alias  # the database being migrated, not always the default
    unknown = old.objects.using(alias).exclude(purpose__in=list(PURPOSES)).values_list("purpose", flat=True).distinct()
    if unknown:
        raise RuntimeError(f"Disclosures with a purpose the sharing vocabulary does not know: {list(unknown)}")
    purpose, params = _purpose_case("purpose", PURPOSES)
    schema_editor.execute(
        f"INSERT INTO {new._meta.db_table} ({COLUMNS}, purpose, recipient, origin, origin_id)"
        f" SELECT {COLUMNS}, {purpose}, '', %s, request_id FROM {old._meta.db_table}",
        [*params, ORIGIN],
    )
    _reset_sequence(schema_editor, new)


def copy_back(apps, schema_editor):
    old, new = _tables(apps)
    alias = schema_editor.connection.alias
    others = new.objects.using(alias).exclude(origin=ORIGIN).count()
    if others:
        raise RuntimeError(f"{others} disclosures were not made for MASH check requests: they cannot move back")
    purpose, params = _purpose_case("purpose", {code: text for text, code in PURPOSES.items()})
    schema_editor.execute(
        f"INSERT INTO {old._meta.db_table} ({COLUMNS}, purpose, request_id)"
        f" SELECT {COLUMNS}, {purpose}, origin_id FROM {new._meta.db_table}",
        params,
    )
    _reset_sequence(schema_editor, old)
    new.objects.using(alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("checks", "0008_state_changes"),
        ("sharing", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_sharing, copy_back, elidable=False),
        migrations.DeleteModel(name="Disclosure"),
    ]
