"""Clocks as the seeds write them (ADR 0017).

The shipped profiles' timescales now quote their seed, and the recommendation and approval share
an overall decision clock from receipt where a seed sets one (Birmingham 000: 24 hours to a clear
decision; Bexley 002 §9–10: the referral within 24 hours; Walsall 004 §6: a child protection
concern progressed within 2 hours), not a threshold clock followed by an approval clock. Sefton's
two 24-working-hour timescales become local defaults and the telephone prompt of 003 §2.6. Who
may approve is a protocol setting: Bexley's senior practitioners decide too (002 roles table).

Only what is still as shipped is changed: a row an administrator edited, or removed, is left as
it is, and so is an edited list of approvers. The same function run backwards restores the rows
as they were shipped before.
"""

from decimal import Decimal

import safehub.protocols.models
from django.db import migrations, models

# The shipped rows before this migration (protocols 0002, 0004, 0006): slug, clock, rating, agency,
# amount, unit, note.
BEFORE = [
    ('bexley', 'screening', '', '', '4', 'working_hours', 'Local default: contact screened within half a working day'),
    ('bexley', 'screening', 'red', '', '1', 'elapsed_hours', '§11: significant harm referred immediately (Red screened within the hour)'),
    ('bexley', 'threshold_decision', '', '', '24', 'elapsed_hours', '§9–10: referral made within 24 hours'),
    ('bexley', 'threshold_decision', 'red', '', '4', 'elapsed_hours', '§11: significant harm referred immediately'),
    ('bexley', 'approval', '', '', '1', 'working_days', 'Local default'),
    ('bexley', 'approval', 'red', '', '2', 'elapsed_hours', '§11: significant harm referred immediately'),
    ('bexley', 'outcome_to_referrer', '', '', '48', 'elapsed_hours', '§12: outcome shared in writing within 48 hours'),
    ('bexley', 'consultation_summary', '', '', '48', 'elapsed_hours', '§5–6: summary sent within 48 hours'),
    ('bexley', 'mash_checks', '', '', '1', 'working_days', '§13: other MASH checks within 1 working day'),
    ('bexley', 'mash_checks', 'red', '', '4', 'elapsed_hours', '§13: high-risk MASH checks within 4 hours'),
    ('bexley', 'strategy_discussion', '', '', '4', 'elapsed_hours', '§11: immediate referral for a strategy meeting'),
    ('birmingham', 'screening', '', '', '4', 'working_hours', 'Same-day triage by a Referral and Advice Officer'),
    ('birmingham', 'screening', 'red', '', '1', 'elapsed_hours', 'Immediate risk: a phone call at once (Red screened within the hour)'),
    ('birmingham', 'threshold_decision', '', '', '24', 'elapsed_hours', 'Decision within 24 hours'),
    ('birmingham', 'threshold_decision', 'red', '', '4', 'elapsed_hours', 'Urgent: within hours'),
    ('birmingham', 'approval', '', '', '24', 'elapsed_hours', 'Decision within 24 hours'),
    ('birmingham', 'approval', 'red', '', '2', 'elapsed_hours', 'Urgent: within hours'),
    ('birmingham', 'outcome_to_referrer', '', '', '1', 'working_days', 'Outcomes sent to partners (local default: next working day)'),
    ('birmingham', 'consultation_summary', '', '', '2', 'working_days', 'Local default'),
    ('birmingham', 'mash_checks', '', '', '8', 'working_hours', 'Same day'),
    ('birmingham', 'mash_checks', 'red', '', '4', 'elapsed_hours', 'Urgent: within hours'),
    ('birmingham', 'strategy_discussion', '', '', '24', 'elapsed_hours', 'Strategy meetings within 24 hours (72 by recorded exception)'),
    ('sefton', 'screening', '', '', '4', 'working_hours', 'Local default'),
    ('sefton', 'screening', 'red', '', '1', 'elapsed_hours', 'Local default: Red screened within the hour'),
    ('sefton', 'threshold_decision', '', '', '24', 'working_hours', 'GP information by phone when needed within 24 working hours'),
    ('sefton', 'approval', '', '', '1', 'working_days', 'Local default'),
    ('sefton', 'approval', 'red', '', '2', 'elapsed_hours', 'Local default for red'),
    ('sefton', 'outcome_to_referrer', '', '', '1', 'working_days', 'Outcome to the referrer within one working day'),
    ('sefton', 'consultation_summary', '', '', '2', 'working_days', 'Local default'),
    ('sefton', 'mash_checks', '', '', '24', 'working_hours', 'Information returned within 24 working hours'),
    ('sefton', 'strategy_discussion', '', '', '24', 'elapsed_hours', 'Local default'),
    ('walsall', 'screening', '', '', '4', 'working_hours', 'Local default'),
    ('walsall', 'screening', 'red', '', '1', 'elapsed_hours', '§6: a child protection concern progressed within 2 hours'),
    ('walsall', 'threshold_decision', '', '', '1', 'working_days', 'Local default'),
    ('walsall', 'threshold_decision', 'red', '', '2', 'elapsed_hours', '§6: child protection concern progressed within 2 hours'),
    ('walsall', 'approval', '', '', '1', 'working_days', '§5, §7: every recommendation approved by a manager'),
    ('walsall', 'approval', 'red', '', '2', 'elapsed_hours', '§6: within 2 hours'),
    ('walsall', 'outcome_to_referrer', '', '', '2', 'working_days', 'Local default'),
    ('walsall', 'consultation_summary', '', '', '2', 'working_days', 'Local default'),
    ('walsall', 'mash_checks', '', '', '1', 'working_days', 'Local default'),
    ('walsall', 'mash_checks', '', 'health', '1', 'elapsed_hours', '§5: health information requests answered within one hour'),
    ('walsall', 'strategy_discussion', '', '', '2', 'elapsed_hours', '§6: within 2 hours'),
]
# The shipped rows now, as profiles.py holds them.
NOW = [
    ('bexley', 'screening', '', '', '4', 'working_hours', 'Local default: §2–3 set no time for basic screening'),
    ('bexley', 'screening', 'red', '', '1', 'elapsed_hours', "Local default: Red screened within the hour, for §11: 'The MASH will immediately make a referral'"),
    ('bexley', 'decision', '', '', '24', 'elapsed_hours', "§9: 'The MASH social worker will make a referral to the Family Wellbeing service (Within 24 hours)'; §10: 'a referral will be made to the Children with Disability service. (Within 24 hours)'"),
    ('bexley', 'decision', 'red', '', '4', 'elapsed_hours', "Local default: 4 hours from receipt, for §11: 'The MASH will immediately make a referral to the Children's Social Care Assessment service for a Child Protection Strategy Meeting'"),
    ('bexley', 'outcome_to_referrer', '', '', '48', 'elapsed_hours', "§12: decision and outcome shared in writing 'with the person making contact with the MASH, within 48 hours' (from the decision)"),
    ('bexley', 'consultation_summary', '', '', '48', 'elapsed_hours', "§5: 'a copy sent to the person who sought the consultation, within 48 hours'; §6 likewise"),
    ('bexley', 'mash_checks', '', '', '1', 'working_days', "§13: 'other MASH checks must be completed within 1 working day'"),
    ('bexley', 'mash_checks', 'red', '', '4', 'elapsed_hours', "§13: 'High-risk MASH checks will be completed within a maximum of 4 hours'"),
    ('bexley', 'strategy_discussion', '', '', '4', 'elapsed_hours', "Local default: 4 hours, for §11: 'The MASH will immediately make a referral to the Children's Social Care Assessment service for a Child Protection Strategy Meeting'"),
    ('birmingham', 'screening', '', '', '4', 'working_hours', 'Local default: 000 sets no time for screening a request for support'),
    ('birmingham', 'screening', 'red', '', '1', 'elapsed_hours', 'Local default: Red screened within the hour (000 sets no time)'),
    ('birmingham', 'decision', '', '', '24', 'elapsed_hours', "000, Role and function of CASS and MASH: 'There is a 24-hour timescale set for all enquires to have clear decisions'"),
    ('birmingham', 'decision', 'red', '', '4', 'elapsed_hours', "Local default: 4 hours from receipt for Red, within 000's 24 hours for all enquiries"),
    ('birmingham', 'outcome_to_referrer', '', '', '1', 'working_days', 'Local default: 000 asks for outcomes to be shared with partners and sets no time'),
    ('birmingham', 'consultation_summary', '', '', '2', 'working_days', 'Local default: 000 sets no time'),
    ('birmingham', 'mash_checks', '', '', '8', 'working_hours', "000: 'Same day responses are required from partners to allow CASS to make timely and proportionate recommendations without delay' (as 8 working hours)"),
    ('birmingham', 'mash_checks', 'red', '', '4', 'elapsed_hours', "Local default: 4 hours, for 000: 'There are occasions when information is required back within hour/s due to the nature of the risks raised'"),
    ('birmingham', 'strategy_discussion', '', '', '24', 'elapsed_hours', "000: 'MASH aim to respond to all strategy meetings within 24 hours unless there is a clear risk assessment that allows for up to 72-hour exception'"),
    ('sefton', 'screening', '', '', '4', 'working_hours', 'Local default: 003 sets no time for screening'),
    ('sefton', 'screening', 'red', '', '1', 'elapsed_hours', 'Local default: Red screened within the hour (003 sets no time)'),
    ('sefton', 'threshold_decision', '', '', '1', 'working_days', 'Local default: 003 sets no time for the decision'),
    ('sefton', 'approval', '', '', '1', 'working_days', "Local default: 003 sets no time for the manager's decision"),
    ('sefton', 'decision', 'red', '', '4', 'elapsed_hours', 'Local default: Red decided within 4 hours of receipt (003 sets no time)'),
    ('sefton', 'outcome_to_referrer', '', '', '1', 'working_days', "App. 4 §10: 'they will inform the referrer of their decision by letter or telephone within 1 working day'"),
    ('sefton', 'consultation_summary', '', '', '2', 'working_days', 'Local default: 003 sets no time'),
    ('sefton', 'mash_checks', '', '', '1', 'working_days', "Local default: 003 sets no time for agencies' answers"),
    ('sefton', 'mash_checks', 'red', '', '4', 'elapsed_hours', 'Local default: Red checks within 4 hours (003 sets no time)'),
    ('sefton', 'strategy_discussion', '', '', '24', 'elapsed_hours', 'Local default: 003 sets no time'),
    ('sefton', 'phone_agency', '', 'gp_practice', '24', 'working_hours', "§2.6: 'it is expected that MASH will also telephone GP surgeries if information is required within less than 24 working hours'"),
    ('walsall', 'screening', '', '', '4', 'working_hours', 'Local default: 004 sets no time for screening'),
    ('walsall', 'screening', 'red', '', '1', 'elapsed_hours', "Local default: Red screened within the hour, inside §6's 2 hours"),
    ('walsall', 'threshold_decision', '', '', '1', 'working_days', 'Local default: 004 sets no time for the recommendation'),
    ('walsall', 'approval', '', '', '1', 'working_days', "Local default: §5 'A recommendation will then be made as to the next course of action, which will be approved by a manager', with no time"),
    ('walsall', 'decision', 'red', '', '2', 'elapsed_hours', "§6: 'The agreed standard for the Walsall MASH to progress a child protection concern is within a maximum of 2 hours'"),
    ('walsall', 'outcome_to_referrer', '', '', '2', 'working_days', 'Local default: 004 sets no time'),
    ('walsall', 'consultation_summary', '', '', '2', 'working_days', 'Local default: 004 sets no time'),
    ('walsall', 'mash_checks', '', '', '1', 'working_days', 'Local default: 004 sets no time'),
    ('walsall', 'mash_checks', '', 'health', '1', 'elapsed_hours', "§5: 'there is agreement for the sharing of health information requests to be made within one hour of the request being made'"),
    ('walsall', 'strategy_discussion', '', '', '2', 'elapsed_hours', "§6: the MASH will 'hold a strategy meeting'; 'The agreed standard for the Walsall MASH to progress a child protection concern is within a maximum of 2 hours'"),
]


BEXLEY_APPROVERS = ["team_manager", "senior_practitioner"]
BEFORE_APPROVERS = ["team_manager"]


def _keyed(rows):
    return {row[:4]: row[4:] for row in rows}


def _move(apps, shipped, to):
    """Change each row still as `shipped` has it into what `to` holds: update it, delete it when
    `to` has no such row, and add the rows only `to` has where the hub has none."""
    LocalProtocol = apps.get_model("protocols", "LocalProtocol")
    Timescale = apps.get_model("protocols", "Timescale")
    protocols = {p.slug: p for p in LocalProtocol.objects.filter(slug__in={row[0] for row in shipped + to})}
    before, after = _keyed(shipped), _keyed(to)
    for key, (amount, unit, note) in before.items():
        slug, clock, rating, agency = key
        if slug not in protocols:
            continue
        row = Timescale.objects.filter(protocol=protocols[slug], clock=clock, rating=rating, agency=agency).first()
        if row is None or (row.amount, row.unit, row.note) != (Decimal(amount), unit, note):
            continue  # removed or edited by an administrator: left as it is
        if key in after:
            row.amount, row.unit, row.note = Decimal(after[key][0]), after[key][1], after[key][2]
            row.save(update_fields=["amount", "unit", "note"])
        else:
            row.delete()
    for key, (amount, unit, note) in after.items():
        slug, clock, rating, agency = key
        if key in before or slug not in protocols:
            continue
        Timescale.objects.get_or_create(
            protocol=protocols[slug],
            clock=clock,
            rating=rating,
            agency=agency,
            defaults={"amount": Decimal(amount), "unit": unit, "note": note},
        )


def forwards(apps, schema_editor):
    _move(apps, BEFORE, NOW)
    LocalProtocol = apps.get_model("protocols", "LocalProtocol")
    for bexley in LocalProtocol.objects.filter(slug="bexley"):
        if bexley.approver_roles == BEFORE_APPROVERS:  # as the new column's default set it
            bexley.approver_roles = BEXLEY_APPROVERS
            bexley.save(update_fields=["approver_roles"])


def backwards(apps, schema_editor):
    _move(apps, NOW, BEFORE)


class Migration(migrations.Migration):

    dependencies = [
        ('protocols', '0006_red_screening'),
    ]

    operations = [
        migrations.AddField(
            model_name='localprotocol',
            name='approver_roles',
            field=models.JSONField(default=safehub.protocols.models.default_approver_roles, help_text='The roles that may approve a threshold recommendation.'),
        ),
        migrations.AlterField(
            model_name='timescale',
            name='agency',
            field=models.CharField(blank=True, choices=[('childrens_social_care', "Children's social care"), ('police', 'Police'), ('health', 'Health'), ('gp_practice', 'GP practice'), ('education', 'Education'), ('probation', 'Probation'), ('housing', 'Housing'), ('domestic_abuse', 'Domestic abuse service'), ('substance_misuse', 'Substance misuse service'), ('early_years', 'Early years'), ('adult_social_care', 'Adult social care'), ('early_help', 'Early help'), ('youth_justice', 'Youth justice'), ('other', 'Other agency')], help_text='For MASH checks and the telephone prompt: blank for any agency.', max_length=40),
        ),
        migrations.AlterField(
            model_name='timescale',
            name='clock',
            field=models.CharField(choices=[('screening', 'Basic screening'), ('threshold_decision', 'Threshold decision (recommendation)'), ('approval', 'Approval of the recommendation'), ('decision', 'Decision, recommendation and approval together'), ('outcome_to_referrer', 'Outcome sent to referrer'), ('consultation_summary', 'Consultation summary sent'), ('mash_checks', 'MASH checks'), ('strategy_discussion', 'Strategy discussion'), ('phone_agency', 'Telephone the agency too')], max_length=40),
        ),
        migrations.RunPython(forwards, backwards),
    ]
