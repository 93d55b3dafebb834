from django.db import migrations


def load(apps, schema_editor):
    """The second data contract: the grid-mix edition 1990-2024 (rule 2a), the refrigerants
    (rule 7) and the Scope 3 defaults (rule 8). Open balances are recomputed by the
    `recompute_balances` job, which tells their owners; frozen ones keep their values."""
    from klimapakt.ghg.defaults import load_default_factor_set

    load_default_factor_set(apps)


class Migration(migrations.Migration):
    dependencies = [("ghg", "0007_factor_editions_refrigerants_travel")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
