"""Where each child of an outcome already actioned went: the team and social worker entered then
applied to the children referred to children's social care, or, with none, to those sent to early
help (as `services.child_routes` did before each outcome had its own). A forwarded child's worker was
the open case's and is left to its hand-off."""

from django.db import migrations

STATUTORY = {"section_17_assessment", "children_with_disability", "strategy_discussion"}


def backfill(apps, schema_editor):
    alias = schema_editor.connection.alias  # the database being migrated
    OutcomeAction = apps.get_model("decisions", "OutcomeAction")
    ChildDecision = apps.get_model("decisions", "ChildDecision")
    ChildAction = apps.get_model("decisions", "ChildAction")
    for action in OutcomeAction.objects.using(alias).select_related("allocated_worker").iterator():
        children = list(ChildDecision.objects.using(alias).filter(decision_id=action.decision_id).order_by("pk"))
        statutory = any(child.outcome in STATUTORY for child in children)
        worker = action.allocated_worker
        rows = []
        for child in children:
            served = child.outcome in STATUTORY or (child.outcome == "early_help" and not statutory)
            rows.append(
                ChildAction(
                    action=action,
                    subject_id=child.subject_id,
                    outcome=child.outcome,
                    team=action.sent_to if served else "",
                    worker=(f"{worker.first_name} {worker.last_name}".strip() or worker.username)
                    if served and worker
                    else "",
                    worker_email=worker.email if served and worker else "",
                    allocated_worker=worker if served else None,
                )
            )
        ChildAction.objects.using(alias).bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("decisions", "0007_child_actions")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
