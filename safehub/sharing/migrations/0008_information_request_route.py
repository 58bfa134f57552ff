
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sharing', '0007_purposes_for_packs_and_requests'),
    ]

    operations = [
        migrations.AlterField(
            model_name='disclosure',
            name='route',
            field=models.CharField(blank=True, choices=[('check_request', 'A request for MASH checks'), ('strategy_papers', 'The papers for a strategy discussion'), ('strategy_record', 'The record of a strategy discussion'), ('contact_pack', "The contact's PDF pack"), ('information_request', "An answer to another professional's information request")], help_text='The route it left by (out only).', max_length=30),
        ),
    ]
