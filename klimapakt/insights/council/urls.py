"""The council report's pages in the back office (namespace "backoffice", mounted through
core.registry.register_backoffice_urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("sachstandsberichte/", views.report_list, name="council_reports"),
    path("sachstandsberichte/<int:pk>/", views.report_edit, name="council_report"),
    path("sachstandsberichte/<int:pk>/erstellen/", views.export_create, name="council_export_create"),
    path("sachstandsberichte/<int:report_pk>/fassungen/<int:pk>/", views.export_detail, name="council_export"),
    path("sachstandsberichte/<int:report_pk>/fassungen/<int:pk>/erneut/", views.export_retry,
         name="council_export_retry"),
    path("sachstandsberichte/<int:report_pk>/fassungen/<int:pk>/bericht.pdf", views.export_download,
         {"kind": "pdf"}, name="council_export_pdf"),
    path("sachstandsberichte/<int:report_pk>/fassungen/<int:pk>/tabellen.xlsx", views.export_download,
         {"kind": "xlsx"}, name="council_export_xlsx"),
]
