"""The map's marker images: every static file the map pages, Leaflet's CSS and our map script
name exists (the markers were broken: "marker-icon.png" 404 next to the page)."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

STATIC = "/static/"
LEAFLET_CSS = "vendor/leaflet/leaflet.css"
MARKER_ATTRIBUTES = ("data-icon-url", "data-icon-retina-url", "data-shadow-url")


def static_references(html: str) -> list[str]:
    return sorted(set(re.findall(r'(?:href|src|data-[a-z-]+)="/static/([^"?#]+)"', html)))


def assert_found(paths):
    missing = [p for p in paths if not finders.find(p)]
    assert not missing, missing


@pytest.mark.django_db
def test_public_map_page_names_existing_static_files_and_marker_images(client, pact):
    html = client.get(reverse("partners:map")).content.decode()
    refs = static_references(html)
    assert {"vendor/leaflet/leaflet.js", LEAFLET_CSS, "klimapakt/partners-map.js",
            "vendor/leaflet/images/marker-icon.png", "vendor/leaflet/images/marker-icon-2x.png",
            "vendor/leaflet/images/marker-shadow.png"} <= set(refs)
    assert_found(refs)
    script = re.search(r'<script[^>]*id="kp-map-script"[^>]*>', html).group(0)
    for attribute in MARKER_ATTRIBUTES:
        assert f'{attribute}="{STATIC}vendor/leaflet/images/' in script


def test_profile_page_has_the_marker_images_too(world, client_for):
    user = world["users"]["member_a"]
    html = client_for(user).get(reverse("portal:profile", args=[world["org_a"].pk])).content.decode()
    assert 'id="kp-map-picker"' in html
    assert all(attribute in html for attribute in MARKER_ATTRIBUTES)
    assert_found(static_references(html))


def test_every_url_in_leaflet_css_exists():
    css_path = Path(finders.find(LEAFLET_CSS))
    urls = [u.strip("'\"") for u in re.findall(r"url\(([^)]+)\)", css_path.read_text())]
    files = [u for u in urls if not u.startswith(("#", "data:"))]
    assert "images/marker-icon.png" in files
    missing = [u for u in files if not (css_path.parent / u).exists()]
    assert not missing, missing


def test_map_script_sets_the_icon_paths_from_its_tag_instead_of_leaflets_guess():
    """With hashed file names (ManifestStaticFilesStorage) Leaflet cannot guess its image
    folder from leaflet.css and asks for "marker-icon.png" relative to the page."""
    source = Path(finders.find("klimapakt/partners-map.js")).read_text()
    assert "L.Icon.Default.mergeOptions" in source
    for attribute in MARKER_ATTRIBUTES:
        assert f'getAttribute("{attribute}")' in source
    leaflet = Path(finders.find("vendor/leaflet/leaflet.js")).read_text()
    for name in ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png"):
        assert f'"{name}"' in leaflet  # Leaflet's defaults, each vendored next to its CSS
        assert finders.find(f"vendor/leaflet/images/{name}")
