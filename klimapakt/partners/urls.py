from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organisation/neu/", views.organisation_create, name="organisation_create"),
    path("organisation/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisation/<int:pk>/mitglieder/<int:membership_pk>/entfernen/", views.membership_remove,
         name="membership_remove"),
]
