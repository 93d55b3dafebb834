"""Support by the pact's initial partners: their offers (Angebote), a firm's advice requests
(Beratungsanfragen) routed to one institution, the conversation about it, the advisors'
internal notes and the firm's read grant on its data.

Institutions are ``core.InitialPartner``; an advisor is a user with ``advisor_for`` set. The
request's status changes only through ``transitions.REQUEST_STATUS`` (services/requests.py)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from klimapakt.core.models import Translated
from klimapakt.core.validators import single_line
from klimapakt.ghg.storage import private_storage

MAX_ATTACHMENTS_PER_REQUEST = 20
MAX_MESSAGES_PER_REQUEST = 500


class Topic(models.TextChoices):
    HEAT = "heat", _("Wärme")
    ELECTRICITY = "electricity", _("Strom")
    MOBILITY = "mobility", _("Mobilität")
    BUILDINGS = "buildings", _("Gebäude")
    FUNDING = "funding", _("Fördermittel")
    REPORTING = "reporting", _("Bilanz und Berichte")
    OTHER = "other", _("Sonstiges")


class Language(models.TextChoices):
    """Languages an offer's advice is given in."""

    DE = "de", _("Deutsch")
    EN = "en", _("Englisch")
    TR = "tr", _("Türkisch")
    PL = "pl", _("Polnisch")
    NL = "nl", _("Niederländisch")
    AR = "ar", _("Arabisch")
    RU = "ru", _("Russisch")
    UK = "uk", _("Ukrainisch")


def tags(values) -> str:
    """A set of choice keys stored in one column as ",a,b," so `contains=",a,"` finds it exactly
    on SQLite and PostgreSQL (empty: no restriction)."""
    values = sorted({str(v) for v in values or [] if v})
    return f",{','.join(values)}," if values else ""


def untag(value: str) -> list[str]:
    return [v for v in (value or "").split(",") if v]


class Offer(models.Model):
    """What one institution offers firms: a consultation, a concept, a training, a network."""

    class Kind(models.TextChoices):
        FIRST_ADVICE = "first_advice", _("Erstberatung")
        FUNDING = "funding", _("Fördermittelberatung")
        CLIMATE_CONCEPT = "climate_concept", _("Klimaschutzkonzept für KMU")
        ENERGY_SCOUTS = "energy_scouts", _("Energie-Scouts")
        SITE_CHECK = "site_check", _("Vor-Ort-Check")
        NETWORK = "network", _("Netzwerk")
        OTHER = "other", _("Sonstiges")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Alle Unternehmen")
        PARTNERS = "partners", _("Nur Klimapartner")

    pact = models.ForeignKey("core.Pact", on_delete=models.CASCADE, related_name="support_offers")
    institution = models.ForeignKey("core.InitialPartner", verbose_name=_("Einrichtung"), on_delete=models.CASCADE,
                                    related_name="offers")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, db_index=True)
    title_de = models.CharField(_("Titel (deutsch)"), validators=[single_line], max_length=200)
    title_en = models.CharField(_("Titel (englisch)"), validators=[single_line], max_length=200, blank=True)
    title = Translated("title")
    summary_de = models.TextField(_("Kurzbeschreibung (deutsch)"), max_length=1000)
    summary_en = models.TextField(_("Kurzbeschreibung (englisch)"), max_length=1000, blank=True)
    summary = Translated("summary")
    benefits_de = models.TextField(_("Was Sie bekommen (deutsch)"), max_length=3000, blank=True)
    benefits_en = models.TextField(_("Was Sie bekommen (englisch)"), max_length=3000, blank=True)
    benefits = Translated("benefits")
    requirements_de = models.TextField(_("Was Sie mitbringen (deutsch)"), max_length=3000, blank=True)
    requirements_en = models.TextField(_("Was Sie mitbringen (englisch)"), max_length=3000, blank=True)
    requirements = Translated("requirements")
    audience = models.CharField(_("Für wen"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    # Empty: every size class / every sector (tags()).
    size_classes = models.CharField(_("Größenklassen"), max_length=100, blank=True)
    sectors = models.CharField(_("Branchen (WZ 2008)"), max_length=100, blank=True)
    is_free = models.BooleanField(_("Kostenfrei"), default=True)
    price_de = models.CharField(_("Kosten (deutsch)"), validators=[single_line], max_length=200, blank=True)
    price_en = models.CharField(_("Kosten (englisch)"), validators=[single_line], max_length=200, blank=True)
    price = Translated("price")
    languages = models.CharField(_("Sprachen der Beratung"), max_length=100, default=",de,")
    contact_name = models.CharField(_("Ansprechperson"), validators=[single_line], max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail"), blank=True)
    contact_phone = models.CharField(_("Telefon"), validators=[single_line], max_length=50, blank=True)
    is_published = models.BooleanField(_("Veröffentlicht"), default=True, db_index=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["institution__position", "position", "title_de", "pk"]
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")

    def __str__(self):
        return self.title_de

    @property
    def size_class_list(self) -> list[str]:
        return untag(self.size_classes)

    @property
    def sector_list(self) -> list[str]:
        return untag(self.sectors)

    @property
    def language_list(self) -> list[str]:
        return untag(self.languages)


class SupportSettings(models.Model):
    """The pact office's settings for support: service level and retention."""

    pact = models.OneToOneField("core.Pact", on_delete=models.CASCADE, related_name="support_settings")
    answer_days = models.PositiveSmallIntegerField(
        _("Ziel für die erste Antwort (Arbeitstage)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Gezählt ohne Wochenenden und gesetzliche Feiertage des Bundeslandes."))
    holiday_region = models.CharField(
        _("Bundesland für Feiertage"), max_length=2, default="NW",
        help_text=_("Kürzel des Bundeslandes, z. B. NW für Nordrhein-Westfalen."))
    retention_years = models.PositiveSmallIntegerField(
        _("Abgeschlossene Anfragen löschen nach (Jahren)"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)])

    class Meta:
        verbose_name = _("Einstellungen der Unterstützung")
        verbose_name_plural = _("Einstellungen der Unterstützung")

    def __str__(self):
        return str(self._meta.verbose_name)


class RoutingRule(models.Model):
    """Where a request without a chosen offer goes: the first active rule (by position) whose
    filled conditions all match the request sends it to its institution; with none, the pact
    office assigns it by hand."""

    pact = models.ForeignKey("core.Pact", on_delete=models.CASCADE, related_name="support_routing_rules")
    institution = models.ForeignKey("core.InitialPartner", verbose_name=_("Einrichtung"), on_delete=models.CASCADE,
                                    related_name="routing_rules")
    topic = models.CharField(_("Thema"), max_length=20, choices=Topic.choices, blank=True)
    sector = models.CharField(_("Branche (WZ 2008)"), max_length=1, blank=True)
    size_class = models.CharField(_("Größenklasse"), max_length=10, blank=True)
    craft_business = models.BooleanField(_("Nur Handwerksbetriebe"), default=False)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_active = models.BooleanField(_("Aktiv"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("Zuordnungsregel")
        verbose_name_plural = _("Zuordnungsregeln")

    def __str__(self):
        return str(self.institution)


def answered_in_time(first_answer_at, answer_due_on) -> bool | None:
    """Whether the first answer came on or before its due date (the answer's local date)."""
    if first_answer_at is None or answer_due_on is None:
        return None
    return timezone.localdate(first_answer_at) <= answer_due_on


class RequestQuerySet(models.QuerySet):
    def with_topic(self, topic: str):
        return self.filter(topics__contains=f",{topic},")

    def open(self):
        return self.filter(status__in=SupportRequest.OPEN)

    def for_institution(self, institution_id):
        return self.filter(institution_id=institution_id)


class SupportRequest(models.Model):
    """A firm's request for advice. Goes to the institution of the chosen offer, through the
    routing rules, or to the pact office, which assigns it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        NEW = "new", pgettext_lazy("support request", "Neu")
        ACCEPTED = "accepted", pgettext_lazy("support request", "Angenommen")
        IN_PROGRESS = "in_progress", _("In Bearbeitung")
        DONE = "done", pgettext_lazy("support request", "Abgeschlossen")
        DECLINED = "declined", pgettext_lazy("support request", "Abgelehnt")
        WITHDRAWN = "withdrawn", pgettext_lazy("support request", "Zurückgezogen")

    class Outcome(models.TextChoices):
        ADVICE_GIVEN = "advice_given", _("Beratung erfolgt")
        MEASURE_PLANNED = "measure_planned", _("Maßnahme geplant")
        FUNDING_APPLIED = "funding_applied", _("Fördermittel beantragt")
        CONCEPT_STARTED = "concept_started", _("Klimaschutzkonzept begonnen")

    OPEN = (Status.NEW, Status.ACCEPTED, Status.IN_PROGRESS)
    CLOSED = (Status.DONE, Status.DECLINED, Status.WITHDRAWN)

    organisation = models.ForeignKey("partners.Organisation", on_delete=models.CASCADE,
                                     related_name="support_requests")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    offer = models.ForeignKey(Offer, verbose_name=_("Angebot"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="requests")
    institution = models.ForeignKey("core.InitialPartner", verbose_name=_("Einrichtung"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="support_requests")
    advisor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Beraterin oder Berater"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="support_requests_advised")
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.NEW)
    topics = models.CharField(_("Themen"), max_length=200, blank=True)  # tags()
    description = models.TextField(_("Worum geht es?"), max_length=5000)
    measure = models.ForeignKey("reports.Measure", verbose_name=_("Maßnahme"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="support_requests")
    report = models.ForeignKey("reports.Report", verbose_name=_("Bericht"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="support_requests")
    report_section = models.CharField(_("Abschnitt des Berichts"), max_length=20, blank=True)
    # Consent to hand the request to a separate legal entity: what the firm saw and when it agreed.
    consent_text = models.TextField(_("Einwilligung"), blank=True)
    consented_at = models.DateTimeField(_("Eingewilligt am"), null=True, blank=True)
    # Read access of the holding institution to the firm's balance, targets, measures, reports.
    grant_given_at = models.DateTimeField(_("Einsicht freigegeben am"), null=True, blank=True)
    grant_revoked_at = models.DateTimeField(_("Einsicht widerrufen am"), null=True, blank=True)
    # Where it came from when the office drafted it from an event registration's answer.
    source_answer = models.ForeignKey("events.Answer", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    # Service level: the clock starts when the institution (or the office) receives the request.
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("Gesendet am"), null=True, blank=True)
    received_at = models.DateTimeField(_("Eingegangen am"), null=True, blank=True, db_index=True)
    answer_due_on = models.DateField(_("Erste Antwort fällig am"), null=True, blank=True, db_index=True)
    first_answer_at = models.DateTimeField(_("Erste Antwort am"), null=True, blank=True)
    # Kept by save() from the two above (local date of the answer <= due date): the overview
    # counts it with an index instead of converting 20,000 timestamps per year.
    answered_in_time = models.BooleanField(_("Rechtzeitig beantwortet"), null=True, blank=True, editable=False)
    advisor_reminded_at = models.DateTimeField(null=True, blank=True)
    office_reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("Abgeschlossen am"), null=True, blank=True, db_index=True)
    outcome = models.CharField(_("Ergebnis"), max_length=20, choices=Outcome.choices, blank=True)
    close_reason = models.TextField(_("Begründung"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("Beratungsanfrage")
        verbose_name_plural = _("Beratungsanfragen")
        indexes = [
            models.Index(fields=["institution", "status", "received_at"], name="support_inbox"),
            models.Index(fields=["institution", "received_at"], name="support_inbox_all"),
            models.Index(fields=["status", "answer_due_on"], name="support_due"),
            models.Index(fields=["first_answer_at", "answer_due_on"], name="support_unanswered"),
            models.Index(fields=["sent_at", "institution", "status"], name="support_year"),
            # Open requests without a first answer (OPEN, spelled out: the class is not defined
            # yet here): the overdue count every back-office page shows in its navigation, and
            # the overdue list. Partial, so it stays as small as the backlog (issue 18, xl bench:
            # 120 ms seq scan over 200,000 requests).
            models.Index(fields=["answer_due_on"], name="support_open_unanswered",
                         condition=models.Q(status__in=["new", "accepted", "in_progress"],
                                            first_answer_at__isnull=True)),
        ]

    def __str__(self):
        return str(_("Anfrage %(number)s") % {"number": self.pk})

    def save(self, *args, **kwargs):
        self.answered_in_time = answered_in_time(self.first_answer_at, self.answer_due_on)
        fields = kwargs.get("update_fields")
        if fields is not None and "first_answer_at" in fields:
            kwargs["update_fields"] = {*fields, "answered_in_time"}
        super().save(*args, **kwargs)

    @property
    def topic_list(self) -> list[str]:
        return untag(self.topics)

    @property
    def topic_labels(self) -> list[str]:
        names = dict(Topic.choices)
        return [str(names.get(t, t)) for t in self.topic_list]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def grant_active(self) -> bool:
        return bool(self.grant_given_at and not self.grant_revoked_at and self.is_open)

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.is_open and self.first_answer_at is None and self.answer_due_on
                    and self.answer_due_on < today)


class Holding(models.Model):
    """Which institution held a request, from when to when: a forwarded request stays readable
    (its header and that institution's own notes) for the institutions that held it before."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="holdings")
    institution = models.ForeignKey("core.InitialPartner", on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["since", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "institution", "since"], name="support_holding_unique")]

    def __str__(self):
        return f"{self.request_id}: {self.institution_id}"


class Message(models.Model):
    """The conversation between the firm and the advisor (and the office)."""

    class Side(models.TextChoices):
        FIRM = "firm", _("Unternehmen")
        ADVISOR = "advisor", _("Beratung")
        OFFICE = "office", _("Geschäftsstelle")

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    institution = models.ForeignKey("core.InitialPartner", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    body = models.TextField(_("Nachricht"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:60]


class Note(models.Model):
    """An internal note: visible to the advisors of the institution that wrote it and to the
    pact office (institution empty: written by the office), never to the firm."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="notes")
    institution = models.ForeignKey("core.InitialPartner", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    body = models.TextField(_("Interne Notiz"), max_length=5000)
    appointment_on = models.DateField(_("Termin"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:60]


def attachment_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"support/{instance.request_id}/{secrets.token_hex(8)}.{ext}"


class Attachment(models.Model):
    """A file the firm or the advisor shared on a request: private, served only through the
    permission-checked view."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=attachment_path)
    name = models.CharField(_("Dateiname"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name
