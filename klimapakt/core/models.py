"""Shared kernel: people, the pact as configuration, editable pages, documents, audit log."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Translated:
    """Descriptor: `title = Translated("title")` reads `title_en` in English when it is filled,
    else `title_de`. German is the language of record; English is optional per text."""

    def __init__(self, base: str):
        self.base = base

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        lang = (get_language() or "de")[:2]
        if lang != "de":
            value = getattr(instance, f"{self.base}_{lang}", "")
            if value:
                return value
        return getattr(instance, f"{self.base}_de")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("is_pact_office", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person with an account. Logs in with the e-mail address."""

    username = None
    first_name = models.CharField(_("Vorname"), max_length=150, blank=True)
    last_name = models.CharField(_("Nachname"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    is_pact_office = models.BooleanField(
        _("Geschäftsstelle"), default=False,
        help_text=_("Mitarbeitende der Geschäftsstelle des Klimapakts sehen den Backoffice-Bereich."),
    )
    advisor_for = models.ForeignKey(
        "core.InitialPartner", verbose_name=_("Beratung für Initialpartner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="advisors",
    )
    language = models.CharField(_("Sprache"), max_length=8, choices=settings.LANGUAGES, default="de")
    privacy_consented_at = models.DateTimeField(_("Datenschutzhinweise bestätigt am"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_advisor(self) -> bool:
        return self.advisor_for_id is not None


def _private_storage():
    from .private_storage import private_storage

    return private_storage()


def _accent_choices():
    from .branding import ACCENT_CHOICES

    return ACCENT_CHOICES


def _validate_accent(value):
    from .branding import validate_accent

    validate_accent(value)


class PactQuerySet(models.QuerySet):
    def current(self) -> Pact:
        pact = self.order_by("pk").first()
        if pact is None:
            raise Pact.DoesNotExist("No pact configured: run `manage.py load_default_pact`.")
        return pact


class Pact(models.Model):
    """The climate pact of one city: every number of the pact's rules is configuration here.
    Krefeld's values are the shipped default (see klimapakt/core/defaults.py)."""

    city = models.CharField(_("Stadt"), max_length=100)
    name_de = models.CharField(_("Name (deutsch)"), max_length=150)
    name_en = models.CharField(_("Name (englisch)"), max_length=150, blank=True)
    name = Translated("name")
    decided_on = models.DateField(_("Ratsbeschluss zur Klimaneutralität am"))
    target_year = models.PositiveIntegerField(
        _("Zieljahr der Klimaneutralität"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    monitoring_interval_years = models.PositiveSmallIntegerField(
        _("Abstand der Monitoringberichte (Jahre)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    baseline_report_due_months = models.PositiveSmallIntegerField(
        _("Frist für den Ausgangsbericht (Monate nach Unterzeichnung)"), default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    first_monitoring_year = models.PositiveIntegerField(
        _("Erstes gemeinsames Monitoringjahr"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    contact_email = models.EmailField(_("Kontakt-E-Mail"))
    contact_phone = models.CharField(_("Kontakttelefon"), max_length=50, blank=True)
    office_name_de = models.CharField(_("Name der Geschäftsstelle"), max_length=200, blank=True)
    office_name_en = models.CharField(_("Name der Geschäftsstelle (englisch)"), max_length=200, blank=True)
    office_name = Translated("office_name")
    postal_codes = models.TextField(
        _("Postleitzahlen der Stadt"), blank=True,
        help_text=_("Kommagetrennt. Nur Organisationen mit einer dieser Postleitzahlen können Klimapartner werden."),
    )
    logo = models.FileField(_("Logo oder Stadtwappen"), upload_to="pact/", blank=True)
    signature = models.FileField(_("Unterschrift"), upload_to="pact-signature/", blank=True,
                                 storage=_private_storage)
    signature_name = models.CharField(
        _("Name und Funktion unter der Unterschrift"), max_length=150, blank=True,
        help_text=_("Zum Beispiel „Frank Meyer, Oberbürgermeister“. Erscheint auf der Urkunde und der "
                    "gegengezeichneten Vereinbarung unter dem Bild der Unterschrift."))
    accent_colour = models.CharField(_("Akzentfarbe"), max_length=20, default="standard",
                                     choices=_accent_choices, validators=[_validate_accent])

    objects = PactQuerySet.as_manager()

    class Meta:
        verbose_name = _("Klimapakt")
        verbose_name_plural = _("Klimapakte")

    def __str__(self):
        return self.name_de

    def monitoring_years(self, until: int | None = None) -> list[int]:
        """The common monitoring years, from the first one up to the target year."""
        last = until or self.target_year
        return list(range(self.first_monitoring_year, last + 1, self.monitoring_interval_years))

    def baseline_report_due(self, signed_on: datetime.date) -> datetime.date:
        """The Ausgangsbericht is due a configured number of months after signing."""
        month_index = signed_on.month - 1 + self.baseline_report_due_months
        year, month = signed_on.year + month_index // 12, month_index % 12 + 1
        import calendar

        day = min(signed_on.day, calendar.monthrange(year, month)[1])
        return datetime.date(year, month, day)

    @property
    def accent(self):
        """The accent colour (core.branding.Accent: its key, KERN token and hex value)."""
        from .branding import accent

        return accent(self.accent_colour)

    def postal_code_list(self) -> list[str]:
        return [c.strip() for c in self.postal_codes.replace("\n", ",").split(",") if c.strip()]

    def clean(self):
        super().clean()
        wrong = [code for code in self.postal_code_list() if not (len(code) == 5 and code.isascii() and code.isdigit())]
        if wrong:
            from django.core.exceptions import ValidationError

            raise ValidationError({"postal_codes": _(
                "Eine Postleitzahl hat fünf Ziffern. Bitte korrigieren Sie: %(codes)s.") % {
                "codes": ", ".join(f"„{code}“" for code in wrong[:10])}})


class InitialPartner(models.Model):
    """One of the institutions that founded the pact with the city (IHK, HWK, ...)."""

    class Kind(models.TextChoices):
        CITY = "city", _("Stadt")
        CHAMBER = "chamber", _("Kammer")
        ASSOCIATION = "association", _("Verband")
        UNIVERSITY = "university", _("Hochschule")
        AGENCY = "agency", _("Wirtschaftsförderung")
        OTHER = "other", _("Sonstige")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="initial_partners")
    name = models.CharField(_("Name"), max_length=200)
    short_name = models.CharField(_("Kurzname"), max_length=50)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("Website"), blank=True)
    logo = models.FileField(
        _("Logo"), upload_to="initial-partners/", blank=True,
        validators=[FileExtensionValidator(["svg", "png", "jpg", "jpeg", "webp"])],
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("Initialpartner")
        verbose_name_plural = _("Initialpartner")

    def __str__(self):
        return self.name


class Page(models.Model):
    """An editable public page: the five fixed ones (home, joining, contact, imprint, privacy,
    keyed by `Slug`) and pages the office adds (accessibility statement, ...), whose slug is
    their address (``/<slug>/``, see core.pages)."""

    class Slug(models.TextChoices):
        HOME = "home", _("Startseite")
        JOIN = "join", _("Klimapartner werden")
        CONTACT = "contact", _("Kontakt")
        IMPRINT = "imprint", _("Impressum")
        PRIVACY = "privacy", _("Datenschutz")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="pages")
    slug = models.CharField(
        _("Adresse"), max_length=60,
        help_text=_("Der Teil der Adresse nach dem Schrägstrich, z. B. „barrierefreiheit“: Kleinbuchstaben, "
                    "Ziffern und Bindestriche."))
    in_footer = models.BooleanField(_("In der Fußzeile verlinken"), default=False)
    position = models.PositiveSmallIntegerField(_("Reihenfolge in der Fußzeile"), default=0)
    title_de = models.CharField(_("Titel (deutsch)"), max_length=200)
    title_en = models.CharField(_("Titel (englisch)"), max_length=200, blank=True)
    title = Translated("title")
    lead_de = models.TextField(_("Einleitung (deutsch)"), blank=True)
    lead_en = models.TextField(_("Einleitung (englisch)"), blank=True)
    lead = Translated("lead")
    body_de = models.TextField(_("Text (deutsch, Markdown)"), blank=True)
    body_en = models.TextField(_("Text (englisch, Markdown)"), blank=True)
    body = Translated("body")
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pact", "slug"], name="page_unique_slug_per_pact")]
        verbose_name = _("Seite")
        verbose_name_plural = _("Seiten")

    def __str__(self):
        return self.title_de

    @property
    def is_fixed(self) -> bool:
        """One of the five pages the platform links itself; it cannot be deleted or moved."""
        return self.slug in self.Slug.values

    @property
    def label(self) -> str:
        return self.Slug(self.slug).label if self.is_fixed else self.title_de

    def clean(self):
        super().clean()
        if not self.is_fixed:
            from .pages import validate_page_slug

            validate_page_slug(self.slug)


def validate_pdf(upload):
    from django.core.exceptions import ValidationError

    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("Die Datei ist kein PDF-Dokument."))
    if upload.size > settings.KLIMAPAKT_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Die Datei ist zu groß (höchstens %(mb)s MB).") % {"mb": settings.KLIMAPAKT_MAX_UPLOAD_BYTES // 2**20}
        )


class Document(models.Model):
    """A public PDF document (draft framework agreement, committee status report, ...)."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="documents")
    title_de = models.CharField(_("Titel (deutsch)"), max_length=200)
    title_en = models.CharField(_("Titel (englisch)"), max_length=200, blank=True)
    title = Translated("title")
    description_de = models.TextField(_("Beschreibung (deutsch)"), blank=True)
    description_en = models.TextField(_("Beschreibung (englisch)"), blank=True)
    description = Translated("description")
    dated_on = models.DateField(_("Datum"))
    file = models.FileField(
        _("PDF-Datei"), upload_to="documents/%Y/",
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
    )
    is_public = models.BooleanField(_("Öffentlich"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-dated_on", "-pk"]
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")

    def __str__(self):
        return self.title_de

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class AuditEntry(models.Model):
    """Who did what to which object, when. Written by every state-changing service."""

    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Person"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("Aktion"), max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("Objekt"), max_length=200, blank=True)
    data = models.JSONField(_("Details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"], name="audit_by_object"),
                   # the newest entries in the ordering's order (-created_at, -pk): the back office's
                   # log and start page read the top of a table that only grows (issue 18, xl bench:
                   # 100 ms sort of 100,000 rows without it)
                   models.Index(fields=["-created_at", "-id"], name="audit_recent")]
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class ScheduledRun(models.Model):
    """One run of a daily job of the built-in scheduler (klimapakt/core/scheduler.py). The
    unique (job, day) pair is the claim: with several scheduler processes (several app
    servers) exactly one of them runs a job on a given day."""

    job = models.CharField(_("Aufgabe"), max_length=100)
    day = models.DateField(_("Tag"))
    started_at = models.DateTimeField(_("Begonnen"), default=timezone.now)
    finished_at = models.DateTimeField(_("Beendet"), null=True, blank=True)
    succeeded = models.BooleanField(_("Erfolgreich"), null=True)
    output = models.TextField(_("Ausgabe"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="scheduled_run_once_a_day")]
        verbose_name = _("Geplanter Lauf")
        verbose_name_plural = _("Geplante Läufe")

    def __str__(self):
        return f"{self.job} {self.day:%Y-%m-%d}"


class OutboxMail(models.Model):
    """One e-mail the platform owes someone: written in the same transaction as the change it
    tells about (a transactional outbox), so it exists exactly when the change committed, then
    sent by the task worker (``core.mail.deliver_mail``). Either a template with its context,
    rendered when sending, or a mail rendered already (allauth's). Attachments are built when
    sending, by a builder the owning app registered (``core.registry.mail_attachments``), or
    stored inline (a calendar file)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Wartet auf Versand")
        SENDING = "sending", _("Wird versendet")
        SENT = "sent", _("Versendet")
        FAILED = "failed", _("Fehlgeschlagen")

    template = models.CharField(_("Vorlage"), max_length=200, blank=True)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    to = models.JSONField(_("Empfänger"), default=list)
    context = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    attachments = models.JSONField(default=list, blank=True)
    subject = models.CharField(_("Betreff"), max_length=300, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(_("Nächster Versuch"), default=timezone.now)
    last_error = models.TextField(_("Letzter Fehler"), blank=True)
    created_at = models.DateTimeField(_("Angelegt"), default=timezone.now)
    sent_at = models.DateTimeField(_("Versendet am"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        verbose_name = _("Ausgehende E-Mail")
        verbose_name_plural = _("Ausgehende E-Mails")

    def __str__(self):
        return f"{self.template or self.subject} → {', '.join(self.to)}"


class WorkerHeartbeat(models.Model):
    """A sign of life of one task worker process (``manage.py run_worker``), written every
    HEARTBEAT_INTERVAL seconds (core.workers). A task RUNNING on a worker whose heartbeat is
    older than core.workers.WORKER_TIMEOUT lost its worker and is reaped; /healthz?deep=1 answers
    503 when no worker has been seen that long."""

    worker_id = models.CharField(_("Worker"), max_length=64, unique=True)
    hostname = models.CharField(_("Rechner"), max_length=255)
    pid = models.PositiveIntegerField(_("Prozess"))
    started_at = models.DateTimeField(_("Gestartet"), default=timezone.now)
    seen_at = models.DateTimeField(_("Zuletzt gesehen"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = _("Worker-Lebenszeichen")
        verbose_name_plural = _("Worker-Lebenszeichen")

    def __str__(self):
        return f"{self.hostname}:{self.pid} ({self.worker_id})"
