
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sharing', '0006_ledger_indexes_and_rules'),
    ]

    operations = [
        migrations.AlterField(
            model_name='disclosure',
            name='purpose',
            field=models.CharField(choices=[('mash_checks', 'MASH checks: to decide whether the child needs help or protection (Children Act 1989 s17 and s47)'), ('strategy_discussion', 'Strategy discussion: the papers for a child who may be suffering significant harm (Children Act 1989 s47)'), ('information_request', 'An information request: another professional asked what the hub holds about a child'), ('case_record', "The hub's own record: a copy downloaded by hub staff for their work on the contact")], max_length=40),
        ),
    ]
