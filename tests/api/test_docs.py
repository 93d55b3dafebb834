"""The API's interactive docs (attack pass, issue 11): Swagger UI came from a CDN, which the
site's own Content-Security-Policy blocks and which is unreachable offline. It is served from
the app's static files, and the page names no other host."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(client, pact):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    return response


def test_docs_page_names_no_external_host(docs):
    html = docs.content.decode()
    assert not re.search(r"(https?:)?//(?!testserver)[a-z0-9.-]+", html, re.I), html
    assert "validator.swagger.io" not in html
    assert '"validatorUrl": null' in html  # Swagger UI would otherwise send the document there


def test_docs_assets_are_our_static_files(docs):
    html = docs.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in scripts)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for url in assets:
        assert url.startswith(settings.STATIC_URL), url
        assert finders.find(url.removeprefix(settings.STATIC_URL)), f"{url} is not a static file"


def test_docs_run_under_the_sites_content_security_policy(docs):
    csp = docs.headers["Content-Security-Policy"]
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["connect-src"] == "'self'"  # the OpenAPI document is fetched from here
    html = docs.content.decode()
    # no inline script (the settings are JSON data, which CSP does not execute)
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        assert "src=" not in attributes or not body.strip()
    assert "<style" not in html and " style=" not in html
