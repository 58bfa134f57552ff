# Decisions per child (ADR 0019), step 1 of 3: the per-child tables and the referral's child, beside
# the contact-level columns they replace. The columns to be removed become nullable here, so that
# going back (0006 undone, then 0005) can fill them again before they are made required once more.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0001_initial'),
        ('decisions', '0003_alter_decision_options_alter_recommendation_options'),
        ('protocols', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChildRecommendation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rating', models.CharField(choices=[('blue', 'Blue'), ('red', 'Red'), ('amber', 'Amber'), ('green', 'Green')], max_length=10)),
                ('outcome', models.CharField(choices=[('no_further_action', 'No further action'), ('signpost', 'Signpost to universal or additional services'), ('early_help', 'Early help (family wellbeing)'), ('section_17_assessment', "Children's social care assessment (section 17, child in need)"), ('children_with_disability', 'Children with disability service'), ('strategy_discussion', 'Strategy discussion (section 47, significant harm)'), ('forward_to_allocated_worker', 'Forward to the allocated worker (open case)'), ('lado', 'LADO (allegation against someone who works with children)')], max_length=40)),
                ('level', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='protocols.thresholdlevel')),
                ('recommendation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='children', to='decisions.recommendation')),
                ('subject', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contacts.contactsubject')),
            ],
            options={
                'ordering': ['recommendation_id', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('recommendation', 'subject'), name='child_recommendation_once_per_child')],
            },
        ),
        migrations.CreateModel(
            name='ChildDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('outcome', models.CharField(choices=[('no_further_action', 'No further action'), ('signpost', 'Signpost to universal or additional services'), ('early_help', 'Early help (family wellbeing)'), ('section_17_assessment', "Children's social care assessment (section 17, child in need)"), ('children_with_disability', 'Children with disability service'), ('strategy_discussion', 'Strategy discussion (section 47, significant harm)'), ('forward_to_allocated_worker', 'Forward to the allocated worker (open case)'), ('lado', 'LADO (allegation against someone who works with children)')], max_length=40)),
                ('decision', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='children', to='decisions.decision')),
                ('subject', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contacts.contactsubject')),
            ],
            options={
                'ordering': ['decision_id', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('decision', 'subject'), name='child_decision_once_per_child')],
            },
        ),
        migrations.AlterField(
            model_name='recommendation',
            name='level',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='protocols.thresholdlevel'),
        ),
        migrations.AlterField(
            model_name='recommendation',
            name='outcome',
            field=models.CharField(max_length=40, null=True),
        ),
        migrations.RemoveConstraint(
            model_name='decision',
            name='decision_outcome_only_when_approved',
        ),
        migrations.AlterField(
            model_name='decision',
            name='outcome',
            field=models.CharField(max_length=40, null=True),
        ),
        migrations.AlterField(
            model_name='referral',
            name='contact',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='contacts.contact'),
        ),
        migrations.AlterField(
            model_name='referral',
            name='decision',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='decisions.decision'),
        ),
        migrations.AddField(
            model_name='referral',
            name='subject',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='contacts.contactsubject'),
        ),
    ]
