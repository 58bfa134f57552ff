
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('checks', '0014_handling_agreements'),
    ]

    operations = [
        migrations.AlterField(
            model_name='handlingagreement',
            name='route',
            field=models.CharField(choices=[('check_request', 'A request for MASH checks'), ('strategy_papers', 'The papers for a strategy discussion'), ('strategy_record', 'The record of a strategy discussion'), ('contact_pack', "The contact's PDF pack"), ('information_request', "An answer to another professional's information request")], max_length=30),
        ),
    ]
