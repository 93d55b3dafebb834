"""/api/v1/docs in a real browser under the site's own Content-Security-Policy (no bypass): Swagger
UI loads from our static files, renders the API, and nothing is refused or fetched elsewhere."""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_renders_under_the_sites_csp_without_external_requests(_browser, live_server, pact):
    context = _browser.new_context(base_url=live_server.url, locale="de-DE")  # CSP enforced
    page = context.new_page()
    refused, hosts = [], set()
    page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc)
            if request.url.startswith("http") else None)
    page.goto("/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Klimapakt API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock").first.wait_for()  # the operations came from /api/v1/openapi.json
    context.close()
    assert not refused, refused
    assert hosts == {urlsplit(live_server.url).netloc}, hosts
