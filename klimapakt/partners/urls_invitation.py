from django.urls import path

from . import views

app_name = "invitation"
urlpatterns = [path("<str:token>/", views.invitation_accept, name="accept")]
