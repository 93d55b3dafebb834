from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("dokumente/", views.documents, name="documents"),
    path("dokumente/<int:pk>/<str:filename>", views.document_download, name="document_download"),
    path("mein-bereich/meine-daten/", views.my_data, name="my_data"),
    path("kontakt/", views.page, {"slug": "kontakt"}, name="contact"),
    path("impressum/", views.page, {"slug": "impressum"}, name="imprint"),
    path("datenschutz/", views.page, {"slug": "datenschutz"}, name="privacy"),
]
