from django.urls import path

from . import backoffice as views
from . import backoffice_checkin

app_name = "event_office"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("neu/", views.event_edit, name="create"),
    path("<int:pk>/", views.event_overview, name="overview"),
    path("<int:pk>/bearbeiten/", views.event_edit, name="edit"),
    path("<int:pk>/status/", views.event_status, name="status"),
    path("<int:pk>/duplizieren/", views.event_duplicate, name="duplicate"),
    path("<int:pk>/fragen/", views.questions, name="questions"),
    path("<int:pk>/fragen/<int:question_pk>/", views.question_edit, name="question_edit"),
    path("<int:pk>/fragen/<int:question_pk>/loeschen/", views.question_delete, name="question_delete"),
    path("<int:pk>/fragen/<int:question_pk>/verschieben/", views.question_move, name="question_move"),
    path("<int:pk>/anmeldungen/", views.registrations, name="registrations"),
    path("<int:pk>/anmeldungen/export.csv", views.export_csv, name="export_csv"),
    path("<int:pk>/anmeldungen/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/anmeldungen/<int:registration_pk>/", views.registration_detail, name="registration"),
    path("<int:pk>/anmeldungen/<int:registration_pk>/aktion/", views.registration_action, name="registration_action"),
    path("<int:pk>/teilnahmeliste.pdf", views.attendance_pdf, name="attendance_pdf"),
    path("<int:pk>/einlass/", views.check_in, name="check_in"),
    path("<int:pk>/einlass/code/", backoffice_checkin.check_in_scan, name="check_in_scan"),
    path("<int:pk>/einlass/<int:registration_pk>/", views.check_in_toggle, name="check_in_toggle"),
    path("<int:pk>/nachricht/", views.message, name="message"),
    path("<int:pk>/auswertung/", views.evaluation, name="evaluation"),
    path("<int:pk>/auswertung/export.csv", views.evaluation_csv, name="evaluation_csv"),
]
