"""The pages the office adds, at ``/<slug>/``: included last in the URLconf (config/urls.py), so
every address of the platform is matched first (core.pages keeps slugs off them)."""

from django.urls import path

from . import views

app_name = "pages"
urlpatterns = [
    path("<slug:slug>/", views.custom_page, name="custom"),
]
