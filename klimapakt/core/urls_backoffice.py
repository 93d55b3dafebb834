"""The back office under /geschaeftsstelle/, namespace "backoffice": core's pages and the
pages apps registered for this namespace (core.registry.register_backoffice_urls)."""

from django.urls import include, path

from . import backoffice as views
from .markdown_preview import markdown_preview
from .registry import backoffice_urls

app_name = "backoffice"
urlpatterns = [
    path("", views.start, name="start"),
    path("pakt/", views.pact_settings, name="pact"),
    path("pakt/initialpartner/neu/", views.initial_partner_edit, name="initial_partner_create"),
    path("pakt/initialpartner/<int:pk>/", views.initial_partner_edit, name="initial_partner_edit"),
    path("seiten/", views.pages, name="pages"),
    path("pakt/gestaltung/", views.branding, name="branding"),
    path("seiten/neu/", views.page_create, name="page_create"),
    path("seiten/<slug:slug>/", views.page_edit, name="page_edit"),
    path("seiten/<slug:slug>/loeschen/", views.page_delete, name="page_delete"),
    path("dokumente/", views.documents, name="documents"),
    path("dokumente/neu/", views.document_edit, name="document_create"),
    path("dokumente/<int:pk>/", views.document_edit, name="document_edit"),
    path("dokumente/<int:pk>/loeschen/", views.document_delete, name="document_delete"),
    path("markdown-vorschau/", markdown_preview, name="markdown_preview"),
    path("protokoll/", views.audit, name="audit"),
    path("hintergrundaufgaben/", views.tasks, name="tasks"),
    path("hintergrundaufgaben/mail/<int:pk>/erneut/", views.mail_retry, name="mail_retry"),
    path("hintergrundaufgaben/aufgabe/<uuid:pk>/erneut/", views.task_retry, name="task_retry"),
    *[path("", include(module)) for module in backoffice_urls],
]
