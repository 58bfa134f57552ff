
import django.db.models.deletion
import safehub.information_requests.workflow
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0003_agency_shared_email'),
        ('people', '0004_person_warnings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='InformationRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.PositiveSmallIntegerField(choices=[(1, "Level 1: is the child known to children's social care, and who is the worker"), (2, 'Level 2: a limited account of past involvement (a closed case)'), (3, 'Level 3: the whole file, for court proceedings or a section 47 enquiry')])),
                ('state', models.CharField(choices=[('received', 'To answer'), ('awaiting_approval', 'Answer to approve'), ('with_disclosure_team', 'With the disclosure team'), ('answered', 'Answered'), ('refused', 'Refused')], default=safehub.information_requests.workflow.RequestState['RECEIVED'], max_length=30)),
                ('received_at', models.DateTimeField()),
                ('due_at', models.DateTimeField()),
                ('requester_name', models.CharField(max_length=200)),
                ('requester_role', models.CharField(max_length=200)),
                ('requester_organisation', models.CharField(max_length=200)),
                ('requester_email', models.EmailField(max_length=254)),
                ('requester_phone', models.CharField(blank=True, max_length=40)),
                ('identity_checked', models.TextField(blank=True, help_text="How the caller's identity was checked.")),
                ('child_name', models.CharField(max_length=200)),
                ('child_date_of_birth', models.DateField(blank=True, null=True)),
                ('searched_not_found', models.BooleanField(default=False)),
                ('reason', models.TextField(help_text='Why they ask, in their words.')),
                ('consent_evidence', models.CharField(blank=True, choices=[('signed', 'A form or letter signed by the parent, carer or young person'), ('verbal', 'The requesting agency confirms verbal consent was given'), ('not_needed', 'Not needed: one of the exemptions below applies'), ('none', 'None given')], max_length=20)),
                ('exemption', models.CharField(blank=True, choices=[('section_47', 'An active child protection enquiry (section 47)'), ('care_proceedings', 'Care proceedings'), ('cafcass_report', 'A CAFCASS section 7 or section 37 report'), ('pre_proceedings', 'Pre-proceedings (the public law outline)')], max_length=30)),
                ('answer', models.JSONField(blank=True, default=dict)),
                ('answered_at', models.DateTimeField(blank=True, null=True)),
                ('refused_reason', models.TextField(blank=True)),
                ('version', models.PositiveIntegerField(default=0)),
                ('submission_key', models.UUIDField(blank=True, editable=False, null=True, unique=True)),
                ('agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.agency')),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.person')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['due_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='InformationRequestStateChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField()),
                ('event', models.CharField(max_length=40)),
                ('from_state', models.CharField(max_length=30)),
                ('to_state', models.CharField(max_length=30)),
                ('note', models.TextField(blank=True)),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='state_changes', to='information_requests.informationrequest')),
            ],
            options={
                'ordering': ['at', 'pk'],
                'abstract': False,
            },
        ),
        migrations.AddIndex(
            model_name='informationrequest',
            index=models.Index(fields=['state', 'due_at'], name='information_request_queue_idx'),
        ),
        migrations.AddConstraint(
            model_name='informationrequest',
            constraint=models.CheckConstraint(condition=models.Q(('level__in', [1, 2, 3])), name='information_request_level'),
        ),
        migrations.AddConstraint(
            model_name='informationrequest',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'refused'), _negated=True), models.Q(('refused_reason', ''), _negated=True), _connector='OR'), name='refused_request_has_a_reason'),
        ),
        migrations.AddConstraint(
            model_name='informationrequest',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'answered'), _negated=True), ('answered_at__isnull', False), _connector='OR'), name='answered_request_has_a_time'),
        ),
        migrations.AddConstraint(
            model_name='informationrequeststatechange',
            constraint=models.CheckConstraint(condition=models.Q(('event__in', ['answer', 'draft', 'approve', 'send_back', 'refer', 'refuse']), ('from_state__in', ['received', 'awaiting_approval', 'with_disclosure_team', 'answered', 'refused']), ('to_state__in', ['received', 'awaiting_approval', 'with_disclosure_team', 'answered', 'refused'])), name='information_request_change_valid'),
        ),
    ]
