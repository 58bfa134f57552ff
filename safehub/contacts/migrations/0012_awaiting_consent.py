
import safehub.contacts.workflow
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_agency_shared_email'),
        ('contacts', '0011_not_told'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='contact',
            name='contact_state_valid',
        ),
        migrations.AlterField(
            model_name='contact',
            name='state',
            field=models.CharField(choices=[('received', 'Received'), ('screening', 'In basic screening'), ('awaiting_threshold', 'Awaiting threshold decision'), ('awaiting_consent', 'Awaiting consent: the referrer is asking the family'), ('mash_checks', 'MASH checks under way'), ('awaiting_approval', 'Awaiting manager approval'), ('approved', 'Approved: outcome to action'), ('closed', 'Closed')], default=safehub.contacts.workflow.ContactState['RECEIVED'], max_length=30),
        ),
        migrations.AlterField(
            model_name='statechange',
            name='event',
            field=models.CharField(choices=[('start_screening', 'Started basic screening'), ('signpost', 'Signposted and closed (information or advice only)'), ('forward_to_allocated_worker', 'Forwarded to the allocated worker (open case)'), ('allocate_to_previous_worker', 'Allocated to the previous social worker (three-month rule)'), ('refer_for_threshold', 'Sent to a MASH social worker for a threshold decision'), ('start_mash_checks', 'MASH checks started: partner agencies asked what they hold'), ('pause_for_consent', 'Paused: the referrer asked to discuss it with the family and seek consent'), ('resume_after_consent', 'Resumed after waiting for consent'), ('submit_checks_for_decision', 'MASH checks collated and submitted for a threshold decision'), ('recommend', 'Rated and recommended an outcome'), ('return_for_reconsideration', 'Returned by the manager for reconsideration'), ('approve', 'Approved by a manager'), ('action_outcome', 'Outcome actioned and contact closed')], max_length=40),
        ),
        migrations.AlterField(
            model_name='statechange',
            name='from_state',
            field=models.CharField(choices=[('received', 'Received'), ('screening', 'In basic screening'), ('awaiting_threshold', 'Awaiting threshold decision'), ('awaiting_consent', 'Awaiting consent: the referrer is asking the family'), ('mash_checks', 'MASH checks under way'), ('awaiting_approval', 'Awaiting manager approval'), ('approved', 'Approved: outcome to action'), ('closed', 'Closed')], max_length=30),
        ),
        migrations.AlterField(
            model_name='statechange',
            name='to_state',
            field=models.CharField(choices=[('received', 'Received'), ('screening', 'In basic screening'), ('awaiting_threshold', 'Awaiting threshold decision'), ('awaiting_consent', 'Awaiting consent: the referrer is asking the family'), ('mash_checks', 'MASH checks under way'), ('awaiting_approval', 'Awaiting manager approval'), ('approved', 'Approved: outcome to action'), ('closed', 'Closed')], max_length=30),
        ),
        migrations.AddConstraint(
            model_name='contact',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['received', 'screening', 'awaiting_threshold', 'awaiting_consent', 'mash_checks', 'awaiting_approval', 'approved', 'closed'])), name='contact_state_valid'),
        ),
    ]
