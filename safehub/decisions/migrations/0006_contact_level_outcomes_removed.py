# Decisions per child (ADR 0019), step 3 of 3: the contact-level level of need and outcomes, now held
# per child, are removed; each referral names its child, once per contact.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0001_initial'),
        ('decisions', '0005_per_child_data'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='recommendation',
            name='level',
        ),
        migrations.RemoveField(
            model_name='recommendation',
            name='outcome',
        ),
        migrations.RemoveField(
            model_name='decision',
            name='outcome',
        ),
        migrations.AlterField(
            model_name='referral',
            name='subject',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='contacts.contactsubject'),
        ),
        migrations.AlterModelOptions(
            name='referral',
            options={'ordering': ['-referred_at', 'pk']},
        ),
        migrations.AddConstraint(
            model_name='referral',
            constraint=models.UniqueConstraint(fields=('contact', 'subject'), name='referral_once_per_child'),
        ),
    ]
