"""The commuting estimate of rule 8 (ghg/data/README.md): employees × working days × (1 − home-office
share) × one-way distance × 2 × mode share, per mode, in passenger-kilometres; and the sentence
that shows the arithmetic, for the calculator's result and the stored line's evidence note.

Exact: the inputs are whole numbers and percentages and a distance with one decimal, so every
quantity is a finite decimal with at most five places (the stored lines keep six)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from klimapakt.core.formatting import number, percent

from .labels import unit_label

DEFAULT_WORKING_DAYS = 220

# (mode, carrier of its Scope 3 factor or None when the mode causes no emissions, short name)
MODES = [
    ("car", "car_pkm", _("Pkw")),
    ("ecar", "ecar_pkm", _("Elektro-Pkw")),
    ("bus", "bus_local", _("Bus")),
    ("rail", "rail_regional", _("Bahn, Nahverkehr")),
    ("tram", "tram_metro", _("Straßen-/U-Bahn")),
    ("bike", None, _("Fahrrad oder zu Fuß")),
]


@dataclass(frozen=True)
class CommuteEstimate:
    employees: int
    days: int
    home_office_percent: int
    distance_km: Decimal
    shares: dict[str, int]  # mode -> percent of the trips

    def pkm(self, mode: str) -> Decimal:
        """Passenger-km of one mode: employees × days × (1 − home office) × distance × 2 × share."""
        share = Decimal(self.shares.get(mode) or 0)
        value = (Decimal(self.employees) * self.days * (100 - Decimal(self.home_office_percent)) / 100
                 * Decimal(self.distance_km) * 2 * share / 100)
        return value.normalize() if value else Decimal(0)

    def lines(self) -> list[tuple[str, str, Decimal]]:
        """(mode, carrier, pkm) of every mode with emissions and a share above zero."""
        return [(mode, carrier, self.pkm(mode)) for mode, carrier, _name in MODES
                if carrier and self.pkm(mode) > 0]

    def sentence(self, mode: str) -> str:
        """„Pendeln geschätzt: 20 Beschäftigte × 220 Tage × (1 − 20 %) × 15 km × 2 × 60 % Pkw =
        63.360 Personenkilometer“ in the reader's language."""
        name = next(str(label) for key, _carrier, label in MODES if key == mode)
        return gettext("Pendeln geschätzt: %(employees)s Beschäftigte × %(days)s Tage × (1 − %(home_office)s) × "
                       "%(distance)s km × 2 × %(share)s %(mode)s = %(pkm)s %(unit)s") % {
            "employees": number(self.employees), "days": number(self.days),
            "home_office": percent(self.home_office_percent, None), "distance": number(self.distance_km),
            "share": percent(self.shares.get(mode) or 0, None), "mode": name, "pkm": number(self.pkm(mode)),
            "unit": unit_label("pkm")}


def share_total(shares: dict[str, int | None]) -> int:
    return sum(value or 0 for value in shares.values())
