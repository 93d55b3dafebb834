# A saving carries its unit: "Diesel 500 l" instead of kWh that could not be converted (issue 12).
# Existing rows keep "kWh" (the default); the quantity fields are renamed from *_kwh.

import django.core.validators
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0005_single_line_fields'),
    ]

    operations = [
        migrations.RenameField(
            model_name='measuresaving',
            old_name='expected_kwh',
            new_name='expected_quantity',
        ),
        migrations.RenameField(
            model_name='measuresaving',
            old_name='realised_kwh',
            new_name='realised_quantity',
        ),
        migrations.AddField(
            model_name='measuresaving',
            name='unit',
            field=models.CharField(default='kWh', max_length=20, verbose_name='Einheit'),
        ),
        migrations.AlterField(
            model_name='measuresaving',
            name='expected_quantity',
            field=models.DecimalField(decimal_places=1, max_digits=16, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='Erwartete Einsparung (Menge pro Jahr)'),
        ),
        migrations.AlterField(
            model_name='measuresaving',
            name='realised_quantity',
            field=models.DecimalField(blank=True, decimal_places=1, max_digits=16, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='Erreichte Einsparung (Menge pro Jahr)'),
        ),
        migrations.AlterField(
            model_name='measure',
            name='expected_t_manual',
            field=models.DecimalField(blank=True, decimal_places=3, help_text='Nur nötig, wenn sich die Einsparung nicht aus einer Menge berechnen lässt (z. B. Prozesse).', max_digits=18, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='Erwartete Einsparung (t CO₂e pro Jahr), eigene Angabe'),
        ),
    ]
