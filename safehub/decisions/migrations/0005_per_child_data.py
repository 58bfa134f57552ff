# Decisions per child (ADR 0019), step 2 of 3: every existing recommendation and approval gets a row
# for each child on its contact with the contact-level values, and a contact's referral becomes one
# referral per child. In a migration of its own: PostgreSQL refuses to alter a table in the same
# transaction as rows written to it with deferred foreign keys.

from django.db import migrations

CHILD_ROLES = ("child", "sibling")
MOST_SERIOUS_FIRST = ("red", "amber", "green", "blue")
STATUTORY = ("section_17_assessment", "children_with_disability", "strategy_discussion")


def _children(apps, contact_ids, alias):
    """The child subjects of each contact, in the contact's order."""
    ContactSubject = apps.get_model("contacts", "ContactSubject")
    children = {pk: [] for pk in contact_ids}
    for contact_id, subject_id in (
        ContactSubject.objects.using(alias).filter(contact_id__in=contact_ids, role__in=CHILD_ROLES)
        .order_by("contact_id", "order", "pk")
        .values_list("contact_id", "pk")
    ):
        children[contact_id].append(subject_id)
    return children


def per_child(apps, schema_editor):
    alias = schema_editor.connection.alias  # the database being migrated
    Recommendation = apps.get_model("decisions", "Recommendation")
    ChildRecommendation = apps.get_model("decisions", "ChildRecommendation")
    Decision = apps.get_model("decisions", "Decision")
    ChildDecision = apps.get_model("decisions", "ChildDecision")
    Referral = apps.get_model("decisions", "Referral")

    recommendations = list(Recommendation.objects.using(alias).order_by("pk"))
    children = _children(apps, {r.contact_id for r in recommendations}, alias)
    ChildRecommendation.objects.using(alias).bulk_create(
        ChildRecommendation(
            recommendation_id=r.pk, subject_id=subject, rating=r.rating, level_id=r.level_id, outcome=r.outcome
        )
        for r in recommendations
        for subject in children[r.contact_id]
    )
    approved = list(Decision.objects.using(alias).filter(verdict="approved").order_by("pk"))
    ChildDecision.objects.using(alias).bulk_create(
        ChildDecision(decision_id=d.pk, subject_id=subject, outcome=d.outcome)
        for d in approved
        for subject in children.get(d.contact_id, [])
    )
    referrals = list(Referral.objects.using(alias).filter(subject__isnull=True).order_by("pk"))
    of_contact = _children(apps, {r.contact_id for r in referrals}, alias)
    for referral in referrals:
        subjects = of_contact[referral.contact_id]
        if not subjects:
            raise RuntimeError(f"Contact {referral.contact_id} has a referral but no child: link one before migrating")
        referral.subject_id = subjects[0]
        referral.save(update_fields=["subject"])
        Referral.objects.using(alias).bulk_create(
            Referral(
                contact_id=referral.contact_id,
                subject_id=subject,
                decision_id=referral.decision_id,
                outcome=referral.outcome,
                referred_at=referral.referred_at,
            )
            for subject in subjects[1:]
        )


def per_contact(apps, schema_editor):
    """Back to one outcome per contact: the most serious child's rating, level and outcome (a
    statutory outcome before any other), and one referral per contact, the first child's."""
    alias = schema_editor.connection.alias  # the database being migrated
    Recommendation = apps.get_model("decisions", "Recommendation")
    Decision = apps.get_model("decisions", "Decision")
    Referral = apps.get_model("decisions", "Referral")

    def serious(child):
        rating = getattr(child, "rating", "blue")
        return (child.outcome not in STATUTORY, MOST_SERIOUS_FIRST.index(rating), child.pk)

    for recommendation in Recommendation.objects.using(alias).prefetch_related("children"):
        first = min(recommendation.children.all(), key=serious, default=None)
        if first is not None:
            recommendation.level_id, recommendation.outcome = first.level_id, first.outcome
            recommendation.save(update_fields=["level", "outcome"])
    for decision in Decision.objects.using(alias).prefetch_related("children"):
        first = min(decision.children.all(), key=serious, default=None)
        decision.outcome = first.outcome if first is not None else ""
        decision.save(update_fields=["outcome"])
    kept = set()
    for referral in Referral.objects.using(alias).order_by("contact_id", "pk"):
        if referral.contact_id in kept:
            referral.delete()
        else:
            kept.add(referral.contact_id)


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0001_initial'),
        ('decisions', '0004_per_child_rows'),
    ]

    operations = [
        migrations.RunPython(per_child, per_contact),
    ]
