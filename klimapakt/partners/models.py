"""Organisations (companies, associations, institutions) and the people who act for them."""

from __future__ import annotations

import copy
import datetime
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klimapakt.core.models import Translated, validate_pdf
from klimapakt.core.validators import single_line

# Sections of the German classification of economic activities (WZ 2008).
WZ2008_SECTIONS = [
    ("A", _("A – Land- und Forstwirtschaft, Fischerei")),
    ("B", _("B – Bergbau und Gewinnung von Steinen und Erden")),
    ("C", _("C – Verarbeitendes Gewerbe")),
    ("D", _("D – Energieversorgung")),
    ("E", _("E – Wasserversorgung, Abwasser- und Abfallentsorgung")),
    ("F", _("F – Baugewerbe")),
    ("G", _("G – Handel; Instandhaltung und Reparatur von Kraftfahrzeugen")),
    ("H", _("H – Verkehr und Lagerei")),
    ("I", _("I – Gastgewerbe")),
    ("J", _("J – Information und Kommunikation")),
    ("K", _("K – Finanz- und Versicherungsdienstleistungen")),
    ("L", _("L – Grundstücks- und Wohnungswesen")),
    ("M", _("M – Freiberufliche, wissenschaftliche und technische Dienstleistungen")),
    ("N", _("N – Sonstige wirtschaftliche Dienstleistungen")),
    ("O", _("O – Öffentliche Verwaltung, Verteidigung; Sozialversicherung")),
    ("P", _("P – Erziehung und Unterricht")),
    ("Q", _("Q – Gesundheits- und Sozialwesen")),
    ("R", _("R – Kunst, Unterhaltung und Erholung")),
    ("S", _("S – Sonstige Dienstleistungen")),
    ("T", _("T – Private Haushalte")),
    ("U", _("U – Exterritoriale Organisationen und Körperschaften")),
]


def sector_label(key: str) -> str:
    """A WZ section's name as the pages show it ("C – Verarbeitendes Gewerbe"); "ohne Angabe"
    for none (or an unknown key)."""
    return str(dict(WZ2008_SECTIONS).get(key) or _("ohne Angabe"))

# Size classes by number of employees (EU SME definition, headcount only).
SIZE_CLASSES = [
    ("micro", _("Kleinstunternehmen (bis 9 Beschäftigte)"), 0, 9),
    ("small", _("Kleine Organisation (10 bis 49)"), 10, 49),
    ("medium", _("Mittlere Organisation (50 bis 249)"), 50, 249),
    ("large", _("Große Organisation (ab 250)"), 250, None),
]



def size_class_of(employees: int | None) -> str:
    """The size class key (SIZE_CLASSES) of a number of employees; "" when unknown."""
    if employees is None:
        return ""
    for key, _label, low, high in SIZE_CLASSES:
        if employees >= low and (high is None or employees <= high):
            return key
    return ""


def validate_logo(upload):
    """A logo must be a real PNG, JPEG or WebP image (checked by decoding), at most 2 MB and
    at most 4000 × 4000 pixels (logos.py). SVG is refused: it can carry scripts and logos are
    served publicly."""
    from .logos import LOGO_FORMATS, LOGO_MAX_BYTES, validate_logo_dimensions

    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(_("Das Logo ist zu groß (höchstens 2 MB)."))
    from PIL import Image

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except Exception:
        raise ValidationError(_("Das Logo muss ein Bild im Format PNG, JPEG oder WebP sein.")) from None
    finally:
        upload.seek(0)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(_("Das Logo muss ein Bild im Format PNG, JPEG oder WebP sein."))
    validate_logo_dimensions(upload)


def logo_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    if ext not in ("png", "jpg", "jpeg", "webp"):
        ext = "png"
    return f"logos/{secrets.token_hex(8)}.{ext}"


def document_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "pdf"
    return f"private/organisations/{instance.organisation_id}/{secrets.token_hex(8)}.{ext}"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Unternehmen")
        ASSOCIATION = "association", _("Verband")
        CLUB = "club", _("Verein")
        INSTITUTION = "institution", _("Einrichtung")

    class Stage(models.TextChoices):
        """Where the organisation stands on its way to (and in) the Klimapartnerschaft."""

        INTEREST = "interest", _("Interesse")
        TALK_PLANNED = "talk_planned", _("Gespräch geplant")
        TALK_HELD = "talk_held", _("Gespräch geführt")
        AGREEMENT_SUBMITTED = "agreement_submitted", _("Vereinbarung eingereicht")
        ACTIVE = "active", _("Aktiver Klimapartner")
        PAUSED = "paused", _("Pausiert")
        LEFT = "left", _("Ausgetreten")

    class Deadline(models.TextChoices):
        """What the pact office or the organisation has to do next, by a date."""

        ARRANGE_TALK = "arrange_talk", _("Orientierungsgespräch vereinbaren")
        TALK = "talk", _("Orientierungsgespräch führen")
        REVIEW = "review", _("Vereinbarung prüfen und gegenzeichnen")
        BASELINE_REPORT = "baseline_report", _("Ausgangsbericht")
        MONITORING_REPORT = "monitoring_report", _("Monitoringbericht")
        FINAL_REPORT = "final_report", _("Endbilanz")

    name = models.CharField(_("Name"), validators=[single_line], max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    legal_form = models.CharField(_("Rechtsform"), validators=[single_line], max_length=50, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), validators=[single_line], max_length=200, blank=True)
    postal_code = models.CharField(_("Postleitzahl"), validators=[single_line], max_length=10, blank=True)
    city = models.CharField(_("Ort"), validators=[single_line], max_length=100, blank=True)
    website = models.URLField(_("Website"), blank=True)
    employees = models.PositiveIntegerField(_("Beschäftigte"), null=True, blank=True)
    sector = models.CharField(_("Branche (WZ 2008)"), max_length=1, choices=WZ2008_SECTIONS, blank=True,
                              db_index=True)
    craft_business = models.BooleanField(
        _("Handwerksbetrieb"), default=False,
        help_text=_("In die Handwerksrolle eingetragen; Beratungsanfragen gehen dann an die Stellen des Handwerks."))
    contact_name = models.CharField(_("Ansprechperson"), validators=[single_line], max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    contact_phone = models.CharField(_("Telefon der Ansprechperson"), validators=[single_line], max_length=50, blank=True)
    stage = models.CharField(_("Stand"), max_length=30, choices=Stage.choices, default=Stage.INTEREST, db_index=True)
    stage_changed_at = models.DateTimeField(_("Stand seit"), default=timezone.now)
    created_at = models.DateTimeField(_("Angelegt am"), default=timezone.now)
    # Partnership
    partner_since = models.DateField(_("Klimapartner seit"), null=True, blank=True, db_index=True)
    next_deadline = models.DateField(_("Nächste Frist"), null=True, blank=True, db_index=True)
    next_deadline_kind = models.CharField(_("Art der nächsten Frist"), max_length=30, choices=Deadline.choices,
                                          blank=True)
    # Public profile (shown only while active and consenting)
    listing_consent = models.BooleanField(
        _("Im öffentlichen Verzeichnis zeigen"), default=False,
        help_text=_("Als aktiver Klimapartner erscheinen Sie mit Name, Logo, Beschreibung, Website und Zielen im "
                    "öffentlichen Verzeichnis. Sie können die Einwilligung jederzeit widerrufen."))
    logo = models.FileField(_("Logo"), upload_to=logo_path, blank=True, validators=[validate_logo],
                            help_text=_("PNG, JPEG oder WebP, höchstens 2 MB."))
    description = models.TextField(_("Beschreibung"), blank=True, max_length=2000)
    latitude = models.DecimalField(_("Breitengrad"), max_digits=8, decimal_places=5, null=True, blank=True,
                                   validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))])
    longitude = models.DecimalField(_("Längengrad"), max_digits=8, decimal_places=5, null=True, blank=True,
                                    validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))])
    show_location = models.BooleanField(_("Standort auf der Karte zeigen"), default=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        indexes = [models.Index(fields=["stage", "listing_consent", "name"], name="org_directory"),
                   # the pipeline's first page in its order (name, pk): 50 rows read from the index
                   # instead of a sort of every organisation with its subqueries (issue 18, xl
                   # bench: 55 ms -> 0.1 ms with 20,000 organisations)
                   models.Index(fields=["name", "id"], name="org_by_name")]

    def __str__(self):
        return self.name

    @property
    def is_listed(self) -> bool:
        return self.stage == self.Stage.ACTIVE and self.listing_consent

    @property
    def size_class(self) -> str:
        return size_class_of(self.employees)

    @property
    def address(self) -> str:
        return ", ".join(p for p in [self.street, f"{self.postal_code} {self.city}".strip()] if p)


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Verwaltung")
        MEMBER = "member", _("Mitglied")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("Rolle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")]
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"


def _token() -> str:
    return secrets.token_urlsafe(32)


def _expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An organisation admin invites a colleague by e-mail; valid for 14 days, used once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("E-Mail-Adresse"))
    role = models.CharField(_("Rolle"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class StageChange(models.Model):
    """One step of an organisation on its way: the history stays when a partnership ends."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("Von"), max_length=30, choices=Organisation.Stage.choices, blank=True)
    to_stage = models.CharField(_("Nach"), max_length=30, choices=Organisation.Stage.choices)
    reason = models.TextField(_("Begründung"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Wechsel des Stands")
        verbose_name_plural = _("Wechsel des Stands")

    def __str__(self):
        return f"{self.organisation}: {self.from_stage} → {self.to_stage}"


class OrientationTalk(models.Model):
    """The non-binding orientation talk with the pact office. Notes are for staff only.
    The office proposes the date; the organisation accepts or declines it (with a message)."""

    class Answer(models.TextChoices):
        PROPOSED = "proposed", _("Noch offen")
        ACCEPTED = "accepted", _("Zugesagt")
        DECLINED = "declined", _("Abgelehnt")

    ANSWER_MESSAGE_MAX = 2000

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="talks")
    scheduled_for = models.DateTimeField(_("Termin"))
    location = models.CharField(_("Ort oder Videokonferenz"), validators=[single_line], max_length=200, blank=True)
    participants = models.TextField(_("Teilnehmende"), blank=True)
    notes = models.TextField(_("Notizen (nur für die Geschäftsstelle)"), blank=True)
    held_on = models.DateField(_("Geführt am"), null=True, blank=True)
    answer = models.CharField(_("Antwort der Organisation"), max_length=10, choices=Answer.choices,
                              default=Answer.PROPOSED)
    answer_message = models.TextField(_("Nachricht der Organisation"), blank=True, max_length=ANSWER_MESSAGE_MAX)
    answered_at = models.DateTimeField(_("Beantwortet am"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("Beantwortet von"))
    # When the office proposed the current date (set by `talk_plan`); empty for talks recorded
    # afterwards and for those proposed before this field existed.
    proposed_at = models.DateTimeField(_("Termin vorgeschlagen am"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-scheduled_for", "-pk"]
        verbose_name = _("Orientierungsgespräch")
        verbose_name_plural = _("Orientierungsgespräche")

    def __str__(self):
        return f"{self.organisation}: {self.scheduled_for:%Y-%m-%d}"

    @property
    def is_answered(self) -> bool:
        return self.answer != self.Answer.PROPOSED

    @property
    def can_be_answered(self) -> bool:
        """The organisation may accept or decline while the talk is open and its date has not passed."""
        return self.held_on is None and self.scheduled_for >= timezone.now()


class TalkReminder(models.Model):
    """One step of the follow-up on an unanswered talk proposal: the reminder to the organisation
    or the organisation's line in the pact office's summary. The row is inserted before the mail
    is queued; the unique constraint makes sending idempotent, also with two runs at once. The
    proposed date is part of the key: a new date is a new proposal and is followed up again."""

    class Step(models.TextChoices):
        ORGANISATION = "organisation", _("Erinnerung an die Organisation")
        OFFICE = "office", _("Hinweis an die Geschäftsstelle")

    talk = models.ForeignKey(OrientationTalk, on_delete=models.CASCADE, related_name="reminders")
    step = models.CharField(max_length=20, choices=Step.choices)
    scheduled_for = models.DateTimeField(_("Vorgeschlagener Termin"))
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["talk", "step", "scheduled_for"],
                                               name="partners_talk_reminder_once")]
        verbose_name = _("Erinnerung an einen Gesprächstermin")
        verbose_name_plural = _("Erinnerungen an Gesprächstermine")

    def __str__(self):
        return f"{self.talk_id} {self.step} {self.scheduled_for:%Y-%m-%d}"


class AgreementVersion(models.Model):
    """A version of the Klimapartnerschaftsvereinbarung, maintained by the pact office.
    The valid one is the newest whose `valid_from` has come. Signed versions never change."""

    pact = models.ForeignKey("core.Pact", on_delete=models.CASCADE, related_name="agreement_versions")
    label = models.CharField(_("Bezeichnung der Fassung"), max_length=50,
                             help_text=_("Zum Beispiel „Fassung 2024-1“."))
    title_de = models.CharField(_("Titel (deutsch)"), max_length=200, default="Klimapartnerschaftsvereinbarung")
    title_en = models.CharField(_("Titel (englisch)"), max_length=200, blank=True,
                                default="Climate partnership agreement")
    text_de = models.TextField(_("Text (deutsch, Markdown)"))
    text_en = models.TextField(_("Text (englisch, Markdown)"), blank=True)
    valid_from = models.DateField(_("Gültig ab"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-valid_from", "-pk"]
        constraints = [models.UniqueConstraint(fields=["pact", "label"], name="agreement_version_unique_label")]
        verbose_name = _("Fassung der Vereinbarung")
        verbose_name_plural = _("Fassungen der Vereinbarung")

    def __str__(self):
        return f"{self.title_de} ({self.label})"

    title = Translated("title")
    text = Translated("text")


class Agreement(models.Model):
    """The Klimapartnerschaftsvereinbarung of one organisation: filled in online, submitted,
    counter-signed by the pact office. It always points to the version it signed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        SUBMITTED = "submitted", _("Eingereicht")
        CHANGES_REQUESTED = "changes_requested", _("Änderungen erbeten")
        COUNTERSIGNED = "countersigned", _("Gegengezeichnet")
        ENDED = "ended", _("Beendet")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="agreements")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="agreements",
                                verbose_name=_("Fassung"))
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    signatory_name = models.CharField(_("Name der unterzeichnenden Person"), validators=[single_line], max_length=200, blank=True)
    signatory_role = models.CharField(_("Funktion der unterzeichnenden Person"), validators=[single_line], max_length=200, blank=True)
    accepts_obligations = models.BooleanField(_("Pflichten anerkannt"), default=False)
    consents_publication = models.BooleanField(_("Einwilligung in die Veröffentlichung"), default=False)
    submitted_at = models.DateTimeField(_("Eingereicht am"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    review_comment = models.TextField(_("Anmerkung der Geschäftsstelle"), blank=True)
    countersigned_on = models.DateField(_("Gegengezeichnet am"), null=True, blank=True)
    countersigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    # Who signed for the pact, as the PDF prints it (the account may be deleted later).
    countersigned_by_name = models.CharField(_("Name der gegenzeichnenden Person"), validators=[single_line],
                                             max_length=200, blank=True)
    countersigned_by_role = models.CharField(_("Funktion der gegenzeichnenden Person"), validators=[single_line],
                                             max_length=200, blank=True)
    ended_on = models.DateField(_("Beendet am"), null=True, blank=True)
    # The document of record: what the agreement said on the day of counter-signature (text
    # version, parties, signatories, targets), as plain JSON (`selectors.agreement_snapshot`).
    # Set once by `agreement_countersign`; the PDF and the portal render a signed agreement from
    # it. Empty while the agreement is a draft or under review: then they show live data.
    snapshot = models.JSONField(_("Stand bei der Gegenzeichnung"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Klimapartnerschaftsvereinbarung")
        verbose_name_plural = _("Klimapartnerschaftsvereinbarungen")

    def __str__(self):
        return f"{self.organisation} ({self.version.label})"

    def save(self, *args, **kwargs):
        # Once taken, the snapshot never changes (the status may still move on, e.g. to ended).
        stored = getattr(self, "_stored_snapshot", None)
        if stored is not None and self.snapshot != stored:
            raise ValidationError(_("Der Stand einer gegengezeichneten Vereinbarung kann nicht geändert werden."))
        super().save(*args, **kwargs)
        if kwargs.get("update_fields") is None or "snapshot" in kwargs["update_fields"]:
            self._stored_snapshot = copy.deepcopy(self.snapshot)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_snapshot = copy.deepcopy(instance.__dict__.get("snapshot"))
        return instance

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED)

    @property
    def signed_on(self) -> datetime.date | None:
        """The agreement is in force from the counter-signature."""
        return self.countersigned_on


class TargetQuerySet(models.QuerySet):
    def current(self) -> TargetQuerySet:
        """The targets in force: not replaced by a later version, by target year."""
        return self.filter(archived_at__isnull=True).order_by("target_year", "pk")


class Target(models.Model):
    """A voluntary reduction target. Before signing it is edited in place; after signing a
    change creates a new version and archives the old one (kept visible to staff)."""

    class Scopes(models.TextChoices):
        S1 = "1", _("Scope 1")
        S2 = "2", _("Scope 2")
        S12 = "1+2", _("Scope 1 und 2")
        S123 = "1+2+3", _("Scope 1, 2 und 3")

    MAX_TARGET_YEAR = 2045

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="targets")
    base_year = models.PositiveSmallIntegerField(_("Basisjahr"), validators=[MinValueValidator(1990)])
    target_year = models.PositiveSmallIntegerField(_("Zieljahr"), validators=[MaxValueValidator(MAX_TARGET_YEAR)])
    reduction_percent = models.DecimalField(_("Minderung in Prozent"), max_digits=5, decimal_places=2, null=True,
                                            blank=True, help_text=_("Bezogen auf die Emissionen des Basisjahres."))
    reduction_t_co2e = models.DecimalField(_("Minderung in Tonnen CO₂e"), max_digits=12, decimal_places=2,
                                           null=True, blank=True)
    scopes = models.CharField(_("Bereiche (Scopes)"), max_length=5, choices=Scopes.choices, default=Scopes.S12)
    neutral_by = models.PositiveSmallIntegerField(_("Klimaneutral bis (Jahr)"), null=True, blank=True,
                                                  validators=[MaxValueValidator(2100)])
    comment = models.TextField(_("Anmerkung"), blank=True, max_length=2000)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="next_version", verbose_name=_("Vorherige Fassung"))
    version = models.PositiveSmallIntegerField(_("Fassung"), default=1)
    signed = models.BooleanField(_("Mit der Vereinbarung unterzeichnet"), default=False)
    archived_at = models.DateTimeField(_("Ersetzt am"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["target_year", "pk"]
        verbose_name = _("Reduktionsziel")
        verbose_name_plural = _("Reduktionsziele")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(reduction_percent__isnull=False, reduction_t_co2e__isnull=True)
                           | models.Q(reduction_percent__isnull=True, reduction_t_co2e__isnull=False)),
                name="target_percent_xor_tonnes"),
            models.CheckConstraint(condition=models.Q(target_year__gt=models.F("base_year")),
                                   name="target_year_after_base_year"),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.base_year}→{self.target_year}"

    @property
    def is_current(self) -> bool:
        return self.archived_at is None

    def clean(self):
        errors = {}
        this_year = timezone.localdate().year
        if self.base_year is not None and self.base_year > this_year:
            errors["base_year"] = _("Das Basisjahr darf nicht in der Zukunft liegen.")
        if self.base_year is not None and self.target_year is not None and self.target_year <= self.base_year:
            errors["target_year"] = _("Das Zieljahr muss nach dem Basisjahr liegen.")
        if self.target_year is not None and self.target_year > self.MAX_TARGET_YEAR:
            errors["target_year"] = _("Das Zieljahr darf höchstens %(year)s sein.") % {"year": self.MAX_TARGET_YEAR}
        has_pct, has_t = self.reduction_percent is not None, self.reduction_t_co2e is not None
        if has_pct == has_t:
            errors["reduction_percent"] = _("Geben Sie die Minderung entweder in Prozent oder in Tonnen CO₂e an.")
        if has_pct and not (Decimal(0) < self.reduction_percent <= Decimal(100)):
            errors["reduction_percent"] = _("Die Minderung in Prozent muss größer als 0 und höchstens 100 sein.")
        if has_t and self.reduction_t_co2e <= 0:
            errors["reduction_t_co2e"] = _("Die Minderung in Tonnen muss größer als 0 sein.")
        if self.neutral_by is not None and self.base_year is not None and self.neutral_by <= self.base_year:
            errors["neutral_by"] = _("Das Jahr der Klimaneutralität muss nach dem Basisjahr liegen.")
        if errors:
            raise ValidationError(errors)


class OrganisationNote(models.Model):
    """A note of the pact office about an organisation. Never shown to the organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("Notiz"), max_length=5000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Notiz")
        verbose_name_plural = _("Notizen")

    def __str__(self):
        return f"{self.organisation}: {self.text[:40]}"


class OrganisationDocument(models.Model):
    """A private PDF about an organisation (signed scan, minutes, ...). Served only through
    a view that checks permission; shared with the organisation only when marked so."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("Titel"), validators=[single_line], max_length=200)
    file = models.FileField(_("PDF-Datei"), upload_to=document_path, validators=[validate_pdf])
    shared_with_organisation = models.BooleanField(
        _("Für die Organisation sichtbar"), default=False,
        help_text=_("Sonst sieht nur die Geschäftsstelle das Dokument."))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Dokument der Organisation")
        verbose_name_plural = _("Dokumente der Organisationen")

    def __str__(self):
        return self.title
