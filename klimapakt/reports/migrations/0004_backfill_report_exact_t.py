"""Backfill the exact values behind a submitted report's figures from its balance, where the
balance's exact values round to exactly the figures the report published (a balance changed
after the submission does not)."""

from django.db import migrations

SCOPES = ("scope1", "scope2_location", "scope2_market", "scope3")


def backfill(apps, schema_editor):
    from klimapakt.ghg.calculation import Emissions

    Report = apps.get_model("reports", "Report")
    Balance = apps.get_model("ghg", "Balance")
    reports = Report.objects.filter(exact_t__isnull=True, scope1_t__isnull=False, balance__isnull=False)
    for report in reports.order_by("pk").iterator(chunk_size=500):
        exact_t = Balance.objects.filter(pk=report.balance_id).values_list("exact_t", flat=True).first()
        exact = Emissions.decode(exact_t)
        if exact is None:
            continue
        rounded = exact.rounded()
        if all(getattr(report, f"{k}_t") is not None and rounded[k] == getattr(report, f"{k}_t") for k in SCOPES):
            report.exact_t = exact.encode()
            report.save(update_fields=["exact_t"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_report_exact_t"), ("ghg", "0005_backfill_balance_exact_t")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
