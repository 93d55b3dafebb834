"""Back-office routes of the partnership; included into the "backoffice" namespace by
klimapakt/core/urls_backoffice.py (so the URL names stay backoffice:organisations etc.)."""

from django.urls import path

from . import backoffice as views

urlpatterns = [
    path("organisationen/", views.organisations, name="organisations"),
    path("organisationen/export.<str:fmt>", views.organisations_export, name="organisations_export"),
    path("organisationen/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisationen/<int:pk>/gespraech/", views.talk_plan, name="talk_plan"),
    path("organisationen/<int:pk>/gespraech/gefuehrt/", views.talk_held, name="talk_held"),
    path("organisationen/<int:pk>/vereinbarung/aenderungen/", views.agreement_request_changes,
         name="agreement_request_changes"),
    path("organisationen/<int:pk>/vereinbarung/gegenzeichnen/", views.agreement_countersign,
         name="agreement_countersign"),
    path("organisationen/<int:pk>/pausieren/", views.partnership_pause, name="partnership_pause"),
    path("organisationen/<int:pk>/fortsetzen/", views.partnership_resume, name="partnership_resume"),
    path("organisationen/<int:pk>/beenden/", views.partnership_end, name="partnership_end"),
    path("organisationen/<int:pk>/notiz/", views.note_add, name="organisation_note"),
    path("organisationen/<int:pk>/dokument/", views.document_add, name="organisation_document_add"),
    path("organisationen/<int:pk>/dokument/<int:document_pk>/loeschen/", views.document_delete,
         name="organisation_document_delete"),
    path("organisationen/<int:pk>/loeschen/", views.organisation_delete, name="organisation_delete"),
    path("organisationen/<int:pk>/anonymisieren/", views.organisation_anonymise, name="organisation_anonymise"),
    path("vereinbarung/", views.agreement_versions, name="agreement_versions"),
    path("vereinbarung/neu/", views.agreement_version_edit, name="agreement_version_create"),
    path("vereinbarung/<int:pk>/", views.agreement_version_edit, name="agreement_version_edit"),
]
