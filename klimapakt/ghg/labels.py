"""How the CO2 balance names things for people: units, carriers, refrigerants, categories and
the status of a factor, in the reader's language. One place, used by every page, PDF, XLSX
and mail of the balance; the API keeps the keys (``kWh_hs``, ``natural_gas``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import calculation

_ENERGY_BASES = {"_hs": _("Brennwert"), "_hi": _("Heizwert")}
_UNITS = {
    "l": _("Liter"),
    "m3": "m³",
    "pkm": _("Personenkilometer"),
    "kg": "kg",
    "t": pgettext_lazy("unit", "t"),
}
STATUS_LABELS = {"final": _("endgültig"), "preliminary": _("vorläufig"), "estimate": _("hochgerechnet")}
CATEGORY_LABELS = {"business_travel": _("Dienstreisen"), "commuting": _("Pendeln")}


def unit_label(unit: str) -> str:
    """``kWh_hs`` -> "kWh (Brennwert)", ``l`` -> "Liter", ``m3`` -> "m³"; other units as they are."""
    if not unit:
        return ""
    suffix = unit[-3:]
    if suffix in _ENERGY_BASES and unit[:-3] in calculation.ENERGY_UNITS:
        return f"{unit[:-3]} ({_ENERGY_BASES[suffix]})"
    return str(_UNITS.get(unit, unit))


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, ""))


def category_label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, ""))


def carrier_label(table: calculation.FactorTable, carrier: str, *, language: str = "de", variant: str = "") -> str:
    """A carrier's name in the reader's language ("Erdgas", "Kältemittel R-404A"), never its key
    unless the table does not know it."""
    if not table.has_carrier(carrier):
        return carrier
    info = table.carrier_info(carrier)
    name = info.name_en if language == "en" and info.name_en else info.name_de
    return f"{name} {variant}" if variant else name
