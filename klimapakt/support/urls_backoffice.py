from django.urls import path

from . import backoffice_offers, backoffice_requests, backoffice_settings

app_name = "support_office"
urlpatterns = [
    # The advisor's and the office's inbox and a request (backoffice_requests)
    path("", backoffice_requests.inbox, name="inbox"),
    path("anfragen/<int:request_pk>/", backoffice_requests.request_detail, name="request"),
    path("anfragen/<int:request_pk>/<str:action>/", backoffice_requests.request_action, name="request_action"),
    path("anfragen/<int:request_pk>/nachricht/senden/", backoffice_requests.message_post, name="message_post"),
    path("anfragen/<int:request_pk>/notiz/hinzufuegen/", backoffice_requests.note_add, name="note_add"),
    path("anfragen/<int:request_pk>/daten/ansehen/", backoffice_requests.granted_data, name="granted_data"),
    path("anfragen/<int:request_pk>/dateien/<int:attachment_pk>/", backoffice_requests.attachment,
         name="attachment"),
    path("unternehmen/", backoffice_requests.firms, name="firms"),
    path("ueberblick/", backoffice_requests.overview, name="overview"),
    path("ueberblick.xlsx", backoffice_requests.overview_xlsx, name="overview_xlsx"),
    path("aus-veranstaltungen/", backoffice_requests.event_needs, name="event_needs"),
    # Offers (backoffice_offers)
    path("angebote/", backoffice_offers.offers, name="offers"),
    path("angebote/neu/", backoffice_offers.offer_edit, name="offer_create"),
    path("angebote/<int:offer_pk>/", backoffice_offers.offer_edit, name="offer_edit"),
    path("angebote/<int:offer_pk>/loeschen/", backoffice_offers.offer_delete, name="offer_delete"),
    # Settings and routing rules (backoffice_settings)
    path("einstellungen/", backoffice_settings.settings_page, name="settings"),
    path("einstellungen/regeln/neu/", backoffice_settings.rule_edit, name="rule_create"),
    path("einstellungen/regeln/<int:rule_pk>/", backoffice_settings.rule_edit, name="rule_edit"),
    path("einstellungen/regeln/<int:rule_pk>/loeschen/", backoffice_settings.rule_delete, name="rule_delete"),
]
