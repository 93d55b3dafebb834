"""Workshops and network meetings of the pact: events with agenda, organisers and seats,
registrations (confirmed / waitlisted), questionnaires and answers."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from klimapakt.core.models import Translated

from .images import event_image_path, validate_event_image, validate_https


class Event(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        NETWORK_MEETING = "network", _("Netzwerktreffen")
        OTHER = "other", _("Veranstaltung")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        PUBLISHED = "published", _("Veröffentlicht")
        CLOSED = "closed", _("Anmeldung geschlossen")
        CANCELLED = "cancelled", _("Abgesagt")

    class Audience(models.TextChoices):
        OPEN = "open", _("Offen für alle")
        PARTNERS = "partners", _("Nur für Klimapartner")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("Vor Ort")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid (vor Ort und online)")

    pact = models.ForeignKey("core.Pact", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.WORKSHOP)
    title_de = models.CharField(_("Titel (deutsch)"), max_length=200)
    title_en = models.CharField(_("Titel (englisch)"), max_length=200, blank=True)
    title = Translated("title")
    description_de = models.TextField(_("Beschreibung (deutsch)"), blank=True)
    description_en = models.TextField(_("Beschreibung (englisch)"), blank=True)
    description = Translated("description")
    starts_at = models.DateTimeField(_("Beginn"), db_index=True)
    ends_at = models.DateTimeField(_("Ende"))
    venue_name = models.CharField(_("Ort"), max_length=200, blank=True)
    venue_address = models.CharField(_("Adresse"), max_length=300, blank=True)
    format = models.CharField(_("Format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON)
    # Only for confirmed participants (their personal page, their confirmation and reminder
    # mails) and the organisers: never on the public page, in a calendar file or the API.
    meeting_url = models.URLField(
        _("Zugangslink (online)"), max_length=500, blank=True, validators=[validate_https],
        help_text=_("Nur bestätigte Teilnehmende sehen den Link: auf ihrer persönlichen Seite und in ihren "
                    "E-Mails, nie auf der öffentlichen Seite."))
    image = models.FileField(_("Bild"), upload_to=event_image_path, blank=True, validators=[validate_event_image],
                             help_text=_("PNG oder JPEG, höchstens 2 MB und 4000 × 4000 Pixel."))
    image_alt = models.CharField(
        _("Bildbeschreibung (Alternativtext)"), max_length=300, blank=True,
        help_text=_("Was auf dem Bild zu sehen ist, für Menschen, die es nicht sehen können."))
    organisers = models.ManyToManyField(
        "core.InitialPartner", verbose_name=_("Veranstaltet von"), blank=True, related_name="events")
    audience = models.CharField(_("Zielgruppe"), max_length=20, choices=Audience.choices, default=Audience.OPEN)
    capacity = models.PositiveIntegerField(
        _("Plätze"), null=True, blank=True, help_text=_("Leer lassen, wenn die Platzzahl nicht begrenzt ist."))
    per_organisation_limit = models.PositiveSmallIntegerField(
        _("Höchstens Personen je Organisation"), null=True, blank=True,
        help_text=_("Leer lassen für keine Begrenzung. Zählt bestätigte und wartende Anmeldungen."))
    registration_deadline = models.DateTimeField(
        _("Anmeldeschluss"), null=True, blank=True, help_text=_("Leer lassen: Anmeldung bis zum Beginn."))
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Every change by the organiser (details, status) sets it; the counters below do not. The
    # calendar files take their SEQUENCE from it, so an update or a cancellation replaces the
    # entry that calendars already hold.
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)
    cancellation_message = models.TextField(
        _("Nachricht zur Absage"), blank=True,
        help_text=_("Die Nachricht des Veranstalters an die Angemeldeten, als die Veranstaltung abgesagt wurde."))
    # Kept by the services under the event lock (and recounted by `events_retention` nightly),
    # so lists and the API read them without counting 20,000 registrations.
    seats_taken = models.PositiveIntegerField(_("Bestätigt"), default=0, editable=False)
    waitlist_length = models.PositiveIntegerField(_("Warteliste"), default=0, editable=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start",
                                   violation_error_message=_("Das Ende muss nach dem Beginn liegen.")),
        ]

    def __str__(self):
        return self.title_de

    @property
    def is_online(self) -> bool:
        return self.format == self.Format.ONLINE

    @property
    def has_online_part(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    @property
    def deadline(self):
        return self.registration_deadline or self.starts_at

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    def registration_open(self, now=None) -> bool:
        return not self.closed_reason(now)

    def _closed_state(self, now=None) -> str:
        """The one rule for whether registration is open: '' when open, else why not
        (cancelled, draft, past, begun, closed, deadline)."""
        now = now or timezone.now()
        if self.status == self.Status.CANCELLED:
            return "cancelled"
        if self.status == self.Status.DRAFT:
            return "draft"
        if self.ends_at and now > self.ends_at:
            return "past"
        if now >= self.starts_at:
            return "begun"
        if self.status == self.Status.CLOSED:
            return "closed"
        if now >= self.deadline:
            return "deadline"
        return ""

    def closed_reason(self, now=None) -> str:
        """Why registration is closed, in words for the public ('' when open)."""
        return str({
            "cancelled": _("Die Veranstaltung wurde abgesagt."),
            "draft": _("Die Veranstaltung ist noch nicht veröffentlicht."),
            "past": _("Die Veranstaltung hat bereits stattgefunden."),
            "begun": _("Die Veranstaltung hat bereits begonnen."),
            "closed": _("Die Anmeldung wurde geschlossen."),
            "deadline": _("Der Anmeldeschluss ist vorbei."),
        }.get(self._closed_state(now), ""))

    def newcomer_waits(self, *, confirmed: int | None = None, waitlisted: int | None = None) -> bool:
        """Whether a new registration goes to the waitlist. Nobody jumps the queue: while anyone
        is waiting, a newcomer waits too, even if a seat happens to be free. The service asks
        with the numbers counted under the event lock; pages ask with the counters."""
        confirmed = self.seats_taken if confirmed is None else confirmed
        waitlisted = self.waitlist_length if waitlisted is None else waitlisted
        return bool(waitlisted) or (self.capacity is not None and confirmed >= self.capacity)

    @property
    def availability(self) -> Availability:
        """What the list, the event page and the registration form say about seats: from the
        same rules as the registration itself (closed_reason, newcomer_waits)."""
        state = self._closed_state()
        if state:
            return Availability(state=state, label=str(_CLOSED_BADGES[state][0]), tone=_CLOSED_BADGES[state][1])
        if self.newcomer_waits():
            return Availability(state="waitlist", label=str(_("Ausgebucht – Warteliste")), tone="warning",
                                waitlist=True)
        if self.capacity is None:
            return Availability(state="open", label=str(_("Plätze frei")), tone="success")
        left = self.seats_left
        return Availability(state="open", tone="success", seats_left=left, label=ngettext(
            "Noch %(n)s Platz frei", "Noch %(n)s Plätze frei", left) % {"n": left})


@dataclass(frozen=True)
class Availability:
    """Registration and seats of an event as the public sees them. `state` is "open",
    "waitlist" (a newcomer goes to the waitlist) or why registration is closed ("cancelled",
    "draft", "past", "begun", "closed", "deadline"); `tone` is the KERN badge variant."""

    state: str
    label: str
    tone: str
    seats_left: int | None = None
    waitlist: bool = False

    @property
    def is_open(self) -> bool:
        return self.state in ("open", "waitlist")


_CLOSED_BADGES = {
    "cancelled": (_("Abgesagt"), "danger"),
    "draft": (_("Noch nicht veröffentlicht"), "info"),
    "past": (_("Vergangen"), "info"),
    "begun": (_("Anmeldung geschlossen"), "warning"),
    "closed": (_("Anmeldung geschlossen"), "warning"),
    "deadline": (_("Anmeldeschluss vorbei"), "warning"),
}


class AgendaItem(models.Model):
    """One item of the planned contents ("Geplante Inhalte"), in order."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    title_de = models.CharField(_("Programmpunkt (deutsch)"), max_length=300)
    title_en = models.CharField(_("Programmpunkt (englisch)"), max_length=300, blank=True)
    title = Translated("title")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("Programmpunkt")
        verbose_name_plural = _("Programmpunkte")

    def __str__(self):
        return self.title_de


def _token() -> str:
    return secrets.token_urlsafe(24)


CONSENT_VERSION = "2026-11-27"


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Bestätigt")
        WAITLISTED = "waitlisted", _("Warteliste")
        CANCELLED = "cancelled", _("Abgesagt")
        DECLINED = "declined", _("Abgelehnt")

    ACTIVE = (Status.CONFIRMED, Status.WAITLISTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, db_index=True)
    waitlist_order = models.PositiveIntegerField(null=True, blank=True)
    first_name = models.CharField(_("Vorname"), max_length=150)
    last_name = models.CharField(_("Nachname"), max_length=150)
    email = models.EmailField(_("E-Mail-Adresse"))
    organisation = models.CharField(_("Organisation"), max_length=200)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    language = models.CharField(_("Sprache"), max_length=8, choices=settings.LANGUAGES, default="de")
    token = models.CharField(max_length=64, unique=True, default=_token)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="event_registrations")
    consent_version = models.CharField(_("Fassung der Datenschutzhinweise"), max_length=40, blank=True)
    consent_at = models.DateTimeField(_("Einwilligung am"), null=True, blank=True)
    attended = models.BooleanField(_("Anwesend"), default=False)
    created_at = models.DateTimeField(_("Angemeldet am"), default=timezone.now)
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)
    anonymised_at = models.DateTimeField(_("Anonymisiert am"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("Erinnerung gesendet am"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("Eingecheckt am"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        constraints = [
            # One active registration per e-mail and event (cancelled ones may register again).
            models.UniqueConstraint(fields=["event", "email"], name="registration_unique_active_email",
                                    condition=Q(status__in=["confirmed", "waitlisted"]) & ~Q(email="")),
        ]
        indexes = [models.Index(fields=["event", "status", "waitlist_order"], name="registration_by_status"),
                   models.Index(fields=["email", "created_at"], name="registration_by_address")]

    def __str__(self):
        # No names here: this text lands in the audit log, which outlives the retention period.
        return f"Anmeldung #{self.pk} (Veranstaltung #{self.event_id})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Kurzer Text")
        LONG_TEXT = "long_text", _("Langer Text")
        SINGLE_CHOICE = "single_choice", _("Einfachauswahl")
        MULTIPLE_CHOICE = "multiple_choice", _("Mehrfachauswahl")
        YES_NO = "yes_no", _("Ja/Nein")
        NUMBER = "number", _("Zahl")

    class Role(models.TextChoices):
        """What the answers are for beyond the event: the support app lets the office start an
        advice request from a "support_need" answer of a registrant who said yes to the
        event's "support_consent" question (a yes/no question)."""

        NONE = "", _("Keine weitere Verwendung")
        SUPPORT_NEED = "support_need", _("Unterstützungsbedarf (kann eine Beratungsanfrage starten)")
        SUPPORT_CONSENT = "support_consent", _("Einwilligung: Beratungsanfrage vorbereiten (Ja/Nein)")

    CHOICE_KINDS = (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE)
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.SHORT_TEXT)
    label_de = models.CharField(_("Frage (deutsch)"), max_length=300)
    label_en = models.CharField(_("Frage (englisch)"), max_length=300, blank=True)
    label = Translated("label")
    help_de = models.CharField(_("Hinweis (deutsch)"), max_length=300, blank=True)
    help_en = models.CharField(_("Hinweis (englisch)"), max_length=300, blank=True)
    help = Translated("help")
    choices_de = models.TextField(_("Auswahlmöglichkeiten (deutsch)"), blank=True,
                                  help_text=_("Eine Möglichkeit je Zeile."))
    choices_en = models.TextField(_("Auswahlmöglichkeiten (englisch)"), blank=True,
                                  help_text=_("Eine Möglichkeit je Zeile, in derselben Reihenfolge."))
    required = models.BooleanField(_("Pflichtfrage"), default=False)
    role = models.CharField(_("Verwendung der Antworten"), max_length=20, choices=Role.choices, blank=True,
                            default="")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")

    def __str__(self):
        return self.label_de

    def choice_list(self, language: str | None = None) -> list[str]:
        """The choices in the current (or given) language; German where English is missing."""
        from django.utils.translation import get_language

        de = [c.strip() for c in self.choices_de.splitlines() if c.strip()]
        lang = (language or get_language() or "de")[:2]
        if lang == "de":
            return de
        en = [c.strip() for c in self.choices_en.splitlines() if c.strip()]
        return [en[i] if i < len(en) else c for i, c in enumerate(de)]

    @property
    def is_choice(self) -> bool:
        return self.kind in self.CHOICE_KINDS


class Answer(models.Model):
    """One answer of one registration to one question. Choices are stored as indices so the
    evaluation counts the same option whichever language the person answered in."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    boolean = models.BooleanField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "question"], name="answer_unique")]
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")

    def __str__(self):
        return self.display()

    def display(self, language: str | None = None) -> str:
        kind = self.question.kind
        if kind in Question.TEXT_KINDS:
            return self.text
        if kind == Question.Kind.NUMBER:
            return "" if self.number is None else f"{self.number.normalize():f}"
        if kind == Question.Kind.YES_NO:
            return "" if self.boolean is None else str(_("Ja") if self.boolean else _("Nein"))
        labels = self.question.choice_list(language)
        return "; ".join(labels[i] for i in self.choices if isinstance(i, int) and 0 <= i < len(labels))
