import copy

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from klimapakt.core.fields import MAX_SEATS, MAX_SMALL, GroupedDecimalField, GroupedIntegerField, bound
from klimapakt.core.markdown_preview import mark_for_preview
from klimapakt.core.models import InitialPartner

from . import selectors, services
from .models import Event, Question, Registration

# A past workshop may be entered for the record; nobody can register for it (Event._closed_state).
PAST_EVENT_WARNING = _("Die Veranstaltung liegt in der Vergangenheit; es öffnet keine Anmeldung.")


def question_fields(questions, *, initial_answers=None) -> dict[str, forms.Field]:
    """One form field per question, named ``question_<id>``."""
    fields = {}
    initial_answers = initial_answers or {}
    for q in questions:
        common = {"label": q.label, "required": q.required, "help_text": q.help}
        answer = initial_answers.get(q.pk)
        initial = None
        if q.kind == Question.Kind.SHORT_TEXT:
            field = forms.CharField(max_length=200, **common)
            initial = answer.text if answer else None
        elif q.kind == Question.Kind.LONG_TEXT:
            field = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), **common)
            initial = answer.text if answer else None
        elif q.kind == Question.Kind.NUMBER:
            field = GroupedDecimalField(max_digits=14, decimal_places=2, **common)
            initial = answer.number if answer else None
        elif q.kind == Question.Kind.YES_NO:
            field = forms.ChoiceField(choices=[("yes", _("Ja")), ("no", _("Nein"))], widget=forms.RadioSelect,
                                      **common)
            initial = ("yes" if answer.boolean else "no") if answer and answer.boolean is not None else None
        elif q.kind == Question.Kind.SINGLE_CHOICE:
            field = forms.ChoiceField(choices=list(enumerate(q.choice_list())), widget=forms.RadioSelect, **common)
            initial = str(answer.choices[0]) if answer and answer.choices else None
        else:
            field = forms.MultipleChoiceField(choices=list(enumerate(q.choice_list())),
                                              widget=forms.CheckboxSelectMultiple, **common)
            initial = [str(i) for i in answer.choices] if answer else None
        if initial is not None:
            field.initial = initial
        fields[f"question_{q.pk}"] = field
    return fields


def answers_from(cleaned_data: dict, questions) -> dict[int, object]:
    answers = {}
    for q in questions:
        value = cleaned_data.get(f"question_{q.pk}")
        if value in (None, "", []):
            continue
        if q.kind == Question.Kind.SINGLE_CHOICE:
            value = int(value)
        elif q.kind == Question.Kind.MULTIPLE_CHOICE:
            value = [int(v) for v in value]
        answers[q.pk] = value
    return answers


class RegistrationForm(forms.Form):
    first_name = forms.CharField(label=_("Vorname"), max_length=150,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Nachname"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254,
                             help_text=_("An diese Adresse schicken wir die Bestätigung und Ihren persönlichen Link."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    organisation = forms.CharField(label=_("Organisation"), max_length=200,
                                   help_text=_("Unternehmen, Verein oder Einrichtung, für die Sie teilnehmen."),
                                   widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    phone = forms.CharField(label=_("Telefon"), max_length=50, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
    language = forms.ChoiceField(label=_("Sprache der E-Mails"), choices=settings.LANGUAGES)

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.fields.update(question_fields(self.questions))
        privacy_url = reverse("core:privacy")
        # The label stays plain text (the error summary links to the field with it); the link
        # to the privacy notice is in the hint.
        self.fields["privacy_consent"] = forms.BooleanField(
            label=_("Ich habe die Datenschutzhinweise gelesen und bin mit der Verarbeitung meiner Angaben für die "
                    "Organisation der Veranstaltung einverstanden."),
            error_messages={"required": _("Bitte bestätigen Sie, dass Sie die Datenschutzhinweise gelesen haben.")},
            # One sentence per language with the link in it ("Mehr dazu in den Datenschutzhinweisen."),
            # not a sentence fragment followed by the page's name.
            help_text=format_html(
                '{} {}',
                format_html(_("Mehr dazu in den {link}."), link=format_html(
                    '<a class="kern-link" href="{}" target="_blank" rel="noopener">{}</a>', privacy_url,
                    pgettext("link in „Mehr dazu in den …“", "Datenschutzhinweisen"))),
                ngettext("Ihre Angaben werden %(days)s Tag nach der Veranstaltung anonymisiert.",
                         "Ihre Angaben werden %(days)s Tage nach der Veranstaltung anonymisiert.",
                         settings.KLIMAPAKT_REGISTRATION_RETENTION_DAYS) % {
                    "days": settings.KLIMAPAKT_REGISTRATION_RETENTION_DAYS}))

        self.fields["privacy_consent"].summary_label = _("Einwilligung Datenschutz")

    def answers(self) -> dict:
        return answers_from(self.cleaned_data, self.questions)


class AnswersForm(forms.Form):
    def __init__(self, *args, questions=(), answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.fields.update(question_fields(self.questions, initial_answers=answers))

    def answers(self) -> dict:
        return answers_from(self.cleaned_data, self.questions)


def lines(text: str | None) -> list[str]:
    """The non-blank lines of a one-item-per-line field, stripped (agenda items, choices)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(forms.ModelForm):
    agenda_de = forms.CharField(label=_("Geplante Inhalte (deutsch)"), required=False, widget=forms.Textarea,
                                help_text=_("Ein Programmpunkt je Zeile, in der Reihenfolge des Ablaufs."))
    agenda_en = forms.CharField(label=_("Geplante Inhalte (englisch)"), required=False, widget=forms.Textarea,
                                help_text=_("Ein Programmpunkt je Zeile, in derselben Reihenfolge."))

    class Meta:
        model = Event
        fields = ["kind", "title_de", "title_en", "description_de", "description_en", "image", "image_alt",
                  "starts_at", "ends_at", "format", "venue_name", "venue_address", "meeting_url", "organisers",
                  "audience", "capacity", "per_organisation_limit", "registration_deadline"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput(), "registration_deadline": DateTimeInput(),
                   "organisers": forms.CheckboxSelectMultiple, "format": forms.RadioSelect,
                   "image": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
                   "meeting_url": forms.URLInput(attrs={"placeholder": "https://"})}
        field_classes = {"capacity": GroupedIntegerField, "per_organisation_limit": GroupedIntegerField}

    def __init__(self, *args, pact=None, may_choose_organisers=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_choose_organisers:
            # Only the pact office chooses organisers (services.event_create/event_update refuse
            # it for others): the field is shown, disabled, and what is posted for it is ignored.
            self.fields["organisers"].disabled = True
            self.fields["organisers"].help_text = _("Die Veranstalter legt die Geschäftsstelle fest.")
        for name in ("starts_at", "ends_at", "registration_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
        self.fields["organisers"].queryset = InitialPartner.objects.filter(pact=pact)
        if self.is_bound and "format" not in self.data:
            # Sent without the field (an older copy of this form): the event takes place in person.
            self.data = self.data.copy()
            self.data["format"] = Event.Format.IN_PERSON
        self.fields["format"].choices = Event.Format.choices
        self.fields["meeting_url"].assume_scheme = "https"
        self.fields["venue_address"].help_text = _("Bei einer Online-Veranstaltung leer lassen.")
        mark_for_preview(self, "description_de", "description_en")
        bound(self.fields["capacity"], MAX_SEATS)
        if self.instance.pk and self.instance.starts_at <= timezone.now():
            self.fields["starts_at"].help_text = PAST_EVENT_WARNING
        bound(self.fields["per_organisation_limit"], MAX_SMALL)
        registered = self.instance.seats_taken + self.instance.waitlist_length if self.instance.pk else 0
        if registered and selectors.notifies_time_or_place_changes(self.instance):
            # Who would get a mail (people registered without an address get none): one query.
            registered, confirmed = selectors.mail_recipients(self.instance)
            if registered:
                notice = ngettext(
                    "Wenn Sie Zeit oder Ort ändern, bekommt %(n)s angemeldete Person die neuen Angaben per E-Mail.",
                    "Wenn Sie Zeit oder Ort ändern, bekommen %(n)s angemeldete Personen die neuen Angaben per E-Mail.",
                    registered) % {"n": registered}
                for name in ("starts_at", "venue_name"):
                    self.fields[name].help_text = notice
            if confirmed:
                field = self.fields["meeting_url"]
                field.help_text = f"{field.help_text} " + ngettext(
                    "Einen neuen Zugangslink bekommt %(n)s bestätigte Person per E-Mail.",
                    "Einen neuen Zugangslink bekommen %(n)s bestätigte Personen per E-Mail.", confirmed) % {"n": confirmed}
        if self.instance.pk:
            items = list(self.instance.agenda_items.all())
            self.fields["agenda_de"].initial = "\n".join(i.title_de for i in items)
            self.fields["agenda_en"].initial = "\n".join(i.title_en for i in items)

    def clean(self):
        data = super().clean()
        # The services own the rules of an event (the end after the start, the deadline) and
        # name the field of each error. Asking them here, before Django's own model checks,
        # puts every such error on its field, next to all other errors, on the first submit
        # (Django would show the end-after-start constraint only above the form).
        deadline, old = data.get("registration_deadline"), self.instance.registration_deadline
        if deadline and deadline < timezone.now() and (
                old is None or deadline.replace(second=0, microsecond=0) != old.replace(second=0, microsecond=0)):
            # Only a deadline set now (the field has minutes): an old event keeps its old deadline.
            self.add_error("registration_deadline", _("Der Anmeldeschluss liegt in der Vergangenheit."))
        candidate = construct_instance(self, copy.copy(self.instance), self._meta.fields)
        try:
            services.event_check(candidate)
        except ValidationError as error:
            for field, messages in getattr(error, "error_dict", {}).items():
                if field in self.fields and field not in self._errors:
                    self.add_error(field, messages)
        return data

    def clean_agenda_en(self):
        # Item i in English translates item i in German: a different number of items would
        # pair them up wrongly, so the organiser is asked rather than the lists being mixed.
        de, en = lines(self.cleaned_data.get("agenda_de")), lines(self.cleaned_data.get("agenda_en"))
        if en and len(en) != len(de):
            raise forms.ValidationError(ngettext(
                "Die deutsche Fassung hat %(n)s Programmpunkt. Geben Sie auf Englisch genauso viele an, je Zeile "
                "einen und in derselben Reihenfolge, oder lassen Sie das Feld leer.",
                "Die deutsche Fassung hat %(n)s Programmpunkte. Geben Sie auf Englisch genauso viele an, je Zeile "
                "einen und in derselben Reihenfolge, oder lassen Sie das Feld leer.", len(de)) % {"n": len(de)})
        return self.cleaned_data.get("agenda_en", "")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["agenda_de"] = lines(data.get("agenda_de"))
        data["agenda_en"] = lines(data.get("agenda_en"))
        if self.fields["organisers"].disabled:
            data.pop("organisers", None)  # unchanged on update; the advisor's own institution on create
        else:
            data["organisers"] = list(data.get("organisers") or [])
        return data


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["kind", "label_de", "label_en", "help_de", "help_en", "choices_de", "choices_en", "required",
                  "role"]
        widgets = {"choices_de": forms.Textarea(attrs={"rows": 4}), "choices_en": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        # Answers are stored as indices: the English choice i must be the German choice i.
        de, en = lines(data.get("choices_de")), lines(data.get("choices_en"))
        if data.get("kind") in Question.CHOICE_KINDS and en and len(en) != len(de) and "choices_en" not in self.errors:
            self.add_error("choices_en", ngettext(
                "Die deutsche Fassung hat %(n)s Auswahlmöglichkeit. Geben Sie auf Englisch genauso viele an, je Zeile "
                "eine und in derselben Reihenfolge, oder lassen Sie das Feld leer.",
                "Die deutsche Fassung hat %(n)s Auswahlmöglichkeiten. Geben Sie auf Englisch genauso viele an, je "
                "Zeile eine und in derselben Reihenfolge, oder lassen Sie das Feld leer.", len(de)) % {"n": len(de)})
        return data


class ActionMessageForm(forms.Form):
    message = forms.CharField(label=_("Nachricht an die Person"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class EventMessageForm(forms.Form):
    to_status = forms.ChoiceField(label=_("An"), widget=forms.RadioSelect, choices=[
        (Registration.Status.CONFIRMED, _("alle bestätigten Personen")),
        (Registration.Status.WAITLISTED, _("alle Personen auf der Warteliste"))])
    subject = forms.CharField(label=_("Betreff"), max_length=200)
    body = forms.CharField(label=_("Nachricht"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))


class CancelEventForm(forms.Form):
    message = forms.CharField(label=_("Nachricht an alle Angemeldeten"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
