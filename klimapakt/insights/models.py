"""The insights app's data: the council report ("Sachstandsbericht") of a pact year, with the
texts the pact office writes, and its exported versions (PDF and XLSX, archived privately).
The figures are not stored here: an export reads them from ``insights.selectors.progress``
when it is built and keeps them only in its files (docs/insights.md, "Council report")."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klimapakt.ghg.storage import private_storage

TEXT_LIMIT = 20_000  # characters per text block: a few pages, and a bound for the PDF


class CouncilReport(models.Model):
    """The council report of one pact year: the office's texts (German: the report goes to the
    city council); the figures come from the pact's public progress when it is exported."""

    pact = models.ForeignKey("core.Pact", on_delete=models.CASCADE, related_name="council_reports")
    year = models.PositiveIntegerField(_("Berichtsjahr"), validators=[MinValueValidator(2000),
                                                                     MaxValueValidator(2100)])
    introduction = models.TextField(_("Einleitung"), blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)])
    highlights = models.TextField(_("Höhepunkte des Jahres"), blank=True,
                                  validators=[MaxLengthValidator(TEXT_LIMIT)])
    outlook = models.TextField(_("Ausblick"), blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)])
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["pact", "year"], name="insights_council_report_unique")]
        verbose_name = _("Sachstandsbericht")
        verbose_name_plural = _("Sachstandsberichte")

    def __str__(self):
        return f"{self.pact} {self.year}"

    @property
    def title(self) -> str:
        return _("Sachstandsbericht %(pact)s %(year)s") % {"pact": self.pact.name_de, "year": self.year}


def export_path(instance, filename):
    return f"insights/sachstandsberichte/{instance.report.year}/{instance.report_id}/{filename}"


class CouncilExport(models.Model):
    """One exported version of a council report: built in the background (status and progress),
    then its PDF and XLSX stay in private storage as the archive (never changed afterwards)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Wartet auf die Verarbeitung")
        RUNNING = "running", _("Wird erstellt")
        DONE = "done", _("Fertig")
        FAILED = "failed", _("Fehlgeschlagen")

    report = models.ForeignKey(CouncilReport, on_delete=models.CASCADE, related_name="exports")
    number = models.PositiveIntegerField(_("Fassung"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("Fortschritt"), default=0, validators=[MaxValueValidator(100)])
    pdf = models.FileField(storage=private_storage, upload_to=export_path, blank=True)
    xlsx = models.FileField(storage=private_storage, upload_to=export_path, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    queued_at = models.DateTimeField(default=timezone.now)  # the latest attempt (a retry queues it again)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)  # German, for the office
    task_id = models.CharField(max_length=64, blank=True)  # django-tasks result id of the latest attempt
    attempts = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="insights_council_export_unique")]
        verbose_name = _("Fassung eines Sachstandsberichts")
        verbose_name_plural = _("Fassungen der Sachstandsberichte")

    def __str__(self):
        return f"{self.report} v{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class ClosedBalanceYear(models.Model):
    """A balance year whose public figures are fixed: from its closing on, the public progress
    page, the open data and the council report show the accepted reports of that year as they
    were then (``PublishedBalance``), never again changed by a late or corrected report. Were
    they changed, two visits a week apart would give the late organisation's figure by
    subtraction (docs/insights.md, "Privacy"). The office sees every report at once."""

    pact = models.ForeignKey("core.Pact", on_delete=models.CASCADE, related_name="closed_balance_years")
    balance_year = models.PositiveSmallIntegerField(_("Bilanzjahr"))
    closed_at = models.DateTimeField(_("Abgeschlossen am"), default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("Abgeschlossen von"))
    # The privacy rule's keys of this year's figures that were hidden in some publication: they
    # stay hidden for good. Shown later, such a figure could be subtracted from a figure of the
    # earlier publication (docs/insights.md, "Closed balance years").
    withheld = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["balance_year"]
        constraints = [models.UniqueConstraint(fields=["pact", "balance_year"], name="insights_closed_year_unique")]
        verbose_name = _("Abgeschlossenes Bilanzjahr")
        verbose_name_plural = _("Abgeschlossene Bilanzjahre")

    def __str__(self):
        return str(self.balance_year)


class PublishedBalance(models.Model):
    """One organisation's accepted report of a closed balance year, as it stood at the closing:
    the exact values per scope and what the report recorded of its measures. The organisation is
    kept as its number, without a link: the published figures stay as they were when it leaves
    the platform."""

    closed_year = models.ForeignKey(ClosedBalanceYear, on_delete=models.CASCADE, related_name="balances")
    organisation_id = models.PositiveBigIntegerField()
    sector = models.CharField(max_length=1, blank=True)
    exact_t = models.JSONField()
    measures_total = models.PositiveIntegerField(default=0)
    measures_implemented = models.PositiveIntegerField(default=0)
    expected_savings_t = models.CharField(max_length=40, default="0")
    realised_savings_t = models.CharField(max_length=40, default="0")
    # The organisation's main target and the expected savings of its planned measures at the
    # closing, for the public cohort and target path: [] for no target; null for a row closed
    # before these were kept (the current target is used then).
    target = models.JSONField(null=True, blank=True)
    planned_savings_t = models.CharField(max_length=60, default="0")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["closed_year", "organisation_id"],
                                               name="insights_published_balance_unique")]

    def __str__(self):
        return f"{self.closed_year} #{self.organisation_id}"
