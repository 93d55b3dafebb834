"""Workshops and network meetings of the pact. (Registrations, waitlist and questionnaires
are added by the events issue.)"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from klimapakt.core.models import Translated


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
    capacity = models.PositiveIntegerField(_("Plätze"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")

    def __str__(self):
        return self.title_de
