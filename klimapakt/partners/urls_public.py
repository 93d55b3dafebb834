from django.urls import path

from . import public

app_name = "partners"
urlpatterns = [
    path("klimapartner-werden/", public.join, name="join"),
    path("klimapartner/", public.directory_list, name="directory"),
    path("klimapartner/karte/", public.partner_map, name="map"),
    path("klimapartner/<int:pk>/", public.partner_detail, name="detail"),
    path("klimapartner/<int:pk>/siegel.<str:fmt>", public.badge_public, name="badge_public"),
]
