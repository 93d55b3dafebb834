from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("kalender.ics", views.feed, name="feed"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/anmelden/", views.register, name="register"),
    path("<int:pk>/termin.ics", views.event_ical, name="ical"),
    path("anmeldung/<str:token>/", views.registration_detail, name="registration"),
    path("anmeldung/<str:token>/stornieren/", views.registration_cancel, name="registration_cancel"),
    path("anmeldung/<str:token>/loeschen/", views.registration_delete, name="registration_delete"),
]
