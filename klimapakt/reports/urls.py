from django.urls import path

from . import views

app_name = "reports"
ORG = "mein-bereich/organisation/<int:pk>/"
urlpatterns = [
    path(ORG + "berichte/", views.dashboard, name="dashboard"),
    path(ORG + "berichte/beginnen/", views.report_start, name="report_start"),
    path(ORG + "berichte/veroeffentlichung/", views.consent, name="consent"),
    path(ORG + "berichte/<int:report_pk>/", views.report_detail, name="report"),
    path(ORG + "berichte/<int:report_pk>/einreichen/", views.report_submit, name="report_submit"),
    path(ORG + "berichte/<int:report_pk>/bericht.pdf", views.report_download, name="report_pdf"),
    path(ORG + "massnahmen/", views.measures, name="measures"),
    path(ORG + "massnahmen/neu/", views.measure_edit, name="measure_create"),
    path(ORG + "massnahmen/<int:measure_pk>/", views.measure_edit, name="measure_edit"),
    path(ORG + "massnahmen/<int:measure_pk>/loeschen/", views.measure_delete, name="measure_delete"),
]
