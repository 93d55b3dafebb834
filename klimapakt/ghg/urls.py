from django.urls import path

from . import views

app_name = "ghg"
ORG = "mein-bereich/organisation/<int:pk>/co2-bilanz/"
urlpatterns = [
    path("wie-wir-rechnen/", views.method, name="method"),
    path("co2-rechner/", views.calculator, name="calculator"),
    path(ORG, views.balance_overview, name="overview"),
    path(ORG + "<int:year>/", views.balance_year, name="balance_year"),
    path(ORG + "<int:year>/erfassen/", views.entry, name="entry"),
    path(ORG + "<int:year>/zeile/neu/", views.activity_add, name="activity_add"),
    path(ORG + "<int:year>/kennzahlen/", views.key_figures, name="key_figures"),
    path(ORG + "<int:year>/bilanz.pdf", views.balance_download, {"fmt": "pdf"}, name="balance_pdf"),
    path(ORG + "<int:year>/bilanz.xlsx", views.balance_download, {"fmt": "xlsx"}, name="balance_xlsx"),
    path(ORG + "zeile/<int:activity_pk>/bearbeiten/", views.activity_edit, name="activity_edit"),
    path(ORG + "zeile/<int:activity_pk>/loeschen/", views.activity_delete, name="activity_delete"),
    path(ORG + "zeile/<int:activity_pk>/beleg/", views.attachment, name="attachment"),
    path(ORG + "vorlage.xlsx", views.template_download, {"fmt": "xlsx"}, name="template_xlsx"),
    path(ORG + "vorlage.csv", views.template_download, {"fmt": "csv"}, name="template_csv"),
    path(ORG + "import/", views.import_upload, name="import"),
    path(ORG + "import/<int:job_pk>/", views.import_job, name="import_job"),
    path(ORG + "import/<int:job_pk>/erneut/", views.import_retry, name="import_retry"),
]
