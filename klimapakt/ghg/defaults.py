"""The shipped factors: klimapakt/ghg/data/*.csv (copied unchanged from the shared reference
data, sources kept) loaded into the database. Used by the data migrations and by
`manage.py load_factors`; idempotent. Works with the historical models of a migration (pass
`apps`) as well as with the real ones.

- The default set (`emission_factors_de.csv`), the Scope 3 defaults (`scope3_defaults_de.csv`,
  rule 8) and the refrigerants (`refrigerants_gwp.csv`, rule 7) are rows of the default set.
- Each file in `editions/` is a `FactorEdition`: its rows become new editions of the factors
  they cover (rule 2a: the newest edition of a year wins), the status column kept; frozen
  balances keep the rows they used.
"""

from __future__ import annotations

from pathlib import Path

from . import calculation

DEFAULT_SET_NAME_DE = "Standardfaktoren Deutschland (BAFA / Umweltbundesamt)"
DEFAULT_SET_NAME_EN = "Default factors Germany (BAFA / German Environment Agency)"
DEFAULT_SET_DESCRIPTION_DE = (
    "Mitgelieferter Faktorensatz des Klimapakts: Brennstoffe nach dem BAFA-Informationsblatt CO2-Faktoren, "
    "Strom-Bundesmix nach Umweltbundesamt, Kraftstoffe nach Umweltbundesamt. Werte werden nie überschrieben: "
    "eine Korrektur ist eine neue Ausgabe."
)
# The shipped editions' titles (the file names are their keys).
EDITION_NAMES = {
    "electricity_uba_cc13-2025": (
        "Strommix 1990–2024, Umweltbundesamt Climate Change 13/2025",
        "Grid mix 1990–2024, German Environment Agency Climate Change 13/2025",
        "Umweltbundesamt, Climate Change 13/2025 (Icha/Lauf): Entwicklung der spezifischen "
        "Treibhausgas-Emissionen des deutschen Strommix in den Jahren 1990-2024, Tabelle 2",
    ),
}


def _models(apps):
    if apps is None:
        from django.apps import apps as global_apps
        apps = global_apps
    return (apps.get_model("ghg", "FactorSet"), apps.get_model("ghg", "EmissionFactor"),
            apps.get_model("ghg", "UnitConversion"), apps.get_model("ghg", "FactorEdition"))


def _row(EmissionFactor, factor_set, f: calculation.Factor, **extra):
    return EmissionFactor(factor_set=factor_set, carrier=f.carrier, variant=f.variant, name_de=f.name_de,
                          name_en=f.name_en, scope=f.scope, unit=f.unit, value=f.value, year=f.year, source=f.source,
                          note=f.note, status=f.status, composition=calculation.format_composition(f.composition),
                          **extra)


def load_first_contract(apps) -> None:
    """Migration 0002: the first contract's default set, with the fields the models had then."""
    FactorSet = apps.get_model("ghg", "FactorSet")
    EmissionFactor = apps.get_model("ghg", "EmissionFactor")
    UnitConversion = apps.get_model("ghg", "UnitConversion")
    if FactorSet.objects.filter(is_default=True).exists():
        return
    factor_set = FactorSet.objects.create(name_de=DEFAULT_SET_NAME_DE, name_en=DEFAULT_SET_NAME_EN,
                                          description_de=DEFAULT_SET_DESCRIPTION_DE, is_default=True)
    EmissionFactor.objects.bulk_create([
        EmissionFactor(factor_set=factor_set, carrier=f.carrier, name_de=f.name_de, name_en=f.name_en, scope=f.scope,
                       unit=f.unit, value=f.value, year=f.year, source=f.source, note=f.note)
        for f in calculation.factors_from_csv()])
    UnitConversion.objects.bulk_create([
        UnitConversion(factor_set=factor_set, carrier=c.carrier, from_unit=c.from_unit, to_unit=c.to_unit,
                       numerator=c.numerator, denominator=c.denominator, source=c.source)
        for c in calculation.conversions_from_csv() if c.to_unit != "kg"])


def load_default_factor_set(apps=None):
    """Create the default set when it does not exist yet; add shipped rows that are missing (a
    new shipped year, the Scope 3 defaults, the refrigerants) and every shipped edition not yet
    loaded. Never changes a stored value. Returns (set, new rows, new conversions)."""
    FactorSet, EmissionFactor, UnitConversion, _FactorEdition = _models(apps)
    factor_set = FactorSet.objects.filter(is_default=True).order_by("pk").first()
    if factor_set is None:
        factor_set = FactorSet.objects.create(name_de=DEFAULT_SET_NAME_DE, name_en=DEFAULT_SET_NAME_EN,
                                              description_de=DEFAULT_SET_DESCRIPTION_DE, is_default=True)
    existing = set(EmissionFactor.objects.filter(factor_set=factor_set).values_list("carrier", "variant", "year"))
    shipped = [*calculation.factors_from_csv(), *calculation.factors_from_csv(calculation.SCOPE3_CSV),
               *calculation.refrigerants_from_csv()]
    # A blend's stored value is the one computed from its components (rule 7), for reference.
    computed = {f.variant: f.value for f in calculation.FactorTable(shipped, []).factors if f.variant}
    legal = calculation.reference_gwp()
    new = []
    for f in shipped:
        if (f.carrier, f.variant, f.year) in existing:
            continue
        row = _row(EmissionFactor, factor_set, f, gwp_eu_2024_573=legal.get(f.variant) if f.variant else None)
        if f.variant:
            row.value = computed[f.variant]
        new.append(row)
    EmissionFactor.objects.bulk_create(new)
    known = set(UnitConversion.objects.filter(factor_set=factor_set).values_list("carrier", "from_unit", "to_unit"))
    conversions = [UnitConversion(factor_set=factor_set, carrier=c.carrier, from_unit=c.from_unit, to_unit=c.to_unit,
                                  numerator=c.numerator, denominator=c.denominator, source=c.source)
                   for c in calculation.conversions_from_csv() if (c.carrier, c.from_unit, c.to_unit) not in known]
    UnitConversion.objects.bulk_create(conversions)
    changed = bool(new or conversions) and bool(existing)
    loaded = 0
    for path in calculation.edition_files():
        loaded += load_edition(path, apps=apps, factor_set=factor_set, bump=False)
    if changed or loaded:
        FactorSet.objects.filter(pk=factor_set.pk).update(version=factor_set.version + 1)
    return factor_set, len(new) + loaded, len(conversions)


def load_edition(path: Path, *, apps=None, factor_set=None, key: str = "", name_de: str = "", name_en: str = "",
                 actor=None, bump: bool = True) -> int:
    """Load one edition file (columns as `emission_factors_de.csv` plus `status`). Each row
    becomes the newest edition of its (carrier, year) (rule 2a); the older row stays, so a
    balance that used it can still say so. Idempotent by key (default: the file's name).
    Returns the number of rows loaded (0 when the edition was loaded before)."""
    FactorSet, EmissionFactor, _UnitConversion, FactorEdition = _models(apps)
    factor_set = factor_set or FactorSet.objects.filter(is_default=True).order_by("pk").first()
    key = key or Path(path).stem
    if FactorEdition.objects.filter(factor_set=factor_set, key=key).exists():
        return 0
    rows = calculation.factors_from_csv(path)
    names = EDITION_NAMES.get(key, (name_de or key, name_en or name_de or key, ""))
    edition = FactorEdition.objects.create(factor_set=factor_set, key=key, name_de=names[0], name_en=names[1],
                                           source=names[2] or (rows[0].source if rows else ""), rows=len(rows),
                                           loaded_by=actor)
    current = {(f.carrier, f.variant, f.year): f for f in
               EmissionFactor.objects.filter(factor_set=factor_set, is_current=True)}
    for f in rows:
        old = current.get((f.carrier, f.variant, f.year))
        row = _row(EmissionFactor, factor_set, f, published_in=edition, created_by=actor)
        if old is not None:
            EmissionFactor.objects.filter(pk=old.pk).update(is_current=False)
            row.edition, row.replaces, row.is_custom = old.edition + 1, old, old.is_custom
        row.save()
        current[(f.carrier, f.variant, f.year)] = row
    if bump:
        FactorSet.objects.filter(pk=factor_set.pk).update(version=factor_set.version + 1)
    return len(rows)
