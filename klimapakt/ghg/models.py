"""Emission factors (versioned, sourced), activity data per organisation and year, and the
stored balance that records, per line, the factor it used."""

from __future__ import annotations

import uuid
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klimapakt.core.models import Translated

from .calculation import SCOPE_KEYS, Emissions
from .storage import private_storage

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]
MAX_EVIDENCE_NOTE = 4000  # characters of a line's evidence note (the forms allow 2,000 plus an estimate's arithmetic)


class Scope(models.IntegerChoices):
    SCOPE1 = 1, _("Scope 1 (direkte Emissionen)")
    SCOPE2 = 2, _("Scope 2 (eingekaufte Energie)")
    SCOPE3 = 3, _("Scope 3 (vor- und nachgelagert)")


class FactorSetQuerySet(models.QuerySet):
    def current(self) -> FactorSet | None:
        return self.filter(is_default=True).order_by("pk").first()


class FactorSet(models.Model):
    """A named, sourced library of emission factors and unit conversions. Each change (a new
    edition of a factor, a custom factor) raises `version`; stored balances record the version."""

    name_de = models.CharField(_("Name (deutsch)"), max_length=200)
    name_en = models.CharField(_("Name (englisch)"), max_length=200, blank=True)
    name = Translated("name")
    description_de = models.TextField(_("Beschreibung (deutsch)"), blank=True)
    description_en = models.TextField(_("Beschreibung (englisch)"), blank=True)
    description = Translated("description")
    is_default = models.BooleanField(_("Standard"), default=False)
    version = models.PositiveIntegerField(_("Version"), default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = FactorSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("Faktorensatz")
        verbose_name_plural = _("Faktorensätze")

    def __str__(self):
        return f"{self.name_de} (v{self.version})"


class FactorEdition(models.Model):
    """A newer source loaded after the default set (``data/editions/*.csv``, or added by the
    office): its rows become new editions of the factors they cover (rule 2a). Frozen balances
    keep the values they used; open ones are recomputed and their owners told."""

    factor_set = models.ForeignKey(FactorSet, on_delete=models.PROTECT, related_name="editions")
    key = models.SlugField(_("Kennung"), max_length=100)
    name_de = models.CharField(_("Bezeichnung (deutsch)"), max_length=300)
    name_en = models.CharField(_("Bezeichnung (englisch)"), max_length=300, blank=True)
    name = Translated("name")
    source = models.TextField(_("Quelle"), blank=True)
    rows = models.PositiveIntegerField(_("Zeilen"), default=0)
    loaded_at = models.DateTimeField(_("Geladen am"), default=timezone.now)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        ordering = ["loaded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["factor_set", "key"], name="ghg_edition_key")]
        verbose_name = _("Faktoren-Ausgabe")
        verbose_name_plural = _("Faktoren-Ausgaben")

    def __str__(self):
        return self.name_de


class Recalculation(models.Model):
    """Open balances recomputed after a factor change: which changed, by how much, and whether
    their owners were told (the office's list on the factor page)."""

    created_at = models.DateTimeField(default=timezone.now)
    factor_set_version = models.PositiveIntegerField(default=0)
    balances = models.PositiveIntegerField(_("Neu berechnete Bilanzen"), default=0)
    # [{"organisation": id, "name": ..., "year": ..., "before": "80.143", "after": "80.500"}, ...]
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Neuberechnung")
        verbose_name_plural = _("Neuberechnungen")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} ({len(self.changes)})"


class FactorStatus(models.TextChoices):
    """How final a year's value is in its source (UBA marks the last two years of an edition)."""

    FINAL = "final", _("endgültig")
    PRELIMINARY = "preliminary", _("vorläufig")
    ESTIMATE = "estimate", _("hochgerechnet")


FACTOR_VALUE_FIELDS = ("carrier", "variant", "scope", "unit", "value", "year", "factor_set_id")


class EmissionFactor(models.Model):
    """kg CO2e per `unit` of `carrier` for `year` (empty: every year). Never edited in place once
    a stored balance used it: a correction is a new edition (`replaces` points to the old one)."""

    factor_set = models.ForeignKey(FactorSet, on_delete=models.PROTECT, related_name="factors")
    carrier = models.SlugField(_("Energieträger (Schlüssel)"), max_length=50)
    name_de = models.CharField(_("Bezeichnung (deutsch)"), max_length=200)
    name_en = models.CharField(_("Bezeichnung (englisch)"), max_length=200, blank=True)
    name = Translated("name")
    scope = models.PositiveSmallIntegerField(_("Scope"), choices=Scope.choices)
    unit = models.CharField(_("Einheit"), max_length=20)
    value = models.DecimalField(_("kg CO₂e je Einheit"), max_digits=18, decimal_places=9,
                                validators=[MinValueValidator(Decimal(0))])
    year = models.PositiveSmallIntegerField(_("Gültig für das Jahr"), null=True, blank=True,
                                            validators=YEAR_VALIDATORS,
                                            help_text=_("Leer lassen, wenn der Faktor für alle Jahre gilt."))
    variant = models.CharField(_("Kältemittel"), max_length=50, blank=True,
                               help_text=_("Nur bei Kältemitteln: die Bezeichnung, z. B. R-404A."))
    composition = models.CharField(_("Zusammensetzung (Massen-%)"), max_length=200, blank=True,
                                   help_text=_("Nur bei Kältemittel-Gemischen, z. B. „R-125:44;R-143a:52;R-134a:4“; "
                                               "der Wert ergibt sich dann aus den Komponenten."))
    status = models.CharField(_("Stand des Werts"), max_length=12, choices=FactorStatus.choices, blank=True)
    gwp_eu_2024_573 = models.DecimalField(_("GWP nach EU 2024/573 (nur zur Information)"), max_digits=12,
                                          decimal_places=3, null=True, blank=True)
    published_in = models.ForeignKey(FactorEdition, verbose_name=_("Ausgabe"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="factors")
    source = models.TextField(_("Quelle"))
    note = models.TextField(_("Hinweis"), blank=True)
    edition = models.PositiveSmallIntegerField(_("Ausgabe"), default=1)
    replaces = models.OneToOneField("self", verbose_name=_("Ersetzt"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="replaced_by")
    is_current = models.BooleanField(_("Aktuell"), default=True, db_index=True)
    is_custom = models.BooleanField(_("Eigener Faktor"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["scope", "carrier", "year", "edition"]
        constraints = [
            models.UniqueConstraint(fields=["factor_set", "carrier", "variant", "year", "edition"],
                                    name="ghg_factor_variant_edition"),
        ]
        verbose_name = _("Emissionsfaktor")
        verbose_name_plural = _("Emissionsfaktoren")

    def __str__(self):
        year = self.year or _("alle Jahre")
        name = f"{self.name_de} ({self.variant})" if self.variant else self.name_de
        return f"{name} {year}: {self.value} kg/{self.unit}"

    def save(self, *args, **kwargs):
        if self.pk:
            old = EmissionFactor.objects.filter(pk=self.pk).values(*FACTOR_VALUE_FIELDS).first()
            if old and any(old[f] != getattr(self, f) for f in FACTOR_VALUE_FIELDS) and self.is_used:
                raise ValidationError(_("Dieser Faktor wurde in einer gespeicherten Bilanz verwendet und kann nicht "
                                        "geändert werden. Legen Sie eine neue Ausgabe an."))
        super().save(*args, **kwargs)

    @property
    def is_used(self) -> bool:
        return self.pk is not None and BalanceLine.objects.filter(factor_id=self.pk).exists()


class UnitConversion(models.Model):
    """quantity in `from_unit` * numerator / denominator = quantity in `to_unit`; carrier `*`: all."""

    factor_set = models.ForeignKey(FactorSet, on_delete=models.PROTECT, related_name="conversions")
    carrier = models.CharField(_("Energieträger"), max_length=50, default="*")
    from_unit = models.CharField(_("Von Einheit"), max_length=20)
    to_unit = models.CharField(_("In Einheit"), max_length=20)
    numerator = models.DecimalField(_("Zähler"), max_digits=20, decimal_places=9)
    denominator = models.DecimalField(_("Nenner"), max_digits=20, decimal_places=9)
    source = models.TextField(_("Quelle"), blank=True)

    class Meta:
        ordering = ["carrier", "from_unit"]
        constraints = [models.UniqueConstraint(fields=["factor_set", "carrier", "from_unit", "to_unit"],
                                               name="ghg_conversion_unique")]
        verbose_name = _("Umrechnung")
        verbose_name_plural = _("Umrechnungen")

    def __str__(self):
        return f"{self.carrier}: {self.from_unit} → {self.to_unit}"


class TravelCategory(models.TextChoices):
    """Rule 8: what a Scope 3 travel line counts (the factor is the same)."""

    BUSINESS_TRAVEL = "business_travel", _("Dienstreisen")
    COMMUTING = "commuting", _("Pendeln")


def attachment_path(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"ghg/{instance.organisation_id}/{instance.year}/{uuid.uuid4().hex}.{suffix}"


class ActivityLine(models.Model):
    """One consumption of one year as the organisation entered it (or imported it)."""

    class Source(models.TextChoices):
        FORM = "form", _("Formular")
        IMPORT = "import", _("Tabellen-Import")

    organisation = models.ForeignKey("partners.Organisation", on_delete=models.CASCADE, related_name="activity_lines")
    year = models.PositiveSmallIntegerField(_("Jahr"), validators=YEAR_VALIDATORS)
    carrier = models.CharField(_("Energieträger"), max_length=50)
    quantity = models.DecimalField(_("Menge"), max_digits=22, decimal_places=6,
                                   validators=[MinValueValidator(Decimal(0))])
    unit = models.CharField(_("Einheit"), max_length=20)
    site = models.CharField(_("Standort"), max_length=200, blank=True)
    supplier_factor = models.DecimalField(_("Faktor des Lieferanten (kg CO₂ je kWh)"), max_digits=12,
                                          decimal_places=6, null=True, blank=True)
    refrigerant = models.CharField(_("Kältemittel"), max_length=50, blank=True)
    category = models.CharField(_("Kategorie"), max_length=20, blank=True, choices=TravelCategory.choices)
    calorific_value_kwh_per_m3 = models.DecimalField(_("Brennwert (kWh je m³)"), max_digits=10, decimal_places=6,
                                                     null=True, blank=True)
    z_number = models.DecimalField(_("Zustandszahl"), max_digits=10, decimal_places=6, null=True, blank=True)
    evidence_note = models.TextField(_("Nachweis"), blank=True, validators=[MaxLengthValidator(MAX_EVIDENCE_NOTE)])
    attachment = models.FileField(_("Beleg"), storage=private_storage, upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(_("Dateiname des Belegs"), max_length=200, blank=True)
    source = models.CharField(_("Herkunft"), max_length=10, choices=Source.choices, default=Source.FORM)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["organisation", "year", "pk"]
        indexes = [models.Index(fields=["organisation", "year"], name="ghg_activity_org_year"),
                   models.Index(fields=["year"], name="ghg_activity_year")]
        verbose_name = _("Verbrauchsangabe")
        verbose_name_plural = _("Verbrauchsangaben")

    def __str__(self):
        return f"{self.organisation_id} {self.year} {self.carrier} {self.quantity} {self.unit}"

    def as_calculation_input(self) -> dict:
        return {"carrier": self.carrier, "quantity": self.quantity, "unit": self.unit,
                "supplier_factor_kg_per_kwh": self.supplier_factor, "refrigerant": self.refrigerant,
                "category": self.category, "calorific_value_kwh_per_m3": self.calorific_value_kwh_per_m3,
                "z_number": self.z_number}


class Balance(models.Model):
    """The CO2 balance of one organisation for one year, computed from its activity lines.
    Frozen once submitted in a report: later factor editions or data changes do not touch it."""

    organisation = models.ForeignKey("partners.Organisation", on_delete=models.CASCADE, related_name="balances")
    year = models.PositiveSmallIntegerField(_("Jahr"), validators=YEAR_VALIDATORS)
    factor_set = models.ForeignKey(FactorSet, on_delete=models.PROTECT, related_name="+", null=True)
    factor_set_version = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(_("Berechnet am"), default=timezone.now)
    employees = models.PositiveIntegerField(_("Beschäftigte"), null=True, blank=True)
    turnover_meur = models.DecimalField(_("Umsatz (Mio. EUR)"), max_digits=14, decimal_places=3, null=True,
                                        blank=True, validators=[MinValueValidator(Decimal("0.001"))])
    renewable_electricity_percent = models.DecimalField(
        _("Anteil erneuerbarer Energien am Strom (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Aus der Stromkennzeichnung Ihres Lieferanten; für die Energieangabe nach VSME B3."))
    scope1_t = models.DecimalField(max_digits=18, decimal_places=3, default=0)
    scope2_location_t = models.DecimalField(max_digits=18, decimal_places=3, default=0)
    scope2_market_t = models.DecimalField(max_digits=18, decimal_places=3, default=0)
    scope3_t = models.DecimalField(max_digits=18, decimal_places=3, default=0)
    total_location_t = models.DecimalField(max_digits=18, decimal_places=3, default=0)
    total_market_t = models.DecimalField(max_digits=18, decimal_places=3, default=0)
    intensity_employee_t = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True)
    intensity_meur_t = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True)
    # The exact values the rounded figures above come from ("n/d" strings per scope, and per
    # carrier location-based): totals are summed from these, then rounded once (calculation.totals).
    exact_t = models.JSONField(default=dict, blank=True, editable=False)
    warnings = models.JSONField(default=list, blank=True)
    is_frozen = models.BooleanField(_("Eingefroren"), default=False)
    frozen_at = models.DateTimeField(null=True, blank=True)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        ordering = ["organisation", "-year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="ghg_balance_per_year")]
        indexes = [models.Index(fields=["year"], name="ghg_balance_year")]
        verbose_name = _("CO₂-Bilanz")
        verbose_name_plural = _("CO₂-Bilanzen")

    def __str__(self):
        return f"{self.organisation_id} {self.year}"

    @property
    def emissions(self) -> Emissions:
        """The exact emissions per scope; every total of this balance is derived from them
        (``calculation.totals``). A balance stored before exact values were kept, and not
        recomputable, falls back to its rounded scope values."""
        exact = Emissions.decode(self.exact_t)
        if exact is not None:
            return exact
        return Emissions.from_mapping({k: getattr(self, f"{k}_t") for k in SCOPE_KEYS})

    def totals(self) -> dict[str, Decimal]:
        """Every scope and both totals as shown: rounded once from the exact values."""
        if Emissions.decode(self.exact_t) is not None:
            return self.emissions.rounded()
        return {"scope1": self.scope1_t, "scope2_location": self.scope2_location_t,
                "scope2_market": self.scope2_market_t, "scope3": self.scope3_t,
                "total_location": self.total_location_t, "total_market": self.total_market_t}

    def carrier_totals(self) -> dict[str, Fraction] | None:
        """Location-based t CO2e per carrier key, exact; None for a balance without them."""
        carriers = (self.exact_t or {}).get("carriers")
        return None if carriers is None else {carrier: Fraction(value) for carrier, value in carriers.items()}


class BalanceLine(models.Model):
    """One line of a stored balance with the factor it used (id, value, year, source), so the
    balance can always be explained and reproduced."""

    balance = models.ForeignKey(Balance, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    activity = models.ForeignKey(ActivityLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    carrier = models.CharField(max_length=50)
    carrier_name = models.CharField(max_length=200)
    scope = models.PositiveSmallIntegerField(choices=Scope.choices)
    quantity = models.DecimalField(max_digits=22, decimal_places=6)
    unit = models.CharField(max_length=20)
    site = models.CharField(max_length=200, blank=True)
    factor = models.ForeignKey(EmissionFactor, on_delete=models.PROTECT, related_name="+")
    factor_value = models.DecimalField(max_digits=18, decimal_places=9)
    factor_unit = models.CharField(max_length=20)
    factor_year = models.PositiveSmallIntegerField(null=True, blank=True)
    factor_source = models.TextField()
    factor_status = models.CharField(max_length=12, choices=FactorStatus.choices, blank=True)
    refrigerant = models.CharField(max_length=50, blank=True)
    category = models.CharField(max_length=20, blank=True, choices=TravelCategory.choices)
    calorific_value_kwh_per_m3 = models.DecimalField(max_digits=10, decimal_places=6, null=True, blank=True)
    z_number = models.DecimalField(max_digits=10, decimal_places=6, null=True, blank=True)
    fallback = models.BooleanField(default=False)
    supplier_factor = models.DecimalField(max_digits=12, decimal_places=6, null=True, blank=True)
    market_based_fallback = models.BooleanField(default=False)
    t_location = models.DecimalField(max_digits=18, decimal_places=3)
    t_market = models.DecimalField(max_digits=18, decimal_places=3)

    class Meta:
        ordering = ["balance", "position"]
        verbose_name = _("Bilanzzeile")
        verbose_name_plural = _("Bilanzzeilen")

    def __str__(self):
        return f"{self.carrier} {self.quantity} {self.unit}"


class ImportJob(models.Model):
    """A spreadsheet upload: validated completely, previewed, then imported whole or not at all."""

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Wird geprüft")
        INVALID = "invalid", _("Fehlerhaft")
        READY = "ready", _("Bereit zum Import")
        IMPORTING = "importing", _("Wird importiert")
        DONE = "done", _("Importiert")
        FAILED = "failed", _("Fehlgeschlagen")

    organisation = models.ForeignKey("partners.Organisation", on_delete=models.CASCADE, related_name="ghg_imports")
    file = models.FileField(storage=private_storage, upload_to="ghg-imports/%Y/")
    filename = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.VALIDATING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    rows = models.JSONField(default=list, blank=True)  # the validated rows, so the import need not parse again
    replace_years = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The background task of a large import (django-tasks result id): if it failed (or its worker
    # died and the reaper failed it), the import shows as failed and can be retried.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Tabellen-Import")
        verbose_name_plural = _("Tabellen-Importe")

    def __str__(self):
        return f"{self.filename} ({self.status})"

    @property
    def progress_percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
