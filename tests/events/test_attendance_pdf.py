"""The attendance list's "Stand <date>" means "as of", not the partner stage ("Stage"), and
the list is in the organiser's language: title and date."""

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

pytestmark = pytest.mark.django_db


def test_attendance_list_says_as_of_in_english(make_event):
    event = make_event(title_de="Netzwerktreffen Wärme", title_en="Network meeting on heat")
    with translation.override("en"):
        html = render_to_string("events/backoffice/attendance_pdf.html",
                                {"event": event, "registrations": [], "printed_at": timezone.now()})
        as_of = translation.pgettext("as of date", "Stand")
    now = timezone.localtime()
    assert f"{as_of} {now.day} {now:%B %Y}, " in html and now.strftime("%d.%m.%Y") not in html
    assert "Stage" not in html
    assert "Network meeting on heat" in html and "Wärme" not in html and '<html lang="en">' in html
