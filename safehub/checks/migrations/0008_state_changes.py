# State-change rows for MASH checks, agency requests and agency responses. The changes made before
# these tables existed are written from the records' own times and people: checks submitted for
# decision, requests withdrawn or answered (by the first answer's author), first answers submitted.
# A row is left out where the record does not say who made the change.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def record_earlier_changes(apps, schema_editor):
    alias = schema_editor.connection.alias  # the database being migrated
    MashChecks = apps.get_model("checks", "MashChecks")
    AgencyRequest = apps.get_model("checks", "AgencyRequest")
    AgencyResponse = apps.get_model("checks", "AgencyResponse")
    ChecksStateChange = apps.get_model("checks", "ChecksStateChange")
    RequestStateChange = apps.get_model("checks", "RequestStateChange")
    ResponseStateChange = apps.get_model("checks", "ResponseStateChange")

    submitted = MashChecks.objects.using(alias).filter(state="submitted", submitted_by__isnull=False)
    ChecksStateChange.objects.using(alias).bulk_create(
        (
            ChecksStateChange(
                checks_id=pk,
                at=at,
                by_id=by_id,
                event="submit_for_decision",
                from_state="open",
                to_state="submitted",
                note=reason,
            )
            for pk, at, by_id, reason in submitted.values_list(
                "pk", "submitted_at", "submitted_by_id", "outstanding_reason"
            ).iterator()
        ),
        batch_size=1000,
    )

    withdrawn = AgencyRequest.objects.using(alias).filter(state="withdrawn", withdrawn_by__isnull=False)
    RequestStateChange.objects.using(alias).bulk_create(
        (
            RequestStateChange(
                request_id=pk, at=at, by_id=by_id, event="withdraw", from_state="sent", to_state="withdrawn", note=reason
            )
            for pk, at, by_id, reason in withdrawn.values_list(
                "pk", "withdrawn_at", "withdrawn_by_id", "withdrawn_reason"
            ).iterator()
        ),
        batch_size=1000,
    )

    first_answers = AgencyResponse.objects.using(alias).filter(status="submitted", supersedes__isnull=True).order_by(
        "request_id", "submitted_at", "pk"
    )
    answered_by = {}
    responses = []
    for pk, request_id, author_id, at in first_answers.values_list(
        "pk", "request_id", "author_id", "submitted_at"
    ).iterator():
        answered_by.setdefault(request_id, author_id)
        responses.append(
            ResponseStateChange(
                response_id=pk, at=at, by_id=author_id, event="submit", from_state="draft", to_state="submitted"
            )
        )
    ResponseStateChange.objects.using(alias).bulk_create(responses, batch_size=1000)

    answered = AgencyRequest.objects.using(alias).filter(state="answered", answered_at__isnull=False)
    RequestStateChange.objects.using(alias).bulk_create(
        (
            RequestStateChange(
                request_id=pk,
                at=at,
                by_id=answered_by[pk],
                event="answer",
                from_state="sent",
                to_state="answered",
            )
            for pk, at in answered.values_list("pk", "answered_at").iterator()
            if pk in answered_by
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('checks', '0007_late_answer_recipients'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ChecksStateChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField()),
                ('event', models.CharField(max_length=40)),
                ('from_state', models.CharField(max_length=30)),
                ('to_state', models.CharField(max_length=30)),
                ('note', models.TextField(blank=True)),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('checks', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='state_changes', to='checks.mashchecks')),
            ],
            options={
                'ordering': ['at', 'pk'],
                'abstract': False,
                'indexes': [models.Index(fields=['checks', 'at'], name='checks_chec_checks__eea65b_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('event__in', ['submit_for_decision']), ('from_state__in', ['open', 'submitted']), ('to_state__in', ['open', 'submitted'])), name='checks_change_valid')],
            },
        ),
        migrations.CreateModel(
            name='RequestStateChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField()),
                ('event', models.CharField(max_length=40)),
                ('from_state', models.CharField(max_length=30)),
                ('to_state', models.CharField(max_length=30)),
                ('note', models.TextField(blank=True)),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='state_changes', to='checks.agencyrequest')),
            ],
            options={
                'ordering': ['at', 'pk'],
                'abstract': False,
                'indexes': [models.Index(fields=['request', 'at'], name='checks_requ_request_9d6246_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('event__in', ['answer', 'withdraw']), ('from_state__in', ['sent', 'answered', 'withdrawn']), ('to_state__in', ['sent', 'answered', 'withdrawn'])), name='request_change_valid')],
            },
        ),
        migrations.CreateModel(
            name='ResponseStateChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField()),
                ('event', models.CharField(max_length=40)),
                ('from_state', models.CharField(max_length=30)),
                ('to_state', models.CharField(max_length=30)),
                ('note', models.TextField(blank=True)),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('response', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='state_changes', to='checks.agencyresponse')),
            ],
            options={
                'ordering': ['at', 'pk'],
                'abstract': False,
                'indexes': [models.Index(fields=['response', 'at'], name='checks_resp_respons_e48903_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('event__in', ['submit']), ('from_state__in', ['draft', 'submitted']), ('to_state__in', ['draft', 'submitted'])), name='response_change_valid')],
            },
        ),
        migrations.RunPython(record_earlier_changes, migrations.RunPython.noop),
    ]
