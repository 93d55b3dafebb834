"""Backfill the exact values of stored balances: recomputed from each balance's own lines with
the factors they recorded (as a frozen balance is shown) and its factor set's unit conversions.
Kept only where the result rounds to the stored figures; otherwise the balance keeps falling back
to its rounded figures until it is recomputed."""

from django.db import migrations

SCOPES = ("scope1", "scope2_location", "scope2_market", "scope3", "total_location", "total_market")


def backfill(apps, schema_editor):
    from klimapakt.ghg import calculation

    Balance = apps.get_model("ghg", "Balance")
    BalanceLine = apps.get_model("ghg", "BalanceLine")
    UnitConversion = apps.get_model("ghg", "UnitConversion")
    FactorSet = apps.get_model("ghg", "FactorSet")
    default_set = FactorSet.objects.filter(is_default=True).order_by("pk").values_list("pk", flat=True).first()
    conversions: dict = {}

    def conversions_of(factor_set_id):
        if factor_set_id not in conversions:
            conversions[factor_set_id] = [
                calculation.Conversion(carrier=c.carrier, from_unit=c.from_unit, to_unit=c.to_unit,
                                       numerator=c.numerator, denominator=c.denominator)
                for c in UnitConversion.objects.filter(factor_set_id=factor_set_id).order_by("pk")]
        return conversions[factor_set_id]

    for balance in Balance.objects.filter(exact_t={}).order_by("pk").iterator(chunk_size=500):
        lines = list(BalanceLine.objects.filter(balance_id=balance.pk).order_by("position"))
        factors = {line.factor_id: calculation.Factor(
            id=line.factor_id, carrier=line.carrier, name_de=line.carrier_name, name_en=line.carrier_name,
            scope=line.scope, unit=line.factor_unit, value=line.factor_value, year=line.factor_year,
            source=line.factor_source) for line in lines}
        table = calculation.FactorTable(list(factors.values()),
                                        conversions_of(balance.factor_set_id or default_set))
        try:
            result = calculation.calculate(table, balance.year, [
                {"carrier": line.carrier, "quantity": line.quantity, "unit": line.unit,
                 "supplier_factor_kg_per_kwh": line.supplier_factor} for line in lines])
        except calculation.CalculationError:
            continue
        rounded = result.emissions.rounded()
        if any(rounded[k] != getattr(balance, f"{k}_t") for k in SCOPES):
            continue
        balance.exact_t = result.emissions.encode() | {
            "carriers": {carrier: str(values["location"]) for carrier, values in result.by_carrier.items()}}
        balance.save(update_fields=["exact_t"])


class Migration(migrations.Migration):
    dependencies = [("ghg", "0004_balance_exact_t")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
