"""Forms of reports and measures. Numbers accept German ("1.234,5") and plain ("1234.5") input."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from klimapakt.core.fields import MAX_SMALL, GroupedIntegerField, NumberInput, bound
from klimapakt.ghg.forms import localized_number

from .models import Measure, MeasureTemplate, Section, TargetProgress
from .services import Saving

SAVING_ROWS = 3


class NumberField(forms.CharField):
    def __init__(self, *args, places: int = 3, **kwargs):
        self.places = places
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", NumberInput())  # shows a stored figure in German ("17.000")
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in ("", None):
            return None
        if len(value) > 40:
            raise forms.ValidationError(_("Die Zahl ist zu lang."))
        text = str(localized_number(value)).replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(_("Bitte geben Sie eine Zahl ein, z. B. 1234,5.")) from None
        if not number.is_finite() or number < 0:
            raise forms.ValidationError(_("Bitte geben Sie eine Zahl größer oder gleich 0 ein."))
        if number >= Decimal(10) ** 12:
            raise forms.ValidationError(_("Die Zahl ist zu groß."))
        return number.quantize(Decimal(1).scaleb(-self.places))


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


class TemplateChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class TemplatePickForm(forms.Form):
    """Above the measure form, sent by GET: reloads the form prefilled from a catalogue entry
    (title, description, category, carrier). Works without JavaScript; htmx swaps the form."""

    vorlage = TemplateChoice(label=_("Vorlage aus dem Katalog"), required=False, empty_label=_("– keine –"),
                             queryset=MeasureTemplate.objects.filter(is_active=True))


class MeasureForm(forms.Form):
    # Which catalogue entry the measure started from (chosen with TemplatePickForm); any entry,
    # also one the office has since taken out of the catalogue.
    template = forms.ModelChoiceField(required=False, queryset=MeasureTemplate.objects.all(),
                                      widget=forms.HiddenInput)
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(label=_("Beschreibung"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label=_("Kategorie"), choices=Measure._meta.get_field("category").choices)
    scopes = forms.TypedMultipleChoiceField(label=_("Betroffene Scopes"), required=False, coerce=int,
                                            choices=[(1, _("Scope 1")), (2, _("Scope 2")), (3, _("Scope 3"))],
                                            widget=forms.CheckboxSelectMultiple)
    planned_start = forms.DateField(label=_("Geplanter Beginn"), required=False, widget=DateInput)
    planned_end = forms.DateField(label=_("Geplantes Ende"), required=False, widget=DateInput)
    status = forms.ChoiceField(label=_("Status"), choices=Measure.Status.choices)
    justification = forms.CharField(
        label=_("Begründung"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pflicht, wenn Sie eine Maßnahme verschieben oder verwerfen."))
    investment_eur = NumberField(label=_("Geschätzte Investition (Euro)"), places=2)
    expected_t_manual = NumberField(
        label=_("Erwartete Einsparung in t CO₂e pro Jahr (eigene Angabe)"),
        help_text=_("Nur für Einsparungen, die sich nicht aus einer Menge je Energieträger berechnen lassen "
                    "(z. B. Prozesse). Wird zu den berechneten Einsparungen addiert."))
    realised_t_manual = NumberField(label=_("Erreichte Einsparung in t CO₂e pro Jahr (eigene Angabe)"))
    is_public = forms.BooleanField(label=_("Diese Maßnahme darf öffentlich gezeigt werden"), required=False)

    def __init__(self, *args, carriers: list[tuple[str, str]], units: list[tuple[str, str]], **kwargs):
        """`carriers` and `units`: (value, label) of the carriers and units a saving may be given
        in (reports.units.saving_units); the service refuses a unit that does not fit the carrier."""
        super().__init__(*args, **kwargs)
        carrier_choices = [("", _("– Energieträger wählen –")), *carriers]
        unit_choices = [("", _("– Einheit wählen –")), *units]
        for i in range(1, SAVING_ROWS + 1):
            self.fields[f"carrier_{i}"] = forms.ChoiceField(
                label=_("Energieträger %(n)s") % {"n": i}, choices=carrier_choices, required=False)
            self.fields[f"unit_{i}"] = forms.ChoiceField(
                label=_("Einheit %(n)s") % {"n": i}, choices=unit_choices, required=False,
                help_text=_("Strom und Fernwärme in kWh, Erdgas in kWh (Brennwert) wie auf der Rechnung, "
                            "Diesel und Benzin in Litern."))
            self.fields[f"expected_quantity_{i}"] = NumberField(
                label=_("Erwartete Einsparung %(n)s (Menge pro Jahr)") % {"n": i}, places=1)
            self.fields[f"realised_quantity_{i}"] = NumberField(
                label=_("Erreichte Einsparung %(n)s (Menge pro Jahr)") % {"n": i}, places=1,
                help_text=_("Sobald die Maßnahme umgesetzt ist."))
        # The savings per carrier first; the own tonnes only for what a quantity cannot express
        self.order_fields([*[f for f in self.fields if f not in ("expected_t_manual", "realised_t_manual",
                                                                  "is_public")],
                           "expected_t_manual", "realised_t_manual", "is_public"])

    def clean(self):
        data = super().clean()
        if data.get("status") in Measure.NEEDS_JUSTIFICATION and not (data.get("justification") or "").strip():
            self.add_error("justification", _("Bitte begründen Sie, warum die Maßnahme verschoben oder verworfen wird."))
        for i in range(1, SAVING_ROWS + 1):
            has_quantity = data.get(f"expected_quantity_{i}") is not None \
                or data.get(f"realised_quantity_{i}") is not None
            if has_quantity and not data.get(f"carrier_{i}"):
                self.add_error(f"carrier_{i}", _("Bitte wählen Sie den Energieträger dieser Einsparung."))
            if has_quantity and not data.get(f"unit_{i}") and f"unit_{i}" not in self.errors:
                self.add_error(f"unit_{i}", _("Bitte wählen Sie die Einheit dieser Einsparung."))
        return data

    def savings(self) -> list[Saving]:
        """Every row, empty ones too: the service names a refused row's field by its position."""
        d = self.cleaned_data
        return [Saving(d.get(f"carrier_{i}") or "", d.get(f"expected_quantity_{i}"), d.get(f"realised_quantity_{i}"),
                       d.get(f"unit_{i}") or "") for i in range(1, SAVING_ROWS + 1)]

    def measure_fields(self) -> dict:
        d = self.cleaned_data
        return {k: d[k] for k in ("template", "title", "description", "category", "scopes", "planned_start",
                                  "planned_end", "status", "justification", "investment_eur", "expected_t_manual",
                                  "realised_t_manual", "is_public")}

    @staticmethod
    def initial_for(measure: Measure) -> dict:
        initial = {f: getattr(measure, f) for f in ("title", "description", "category", "scopes", "planned_start",
                                                    "planned_end", "status", "justification", "investment_eur",
                                                    "expected_t_manual", "realised_t_manual", "is_public")}
        initial["template"] = measure.template_id
        for i, s in enumerate(measure.savings.all(), start=1):
            initial |= {f"carrier_{i}": s.carrier, f"unit_{i}": s.unit, f"expected_quantity_{i}": s.expected_quantity,
                        f"realised_quantity_{i}": s.realised_quantity}
        return initial


class ReportForm(forms.Form):
    """Notes per section, the balance year (baseline only), and the progress of every target."""

    def __init__(self, *args, report, targets, balance_years: list[int], checks: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report, self.targets = report, targets
        if report.kind == "baseline":
            years = sorted(set(balance_years) | {report.balance_year}, reverse=True)
            self.fields["balance_year"] = forms.TypedChoiceField(
                label=_("Bilanzjahr (Basisjahr)"), coerce=int, choices=[(y, str(y)) for y in years],
                help_text=_("Das Jahr Ihrer Ausgangsbilanz; in der Regel das Basisjahr Ihrer Ziele."))
        hints = {
            Section.BALANCE: _("Was sollte die Geschäftsstelle zu Ihrer Bilanz wissen (Abgrenzung, Schätzungen)?"),
            Section.TARGETS: _("Erläuterungen zu Ihren Zielen."),
            Section.MEASURES: _("Erläuterungen zu Ihren Maßnahmen."),
            Section.GENERAL: _("Was Sie sonst mitteilen möchten."),
        }
        for value, label in Section.choices:
            self.fields[f"note_{value}"] = forms.CharField(
                label=_("Erläuterung: %(section)s") % {"section": label}, required=False, max_length=5000,
                help_text=hints[value], widget=forms.Textarea(attrs={"rows": 3}))
        if report.kind != "baseline":
            for t in targets:
                check = (checks or {}).get(t.pk)
                self.fields[f"progress_{t.pk}_status"] = forms.ChoiceField(
                    label=_("Stand des Ziels %(base)s → %(target)s") % {"base": t.base_year, "target": t.target_year},
                    choices=[("", _("– bitte wählen –")), *TargetProgress.Status.choices], required=False,
                    help_text=(_("Nach Ihrer Bilanz %(year)s: %(statement)s") % {
                        "year": check.latest_year, "statement": check.statement}) if check else "")
                self.fields[f"progress_{t.pk}_justification"] = forms.CharField(
                    label=_("Begründung zum Ziel %(base)s → %(target)s") % {"base": t.base_year,
                                                                            "target": t.target_year},
                    required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_("Pflicht, wenn Sie im Rückstand sind."))

    def clean(self):
        data = super().clean()
        for t in self.targets:
            status = data.get(f"progress_{t.pk}_status")
            if status == TargetProgress.Status.BEHIND and not (data.get(f"progress_{t.pk}_justification") or "").strip():
                self.add_error(f"progress_{t.pk}_justification",
                               _("Bitte begründen Sie, warum Sie bei diesem Ziel im Rückstand sind."))
        return data

    def notes(self) -> dict:
        return {value: self.cleaned_data.get(f"note_{value}", "") for value in Section.values}

    def progress(self) -> dict:
        out = {}
        for t in self.targets:
            status = self.cleaned_data.get(f"progress_{t.pk}_status")
            if status:
                out[t.pk] = (status, self.cleaned_data.get(f"progress_{t.pk}_justification", ""))
        return out

    @staticmethod
    def initial_for(report, progress: dict) -> dict:
        initial = {f"note_{k}": v for k, v in (report.notes or {}).items()}
        initial["balance_year"] = report.balance_year
        for target_id, p in progress.items():
            initial[f"progress_{target_id}_status"] = p.status
            initial[f"progress_{target_id}_justification"] = p.justification
        return initial


class ReturnForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Section.choices:
            self.fields[f"comment_{value}"] = forms.CharField(
                label=_("Anmerkung: %(section)s") % {"section": label}, required=False, max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if not any((data.get(f"comment_{v}") or "").strip() for v in Section.values):
            raise forms.ValidationError(_("Schreiben Sie mindestens zu einem Abschnitt, was geändert werden soll."))
        return data

    def comments(self) -> dict:
        return {v: self.cleaned_data.get(f"comment_{v}", "") for v in Section.values}


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Was soll korrigiert werden?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Die Organisation erhält Ihre Begründung per E-Mail und sieht sie beim Bericht. Die Bilanz wird "
                    "dafür wieder geöffnet; die angenommene Fassung bleibt erhalten."),
        error_messages={"required": _("Bitte schreiben Sie, was korrigiert werden soll.")})


class ConsentForm(forms.Form):
    publish_figures = forms.BooleanField(
        label=_("Unsere berichteten Zahlen dürfen veröffentlicht werden"), required=False,
        help_text=_("Angenommene Berichte erscheinen dann mit Emissionen je Scope und dem Anteil umgesetzter "
                    "Maßnahmen auf Ihrer öffentlichen Seite und in den offenen Daten. Sie können die "
                    "Einwilligung jederzeit widerrufen."))


class MeasureTemplateForm(forms.ModelForm):
    class Meta:
        model = MeasureTemplate
        fields = ["title_de", "title_en", "description_de", "description_en", "category", "carrier", "is_active",
                  "position"]
        field_classes = {"position": GroupedIntegerField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound(self.fields["position"], MAX_SMALL)
