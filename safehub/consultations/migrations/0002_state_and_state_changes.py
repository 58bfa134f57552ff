# A consultation's state (summary to send, summary sent) and its state-change rows. Consultations
# whose summary was already sent are moved to "summary sent", with one row for it from their own
# record of when and by whom (none where the sender was not recorded); the constraint tying the state to that time is added after.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def record_sent_summaries(apps, schema_editor):
    Consultation = apps.get_model("consultations", "Consultation")
    ConsultationStateChange = apps.get_model("consultations", "ConsultationStateChange")
    sent = Consultation.objects.filter(summary_sent_at__isnull=False)
    changes = [
        ConsultationStateChange(
            consultation_id=pk,
            at=sent_at,
            by_id=by_id,
            event="send_summary",
            from_state="awaiting_summary",
            to_state="summary_sent",
        )
        for pk, sent_at, by_id in sent.filter(summary_sent_by__isnull=False)
        .values_list("pk", "summary_sent_at", "summary_sent_by_id")
        .iterator()
    ]
    ConsultationStateChange.objects.bulk_create(changes, batch_size=1000)
    sent.update(state="summary_sent")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('consultations', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ConsultationStateChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField()),
                ('event', models.CharField(max_length=40)),
                ('from_state', models.CharField(max_length=30)),
                ('to_state', models.CharField(max_length=30)),
                ('note', models.TextField(blank=True)),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('consultation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='state_changes', to='consultations.consultation')),
            ],
            options={
                'ordering': ['at', 'pk'],
                'abstract': False,
                'indexes': [models.Index(fields=['consultation', 'at'], name='consultatio_consult_45e3c4_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('event__in', ['send_summary']), ('from_state__in', ['awaiting_summary', 'summary_sent']), ('to_state__in', ['awaiting_summary', 'summary_sent'])), name='consultation_change_valid')],
            },
        ),
        migrations.AddField(
            model_name='consultation',
            name='state',
            field=models.CharField(choices=[('awaiting_summary', 'Summary to send'), ('summary_sent', 'Summary sent')], default='awaiting_summary', max_length=20),
        ),
        migrations.RunPython(record_sent_summaries, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='consultation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'awaiting_summary'), ('summary_sent_at__isnull', True)), models.Q(('state', 'summary_sent'), ('summary_sent_at__isnull', False)), _connector='OR'), name='consultation_summary_sent_has_a_time'),
        ),
    ]
