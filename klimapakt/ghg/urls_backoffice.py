from django.urls import path

from . import views

app_name = "ghg_office"
urlpatterns = [
    path("", views.factors, name="factors"),
    path("neu/", views.factor_create, name="factor_create"),
    path("<int:pk>/neue-ausgabe/", views.factor_edition, name="factor_edition"),
]
