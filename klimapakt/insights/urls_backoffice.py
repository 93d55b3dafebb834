from django.urls import path

from . import backoffice

app_name = "insights_office"
urlpatterns = [
    path("", backoffice.dashboard, name="dashboard"),
    path("organisationen/", backoffice.organisations, name="organisations"),
    path("bilanzjahr-abschliessen/", backoffice.close_year, name="close_year"),
]
