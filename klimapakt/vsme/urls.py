from django.urls import path

from . import views

app_name = "vsme"
ORG = "mein-bereich/organisation/<int:pk>/co2-bilanz/"  # the balance's prefix (ghg/urls.py)
urlpatterns = [
    path(ORG + "<int:year>/vsme/", views.page, name="page"),
    path(ORG + "<int:year>/vsme.xlsx", views.download, {"fmt": "xlsx"}, name="xlsx"),
    path(ORG + "<int:year>/vsme.json", views.download, {"fmt": "json"}, name="json"),
]
