from django.urls import path

from klimapakt.partners.urls_backoffice import urlpatterns as partner_patterns

from . import backoffice as views

app_name = "backoffice"
urlpatterns = [
    path("", views.start, name="start"),
    path("pakt/", views.pact_settings, name="pact"),
    path("pakt/initialpartner/neu/", views.initial_partner_edit, name="initial_partner_create"),
    path("pakt/initialpartner/<int:pk>/", views.initial_partner_edit, name="initial_partner_edit"),
    path("seiten/", views.pages, name="pages"),
    path("seiten/<slug:slug>/", views.page_edit, name="page_edit"),
    path("dokumente/", views.documents, name="documents"),
    path("dokumente/neu/", views.document_edit, name="document_create"),
    path("dokumente/<int:pk>/", views.document_edit, name="document_edit"),
    path("dokumente/<int:pk>/loeschen/", views.document_delete, name="document_delete"),
    path("protokoll/", views.audit, name="audit"),
] + partner_patterns
