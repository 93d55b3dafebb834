"""The shipped default factor set: klimapakt/ghg/data/*.csv (copied unchanged from the
shared reference data, sources kept) loaded into the database. Used by the data migration
and by `manage.py load_factors`; idempotent."""

from __future__ import annotations

from . import calculation

DEFAULT_SET_NAME_DE = "Standardfaktoren Deutschland (BAFA / Umweltbundesamt)"
DEFAULT_SET_NAME_EN = "Default factors Germany (BAFA / German Environment Agency)"
DEFAULT_SET_DESCRIPTION_DE = (
    "Mitgelieferter Faktorensatz des Klimapakts: Brennstoffe nach dem BAFA-Informationsblatt CO2-Faktoren, "
    "Strom-Bundesmix nach Umweltbundesamt, Kraftstoffe nach Umweltbundesamt. Werte werden nie überschrieben: "
    "eine Korrektur ist eine neue Ausgabe."
)


def load_default_factor_set(apps=None):
    """Create the default set from the CSV files when it does not exist yet; add rows that are
    missing (a new shipped year). Never changes a stored value."""
    if apps is None:
        from django.apps import apps as global_apps
        apps = global_apps
    FactorSet = apps.get_model("ghg", "FactorSet")
    EmissionFactor = apps.get_model("ghg", "EmissionFactor")
    UnitConversion = apps.get_model("ghg", "UnitConversion")
    factor_set = FactorSet.objects.filter(is_default=True).order_by("pk").first()
    if factor_set is None:
        factor_set = FactorSet.objects.create(name_de=DEFAULT_SET_NAME_DE, name_en=DEFAULT_SET_NAME_EN,
                                              description_de=DEFAULT_SET_DESCRIPTION_DE, is_default=True)
    existing = set(EmissionFactor.objects.filter(factor_set=factor_set).values_list("carrier", "year"))
    new = [EmissionFactor(factor_set=factor_set, carrier=f.carrier, name_de=f.name_de, name_en=f.name_en,
                          scope=f.scope, unit=f.unit, value=f.value, year=f.year, source=f.source, note=f.note)
           for f in calculation.factors_from_csv() if (f.carrier, f.year) not in existing]
    EmissionFactor.objects.bulk_create(new)
    known = set(UnitConversion.objects.filter(factor_set=factor_set).values_list("carrier", "from_unit", "to_unit"))
    conversions = [UnitConversion(factor_set=factor_set, carrier=c.carrier, from_unit=c.from_unit, to_unit=c.to_unit,
                                  numerator=c.numerator, denominator=c.denominator, source=c.source)
                   for c in calculation.conversions_from_csv() if (c.carrier, c.from_unit, c.to_unit) not in known]
    UnitConversion.objects.bulk_create(conversions)
    if (new or conversions) and existing:
        FactorSet.objects.filter(pk=factor_set.pk).update(version=factor_set.version + 1)
    return factor_set, len(new), len(conversions)
