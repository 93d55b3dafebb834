from django.db import migrations


def load(apps, schema_editor):
    from klimapakt.ghg.defaults import load_first_contract

    load_first_contract(apps)


class Migration(migrations.Migration):
    dependencies = [("ghg", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
