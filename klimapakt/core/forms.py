from django import forms

from .models import Document, InitialPartner, Page, Pact


class PactForm(forms.ModelForm):
    class Meta:
        model = Pact
        fields = ["city", "name_de", "name_en", "decided_on", "target_year", "monitoring_interval_years",
                  "baseline_report_due_months", "first_monitoring_year", "contact_email", "contact_phone",
                  "office_name_de", "office_name_en", "postal_codes"]
        widgets = {"decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "postal_codes": forms.Textarea(attrs={"rows": 3})}


class InitialPartnerForm(forms.ModelForm):
    class Meta:
        model = InitialPartner
        fields = ["name", "short_name", "kind", "website", "position"]


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title_de", "title_en", "lead_de", "lead_en", "body_de", "body_en"]
        widgets = {"lead_de": forms.Textarea(attrs={"rows": 3}), "lead_en": forms.Textarea(attrs={"rows": 3}),
                   "body_de": forms.Textarea(attrs={"rows": 16}), "body_en": forms.Textarea(attrs={"rows": 16})}


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title_de", "title_en", "dated_on", "description_de", "description_en", "file", "is_public"]
        widgets = {"dated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "file": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
                   "description_de": forms.Textarea(attrs={"rows": 3}),
                   "description_en": forms.Textarea(attrs={"rows": 3})}
