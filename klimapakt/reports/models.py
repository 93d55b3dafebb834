"""Reports (Ausgangsbericht, Monitoringbericht, Endbilanz) with their versions and review,
measures (Maßnahmen) with expected and realised savings, and the reminder log."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from klimapakt.core.models import Translated
from klimapakt.core.validators import single_line
from klimapakt.ghg.calculation import SCOPE_KEYS, Emissions

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]
T_FIELD = {"max_digits": 18, "decimal_places": 3}


class Category(models.TextChoices):
    EFFICIENCY = "efficiency", _("Energieeffizienz")
    HEAT = "heat", _("Wärmeversorgung")
    GREEN_POWER = "green_power", _("Ökostrom")
    GENERATION = "generation", _("Eigenerzeugung (z. B. Photovoltaik)")
    MOBILITY = "mobility", _("Mobilität")
    PROCESSES = "processes", _("Prozesse")
    BUILDINGS = "buildings", _("Gebäude")
    BEHAVIOUR = "behaviour", _("Verhalten und Schulung")
    OTHER = "other", _("Sonstiges")


class MeasureTemplate(models.Model):
    """A typical measure from the catalogue the pact office maintains; partners start from it."""

    title_de = models.CharField(_("Titel (deutsch)"), validators=[single_line], max_length=200)
    title_en = models.CharField(_("Titel (englisch)"), validators=[single_line], max_length=200, blank=True)
    title = Translated("title")
    description_de = models.TextField(_("Beschreibung (deutsch)"), blank=True, max_length=3000)
    description_en = models.TextField(_("Beschreibung (englisch)"), blank=True, max_length=3000)
    description = Translated("description")
    category = models.CharField(_("Kategorie"), max_length=20, choices=Category.choices)
    carrier = models.CharField(_("Typischer Energieträger"), max_length=50, blank=True)
    is_active = models.BooleanField(_("Im Katalog anbieten"), default=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("Vorlage für Maßnahmen")
        verbose_name_plural = _("Katalog der Maßnahmen")

    def __str__(self):
        return self.title_de


class Measure(models.Model):
    """A measure a partner plans or has implemented. Dropping or postponing needs a reason."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Geplant")
        IN_PROGRESS = "in_progress", _("In Umsetzung")
        IMPLEMENTED = "implemented", _("Umgesetzt")
        POSTPONED = "postponed", _("Verschoben")
        DROPPED = "dropped", _("Verworfen")

    NEEDS_JUSTIFICATION = (Status.POSTPONED, Status.DROPPED)
    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    organisation = models.ForeignKey("partners.Organisation", on_delete=models.CASCADE, related_name="measures")
    template = models.ForeignKey(MeasureTemplate, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="measures", verbose_name=_("Vorlage"))
    title = models.CharField(_("Titel"), validators=[single_line], max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True, max_length=5000)
    category = models.CharField(_("Kategorie"), max_length=20, choices=Category.choices, db_index=True)
    scopes = models.JSONField(_("Betroffene Scopes"), default=list, blank=True)
    planned_start = models.DateField(_("Geplanter Beginn"), null=True, blank=True)
    planned_end = models.DateField(_("Geplantes Ende"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.PLANNED,
                              db_index=True)
    justification = models.TextField(_("Begründung"), blank=True, max_length=3000,
                                     help_text=_("Pflicht, wenn Sie eine Maßnahme verschieben oder verwerfen."))
    investment_eur = models.DecimalField(_("Geschätzte Investition (Euro)"), max_digits=14, decimal_places=2,
                                         null=True, blank=True, validators=[MinValueValidator(Decimal(0))])
    expected_t_manual = models.DecimalField(
        _("Erwartete Einsparung (t CO₂e pro Jahr), eigene Angabe"), **T_FIELD, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Nur nötig, wenn sich die Einsparung nicht aus einer Menge berechnen lässt (z. B. Prozesse)."))
    realised_t_manual = models.DecimalField(
        _("Erreichte Einsparung (t CO₂e pro Jahr), eigene Angabe"), **T_FIELD, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0))])
    # Computed from the savings per carrier with the factor table (plus the manual value): see services.
    expected_t_co2e = models.DecimalField(_("Erwartete Einsparung (t CO₂e pro Jahr)"), **T_FIELD, default=0)
    realised_t_co2e = models.DecimalField(_("Erreichte Einsparung (t CO₂e pro Jahr)"), **T_FIELD, null=True,
                                          blank=True)
    is_public = models.BooleanField(_("Öffentlich zeigen"), default=False,
                                    help_text=_("Die Maßnahme darf auf Ihrer öffentlichen Seite erscheinen."))
    status_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["organisation", "planned_start", "pk"]
        indexes = [models.Index(fields=["organisation", "status"], name="reports_measure_org_status")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=["postponed", "dropped"]) | ~models.Q(justification=""),
                name="reports_measure_justified"),
        ]
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.status in self.NEEDS_JUSTIFICATION and not (self.justification or "").strip():
            errors["justification"] = _("Bitte begründen Sie, warum die Maßnahme verschoben oder verworfen wird.")
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("Das geplante Ende darf nicht vor dem Beginn liegen.")
        if errors:
            raise ValidationError(errors)


class MeasureSaving(models.Model):
    """Expected (and, once implemented, realised) annual savings of one energy carrier, as a
    quantity in `unit` (kWh, l, kWh_hs, ...: a unit of the factor table). Rows from before units
    existed have "kWh"; the services read those for fuels as kWh_hi (see services/measures.py)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="savings")
    carrier = models.CharField(_("Energieträger"), max_length=50)
    unit = models.CharField(_("Einheit"), max_length=20, default="kWh")
    expected_quantity = models.DecimalField(_("Erwartete Einsparung (Menge pro Jahr)"), max_digits=16,
                                            decimal_places=1, validators=[MinValueValidator(Decimal(0))])
    realised_quantity = models.DecimalField(_("Erreichte Einsparung (Menge pro Jahr)"), max_digits=16,
                                            decimal_places=1, null=True, blank=True,
                                            validators=[MinValueValidator(Decimal(0))])
    # Computed by the services with the factor table; None only for rows saved before a saving that
    # cannot be converted was refused (they are flagged, never counted as 0).
    expected_t_co2e = models.DecimalField(**T_FIELD, null=True, blank=True)
    realised_t_co2e = models.DecimalField(**T_FIELD, null=True, blank=True)
    factor_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["measure", "pk"]
        constraints = [models.UniqueConstraint(fields=["measure", "carrier"], name="reports_saving_per_carrier")]
        verbose_name = _("Einsparung je Energieträger")
        verbose_name_plural = _("Einsparungen je Energieträger")

    def __str__(self):
        return f"{self.carrier}: {self.expected_quantity} {self.unit}"

    @property
    def unconverted(self) -> bool:
        """A stored quantity without t CO2e: saved before such savings were refused."""
        return (self.expected_t_co2e is None and bool(self.expected_quantity)) or \
            (self.realised_t_co2e is None and bool(self.realised_quantity))


class PublicationConsent(models.Model):
    """Whether a partner consents to publish its reported figures (API and public page)."""

    organisation = models.OneToOneField("partners.Organisation", on_delete=models.CASCADE,
                                        related_name="figures_consent")
    publish_figures = models.BooleanField(_("Zahlen veröffentlichen"), default=False)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("Einwilligung in die Veröffentlichung der Zahlen")
        verbose_name_plural = _("Einwilligungen in die Veröffentlichung der Zahlen")

    def __str__(self):
        return f"{self.organisation_id}: {self.publish_figures}"


class Section(models.TextChoices):
    BALANCE = "balance", _("CO₂-Bilanz")
    TARGETS = "targets", _("Ziele")
    MEASURES = "measures", _("Maßnahmen")
    GENERAL = "general", _("Allgemeines")


class Report(models.Model):
    """One report of one organisation. Editable while draft or returned; a submission stores an
    immutable snapshot (ReportVersion); acceptance freezes the balance."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Ausgangsbericht")
        MONITORING = "monitoring", _("Monitoringbericht")
        FINAL = "final", _("Endbilanz")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        SUBMITTED = "submitted", _("Eingereicht")
        RETURNED = "returned", _("Zurückgegeben")
        ACCEPTED = "accepted", _("Angenommen")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    organisation = models.ForeignKey("partners.Organisation", on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("Berichtsjahr"), validators=YEAR_VALIDATORS)
    balance_year = models.PositiveSmallIntegerField(_("Bilanzjahr"), validators=YEAR_VALIDATORS)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    opens_on = models.DateField(_("Berichtszeitraum beginnt am"))
    due_on = models.DateField(_("Fällig am"), db_index=True)
    notes = models.JSONField(_("Erläuterungen je Abschnitt"), default=dict, blank=True)
    prefilled_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    balance = models.ForeignKey("ghg.Balance", null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    # Figures of the last submission (copied from the balance and the measures), for overviews and the API
    scope1_t = models.DecimalField(**T_FIELD, null=True, blank=True)
    scope2_location_t = models.DecimalField(**T_FIELD, null=True, blank=True)
    scope2_market_t = models.DecimalField(**T_FIELD, null=True, blank=True)
    scope3_t = models.DecimalField(**T_FIELD, null=True, blank=True)
    # The exact values behind the four figures above (copied with them from the balance, see
    # save()): totals are summed from these and rounded once (ghg.calculation.totals).
    exact_t = models.JSONField(null=True, blank=True, editable=False)
    measures_total = models.PositiveIntegerField(default=0)
    measures_implemented = models.PositiveIntegerField(default=0)
    expected_savings_t = models.DecimalField(**T_FIELD, default=0)
    realised_savings_t = models.DecimalField(**T_FIELD, default=0)
    submitted_at = models.DateTimeField(_("Eingereicht am"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("Angenommen am"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "organisation", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "kind", "year"], name="reports_report_unique")]
        indexes = [models.Index(fields=["year", "status"], name="reports_year_status"),
                   models.Index(fields=["status", "due_on"], name="reports_status_due"),
                   # the office's inbox: its order (due date, then id) read from the index, not a
                   # sort of every report (issue 18, xl bench: 21 -> 1 ms)
                   models.Index(fields=["due_on", "id"], name="reports_due_id")]
        verbose_name = _("Bericht")
        verbose_name_plural = _("Berichte")

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}"

    def save(self, *args, **kwargs):
        # report_submit copies the balance's figures and exact values. Exact values that no
        # longer round to the stored figures (the figures were set otherwise) are dropped.
        exact = Emissions.decode(self.exact_t)
        if exact is not None:
            rounded = exact.rounded()
            if any(value is None or rounded[k] != value for k, value in self._rounded_figures().items()):
                self.exact_t = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {f"{k}_t" for k in SCOPE_KEYS} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "exact_t"}
        super().save(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_overdue(self) -> bool:
        return self.status in self.EDITABLE and self.due_on < timezone.localdate()

    def _rounded_figures(self) -> dict:
        return {k: getattr(self, f"{k}_t") for k in SCOPE_KEYS}

    @staticmethod
    def stored_emissions(row: dict, suffix: str = "_t") -> dict:
        """From a row of ``values("exact_t", "scope1_t", ...)`` (or of scope figures under
        another `suffix`): the exact values, or for a report submitted before they were kept, its
        rounded scope figures (``Report.emissions``'s rule, for summing many reports unloaded)."""
        exact = row.get("exact_t")
        if exact and all(k in exact for k in SCOPE_KEYS):
            return exact
        return {k: row.get(f"{k}{suffix}") for k in SCOPE_KEYS}

    @property
    def emissions(self) -> Emissions | None:
        """The exact emissions of the last submission (None before one); a report submitted
        before exact values were kept falls back to its rounded scope figures."""
        if self.scope1_t is None:
            return None
        return Emissions.decode(self.exact_t) or Emissions.from_mapping(self._rounded_figures())

    @property
    def total_t_co2e(self) -> Decimal | None:
        """Scope 1 + Scope 2 (location-based) + Scope 3, as published: summed exactly, rounded once."""
        emissions = self.emissions
        return None if emissions is None else emissions.rounded_total("total_location")

    @property
    def implemented_share(self) -> Decimal | None:
        if not self.measures_total:
            return None
        return (Decimal(self.measures_implemented) / Decimal(self.measures_total)).quantize(Decimal("0.001"))

    def note(self, section: str) -> str:
        return (self.notes or {}).get(section, "")


def version_pdf_path(instance, filename):
    return f"reports/{instance.report.organisation_id}/{instance.report_id}/fassung-{instance.number}.pdf"


def _private_storage():
    from klimapakt.ghg.storage import private_storage

    return private_storage()


class ReportVersion(models.Model):
    """The immutable snapshot of one submission (balance, targets, progress, measures, notes),
    and its PDF as archived right after the submission (private storage)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("Fassung"))
    snapshot = models.JSONField()
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    pdf = models.FileField(storage=_private_storage, upload_to=version_pdf_path, blank=True)

    class Meta:
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="reports_version_unique")]
        verbose_name = _("Fassung eines Berichts")
        verbose_name_plural = _("Fassungen der Berichte")

    def __str__(self):
        return f"{self.report} v{self.number}"

    def save(self, *args, **kwargs):
        # Only the archived PDF may be added once, later; the snapshot never changes.
        if self.pk and set(kwargs.get("update_fields") or ()) != {"pdf"}:
            raise ValidationError(_("Eine eingereichte Fassung kann nicht mehr geändert werden."))
        super().save(*args, **kwargs)


class ReviewComment(models.Model):
    """A comment of the pact office on one section of a submitted version."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(ReportVersion, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="comments")
    section = models.CharField(_("Abschnitt"), max_length=20, choices=Section.choices)
    text = models.TextField(_("Anmerkung"), max_length=5000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "created_at", "pk"]
        verbose_name = _("Anmerkung zum Bericht")
        verbose_name_plural = _("Anmerkungen zu Berichten")

    def __str__(self):
        return f"{self.report_id} {self.section}"


class TargetProgress(models.Model):
    """Progress against one target, as stated in one report; behind needs a justification."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("Im Plan")
        BEHIND = "behind", _("Im Rückstand")
        REACHED = "reached", _("Erreicht")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="progress")
    target = models.ForeignKey("partners.Target", on_delete=models.PROTECT, related_name="progress_entries")
    status = models.CharField(pgettext_lazy("target status", "Stand"), max_length=20, choices=Status.choices,
                              default=Status.ON_TRACK)
    justification = models.TextField(_("Begründung"), blank=True, max_length=3000)

    class Meta:
        ordering = ["report", "target_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "target"], name="reports_progress_unique"),
            models.CheckConstraint(condition=~models.Q(status="behind") | ~models.Q(justification=""),
                                   name="reports_progress_justified"),
        ]
        verbose_name = _("Stand eines Ziels")
        verbose_name_plural = _("Stand der Ziele")

    def __str__(self):
        return f"{self.report_id} {self.target_id} {self.status}"


class Reminder(models.Model):
    """A reminder mail sent for one step of one report. The unique constraint makes sending
    idempotent: the scheduler inserts first and mails only when the insert succeeded."""

    class Step(models.TextChoices):
        OPENED = "opened", _("Berichtszeitraum beginnt")
        WEEKS_8 = "w8", _("8 Wochen vor der Frist")
        WEEKS_4 = "w4", _("4 Wochen vor der Frist")
        WEEKS_1 = "w1", _("1 Woche vor der Frist")
        OVERDUE = "overdue", _("Frist überschritten")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    step = models.CharField(max_length=10, choices=Step.choices)
    sent_on = models.DateField(default=datetime.date.today)
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "step"], name="reports_reminder_once")]
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")

    def __str__(self):
        return f"{self.report_id} {self.step}"
