from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0002_registration_reminded_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='cancellation_message',
            field=models.TextField(blank=True, help_text='Die Nachricht des Veranstalters an die Angemeldeten, als die Veranstaltung abgesagt wurde.', verbose_name='Nachricht zur Absage'),
        ),
    ]
