"""The attendance list's "Stand <date>" means "as of", not the partner stage ("Stage")."""

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

pytestmark = pytest.mark.django_db


def test_attendance_list_says_as_of_in_english(make_event):
    event = make_event()
    with translation.override("en"):
        html = render_to_string("events/backoffice/attendance_pdf.html",
                                {"event": event, "registrations": [], "printed_at": timezone.now()})
        as_of = translation.pgettext("as of date", "Stand")
    assert f"{as_of} {timezone.localtime().strftime('%d.%m.%Y')}" in html
    assert "Stage" not in html
