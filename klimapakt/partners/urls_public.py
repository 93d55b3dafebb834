from django.urls import path

from . import public

app_name = "partners"
urlpatterns = [
    path("", public.directory_list, name="directory"),
    path("karte/", public.partner_map, name="map"),
    path("<int:pk>/", public.partner_detail, name="detail"),
    path("<int:pk>/siegel.<str:fmt>", public.badge_public, name="badge_public"),
]
