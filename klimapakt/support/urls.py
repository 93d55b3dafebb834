from django.urls import path

from . import views_offers, views_requests

app_name = "support"
ORG = "mein-bereich/organisation/<int:pk>/unterstuetzung/"
urlpatterns = [
    # Public catalogue (views_offers)
    path("unterstuetzung/", views_offers.offers, name="offers"),
    path("unterstuetzung/angebote/<int:offer_pk>/", views_offers.offer, name="offer"),
    # The firm's requests (views_requests)
    path(ORG, views_requests.requests, name="requests"),
    path(ORG + "neu/", views_requests.request_create, name="request_create"),
    path(ORG + "<int:request_pk>/", views_requests.request_detail, name="request"),
    path(ORG + "<int:request_pk>/senden/", views_requests.request_send, name="request_send"),
    path(ORG + "<int:request_pk>/nachricht/", views_requests.message_post, name="message_post"),
    path(ORG + "<int:request_pk>/einsicht/", views_requests.grant, name="grant"),
    path(ORG + "<int:request_pk>/zurueckziehen/", views_requests.withdraw, name="withdraw"),
    path(ORG + "<int:request_pk>/dateien/<int:attachment_pk>/", views_requests.attachment, name="attachment"),
]
