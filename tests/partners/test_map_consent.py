"""The map without leaking visitors' addresses (docs/partners.md, "Map"): no tile URL in any
src or href before the visitor clicks "Karte laden", the tile server allowed by the CSP for
images only, the geocoder asked by the server with every failure as a friendly message, and a
location set on the map saved with the profile."""

import datetime
import io
import json
import re
from decimal import Decimal
from urllib.error import HTTPError, URLError

import pytest
from django.core.cache import cache
from django.urls import reverse

from klimapakt.partners import geocoding

TILES = "https://{s}.kacheln.example.org/osm/{z}/{x}/{y}.png"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def map_settings(settings):
    settings.MAP_TILE_URL = TILES
    settings.MAP_TILE_ATTRIBUTION = "© Kacheln & Co <b>"
    settings.MAP_CENTER = (51.3, 6.5)
    settings.MAP_BOUNDS = None
    settings.GEOCODER_URL = "https://geo.example.org/search"
    settings.GEOCODER_TIMEOUT = 2
    return settings


def _listed(**kw):
    from klimapakt.partners.models import Organisation

    return Organisation.objects.create(**{
        "name": "Kartenpartner GmbH", "stage": "active", "listing_consent": True,
        "partner_since": datetime.date(2024, 1, 1), "latitude": "51.33", "longitude": "6.56", "show_location": True,
        "street": "Ostwall 1", "postal_code": "47798", "city": "Krefeld"} | kw)


def _urls_in_src_or_href(html: str) -> list[str]:
    return re.findall(r'\b(?:src|href|srcset|poster|action)\s*=\s*"([^"]*)"', html)


@pytest.mark.django_db
def test_public_map_names_the_tile_server_only_in_data_attributes(client, pact, map_settings):
    _listed()
    html = client.get(reverse("partners:map")).content.decode()
    assert not [u for u in _urls_in_src_or_href(html) if "kacheln.example.org" in u or "openstreetmap" in u]
    assert 'rel="preconnect"' not in html and 'rel="dns-prefetch"' not in html
    assert f'data-tile-url="{TILES}"' in html
    assert 'data-tile-attribution="© Kacheln &amp; Co &lt;b&gt;"' in html  # escaped, as text
    assert 'data-center="51.3,6.5"' in html
    # The consent box says which server gets the address and links to the privacy page; it and the
    # map stay hidden without JavaScript, the list does not.
    consent = re.search(r'<div[^>]*id="kp-partner-map-consent"[^>]*>.*?</div></div>', html, re.S).group(0)
    assert " hidden" in consent.split(">")[0]
    assert "vom Server kacheln.example.org." in consent and "IP-Adresse" in consent
    assert f'href="{reverse("core:privacy")}"' in consent
    assert "Karte laden" in consent
    assert re.search(r'<div id="kp-partner-map"[^>]* hidden', html)
    assert 'id="map-list"' in html and "Kartenpartner GmbH" in html


@pytest.mark.django_db
def test_without_a_tile_server_the_page_is_just_the_list(client, pact, map_settings):
    map_settings.MAP_TILE_URL = ""
    _listed()
    html = client.get(reverse("partners:map")).content.decode()
    assert "data-tile-url" not in html and "Karte laden" not in html
    assert "Kartenpartner GmbH" in html


@pytest.mark.django_db
def test_no_static_file_of_the_map_names_a_tile_server():
    """Not from CSS or a script constant either: the URL comes only from the page's data attribute."""
    from pathlib import Path

    from django.contrib.staticfiles import finders

    for name in ("klimapakt/partners-map.js", "klimapakt/partners.css", "vendor/leaflet/leaflet.css"):
        text = Path(finders.find(name)).read_text()
        assert "openstreetmap" not in text and "http://" not in text.replace("http://www.w3.org", ""), name
    script = Path(finders.find("klimapakt/partners-map.js")).read_text()
    assert 'getAttribute("data-tile-url")' in script and "sessionStorage" in script


def test_csp_allows_the_tile_host_for_images_only(settings):
    from config.settings import tile_origin

    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    default_origin = tile_origin(settings.MAP_TILE_URL)
    assert default_origin == "https://tile.openstreetmap.org"
    assert default_origin in directives["img-src"]
    others = [v for key, values in directives.items() if key != "img-src" for v in values]
    assert not [v for v in others if "openstreetmap" in v or "tile" in v]
    assert tile_origin(TILES) == "https://*.kacheln.example.org"
    assert tile_origin("http://127.0.0.1:9000/{z}/{x}/{y}.png") == "http://127.0.0.1:9000"
    assert tile_origin("javascript:alert(1)") == "" and tile_origin("") == ""


# --- the profile: location by click, or from the address -----------------------------------


def _profile_url(world):
    return reverse("portal:profile", args=[world["org_a"].pk])


def _address(world):
    org = world["org_a"]
    org.street, org.postal_code, org.city = "Ostwall 1", "47798", "Krefeld"
    org.save()
    return org


def test_profile_shows_picker_behind_consent_and_the_geocoder_button(world, client_for, map_settings):
    html = client_for(world["users"]["member_a"]).get(_profile_url(world)).content.decode()
    assert not [u for u in _urls_in_src_or_href(html) if "kacheln.example.org" in u]
    assert re.search(r'<div id="kp-map-picker"[^>]* hidden', html)
    assert 'data-lat-input="id_latitude"' in html and 'data-lng-input="id_longitude"' in html
    assert "Aus der Adresse ermitteln" in html and 'form="kp-geocode-form"' in html
    map_settings.GEOCODER_URL = ""
    html = client_for(world["users"]["member_a"]).get(_profile_url(world)).content.decode()
    assert "Aus der Adresse ermitteln" not in html and "kp-geocode-form" not in html


def test_location_set_by_click_is_saved_with_the_profile(world, client_for, map_settings):
    """The map writes the clicked point into the (German) coordinate fields; saving keeps it."""
    response = client_for(world["users"]["member_a"]).post(_profile_url(world), {
        "listing_consent": "on", "description": "", "website": "", "latitude": "51,34567", "longitude": "6,54321",
        "show_location": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    org = world["org_a"]
    org.refresh_from_db()
    assert (org.latitude, org.longitude, org.show_location) == (Decimal("51.34567"), Decimal("6.54321"), True)


def test_a_location_outside_the_pacts_region_is_refused(world, client_for, map_settings):
    map_settings.MAP_BOUNDS = (51.2, 6.4, 51.5, 6.8)
    response = client_for(world["users"]["member_a"]).post(_profile_url(world), {
        "listing_consent": "on", "latitude": "52,52000", "longitude": "13,40500", "show_location": "on"})
    assert response.status_code == 200
    assert "außerhalb des Gebiets des Klimapakts" in response.content.decode()
    world["org_a"].refresh_from_db()
    assert world["org_a"].latitude is None


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _fake_urlopen(monkeypatch, *, body=None, error=None):
    calls = []

    def fake(request, timeout):
        calls.append((request, timeout))
        if error is not None:
            raise error
        return FakeResponse(body if isinstance(body, bytes) else json.dumps(body).encode())

    monkeypatch.setattr(geocoding, "urlopen", fake)
    return calls


def test_geocoder_found_address_fills_the_form_without_saving(world, client_for, map_settings, monkeypatch):
    _address(world)
    calls = _fake_urlopen(monkeypatch, body=[{"lat": "51.3321234", "lon": "6.5645678",
                                              "display_name": "Ostwall 1, Krefeld"}])
    response = client_for(world["users"]["member_a"]).post(_profile_url(world), {"geocode": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gefunden: Ostwall 1, Krefeld." in html and "noch nicht gespeichert" in html
    assert re.search(r'id="id_latitude"[^>]*value="51,33212"|value="51,33212"[^>]*id="id_latitude"', html)
    request, timeout = calls[0]
    assert timeout == 2
    assert request.full_url.startswith("https://geo.example.org/search?")
    assert "q=Ostwall+1%2C+47798+Krefeld" in request.full_url and "format=jsonv2" in request.full_url
    assert "Klimapakt" in request.get_header("User-agent")
    world["org_a"].refresh_from_db()
    assert world["org_a"].latitude is None  # saved only when the person saves the profile


def test_geocoder_within_region_asks_with_a_bounded_viewbox(world, map_settings, monkeypatch):
    map_settings.MAP_BOUNDS = (51.2, 6.4, 51.5, 6.8)
    org = _address(world)
    calls = _fake_urlopen(monkeypatch, body=[{"lat": "52.52", "lon": "13.405"}])
    with pytest.raises(geocoding.GeocodingError, match="außerhalb des Gebiets"):
        geocoding.geocode_organisation(org)
    assert "viewbox=6.4%2C51.5%2C6.8%2C51.2" in calls[0][0].full_url and "bounded=1" in calls[0][0].full_url


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"error": TimeoutError("timed out")}, "nicht rechtzeitig geantwortet"),
    ({"error": URLError(TimeoutError("timed out"))}, "nicht rechtzeitig geantwortet"),  # a slow connect
    ({"error": URLError("refused")}, "gerade nicht erreichbar"),
    ({"error": HTTPError("https://geo.example.org", 503, "busy", {}, None)}, "gerade nicht erreichbar"),
    ({"body": b"<html>Bad gateway</html>"}, "unverständliche Antwort"),
    ({"body": b"{\"lat\": 1}"}, "unverständliche Antwort"),
    ({"body": [{"lat": "NaN", "lon": "6.5"}]}, "unverständliche Antwort"),
    ({"body": [{"lat": "Infinity", "lon": "6.5"}]}, "unverständliche Antwort"),
    ({"body": [{"lat": "95", "lon": "6.5"}]}, "unverständliche Antwort"),
    ({"body": [{"name": "no coordinates"}]}, "unverständliche Antwort"),
    ({"body": ["Krefeld"]}, "unverständliche Antwort"),
    ({"body": b"[" + b" " * (geocoding.MAX_ANSWER_BYTES + 10) + b"]"}, "unverständliche Antwort"),
    ({"body": []}, "keinen Ort gefunden"),
])
def test_geocoder_failures_are_friendly_messages(world, client_for, map_settings, monkeypatch, kwargs, message):
    _address(world)
    _fake_urlopen(monkeypatch, **kwargs)
    response = client_for(world["users"]["member_a"]).post(_profile_url(world), {"geocode": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    world["org_a"].refresh_from_db()
    assert world["org_a"].latitude is None


def test_geocoder_needs_an_address_and_a_url(world, map_settings, monkeypatch):
    calls = _fake_urlopen(monkeypatch, body=[])
    with pytest.raises(geocoding.GeocodingError, match="Straße und Hausnummer"):
        geocoding.geocode_organisation(world["org_a"])
    map_settings.GEOCODER_URL = ""
    with pytest.raises(geocoding.GeocodingError, match="nicht eingerichtet"):
        geocoding.geocode_organisation(_address(world))
    assert calls == []


def test_geocoder_answers_are_cached_and_lookups_bounded_per_organisation(world, map_settings, monkeypatch):
    org = _address(world)
    calls = _fake_urlopen(monkeypatch, body=[{"lat": "51.33", "lon": "6.56"}])
    first = geocoding.geocode_organisation(org)
    assert geocoding.geocode_organisation(org) == first
    assert len(calls) == 1
    for number in range(geocoding.LOOKUPS_PER_HOUR - 1):
        org.street = f"Ostwall {number + 2}"
        geocoding.geocode_organisation(org)
    org.street = "Neue Linner Straße 1"
    with pytest.raises(geocoding.GeocodingError, match="oft benutzt"):
        geocoding.geocode_organisation(org)
    assert len(calls) == geocoding.LOOKUPS_PER_HOUR


def test_geocoding_is_only_for_those_who_may_change_the_profile(world, client_for, map_settings, monkeypatch):
    calls = _fake_urlopen(monkeypatch, body=[])
    response = client_for(world["users"]["member_b"]).post(_profile_url(world), {"geocode": "1"})
    assert response.status_code in (403, 404)
    assert calls == []


def test_a_geocoder_that_never_answers_is_given_up_after_the_timeout(world, map_settings):
    """A real socket that accepts the connection and stays silent: the lookup ends after
    GEOCODER_TIMEOUT with the friendly message, it does not hang the web worker."""
    import socket
    import time

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        map_settings.GEOCODER_URL = f"http://127.0.0.1:{silent.getsockname()[1]}/search"
        map_settings.GEOCODER_TIMEOUT = 0.3
        started = time.monotonic()
        with pytest.raises(geocoding.GeocodingError, match="nicht rechtzeitig"):
            geocoding.geocode_organisation(_address(world))
        assert time.monotonic() - started < 3
