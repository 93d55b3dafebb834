"""The reusable Markdown preview (core.markdown_preview): a CSRF-protected POST for the office and
advisors, size-bounded, through the sanitising renderer; without JavaScript a "Vorschau" submit
button renders the form again, unsaved, with the previews (used on the event form)."""

import pytest
from django.test import Client
from django.urls import reverse

from klimapakt.core.markdown_preview import MAX_PREVIEW_CHARS

pytestmark = pytest.mark.django_db
URL = "backoffice:markdown_preview"


def test_the_office_and_advisors_get_sanitised_html(client_for, world):
    for role in ("office", "advisor"):
        response = client_for(world["users"][role]).post(reverse(URL), {
            "text": "## Ablauf\n\n**Begrüßung** und <script>alert(1)</script> [Link](javascript:alert(2))"})
        assert response.status_code == 200, role
        html = response.content.decode()
        assert "<h2>Ablauf</h2>" in html and "<strong>Begrüßung</strong>" in html
        assert "<script" not in html and "javascript:" not in html
        assert response["Cache-Control"] == "no-store"


def test_others_may_not_use_it(client_for, world):
    assert client_for(None).post(reverse(URL), {"text": "a"}).status_code == 302  # to the login
    for role in ("member_a", "member_b"):
        assert client_for(world["users"][role]).post(reverse(URL), {"text": "a"}).status_code == 403


def test_only_post_and_only_with_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["office"])
    assert client.get(reverse(URL)).status_code == 405
    assert client.post(reverse(URL), {"text": "**a**"}).status_code == 403
    client.get(reverse("event_office:create"))  # sets the CSRF cookie, as the form page does
    token = client.cookies["csrftoken"].value
    response = client.post(reverse(URL), {"text": "**a**"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and "<strong>a</strong>" in response.content.decode()


def test_long_texts_are_refused(client_for, world):
    office = client_for(world["users"]["office"])
    response = office.post(reverse(URL), {"text": "a" * (MAX_PREVIEW_CHARS + 1)})
    assert response.status_code == 413
    assert "zu lang für die Vorschau (höchstens 20.000 Zeichen)" in response.content.decode()
    assert office.post(reverse(URL), {"text": "a" * MAX_PREVIEW_CHARS}).status_code == 200


def test_an_empty_text_says_so(client_for, world):
    assert "Noch kein Text." in client_for(world["users"]["office"]).post(reverse(URL), {"text": "  "}).content.decode()


def test_the_event_form_marks_its_descriptions_and_previews_without_javascript(client_for, world):
    from klimapakt.events.models import Event

    office = client_for(world["users"]["office"])
    page = office.get(reverse("event_office:create")).content.decode()
    assert page.count(f'data-markdown-preview="{reverse(URL)}"') == 2
    assert 'name="_preview"' in page and "klimapakt/markdown-preview.js" in page
    response = office.post(reverse("event_office:create"), {
        "kind": "workshop", "title_de": "Vorschau-Test", "description_de": "Wir **besprechen** den Plan.",
        "starts_at": "2031-05-06T16:00", "ends_at": "2031-05-06T18:00", "audience": "open", "_preview": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wir <strong>besprechen</strong> den Plan." in html
    assert "Noch nicht gespeichert." in html
    assert "Wir **besprechen** den Plan.</textarea>" in html  # the text stays in the form
    assert not Event.objects.filter(title_de="Vorschau-Test").exists()
