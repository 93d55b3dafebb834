from django.urls import path

from . import views_open_data as views

app_name = "open_data"

urlpatterns = [
    path("offene-daten/", views.page, name="page"),
    path("offene-daten/dcat.rdf", views.dcat_rdf, name="dcat_rdf"),
    path("offene-daten/dcat.jsonld", views.dcat_jsonld, name="dcat_jsonld"),
]
