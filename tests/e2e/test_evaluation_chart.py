"""The evaluation's bar chart in a real browser: its labels keep at least 14px on a phone and on
a desktop (the chart used to be a scaled viewBox whose 13px labels shrank to about 11px)."""

import datetime

import pytest
from django.utils import timezone

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def answered_event(pact, world):
    from klimapakt.events import services
    from klimapakt.events.models import Event, Question

    start = timezone.now() + datetime.timedelta(days=12)
    event = Event.objects.create(pact=pact, status=Event.Status.PUBLISHED, capacity=20, title_de="Netzwerktreffen",
                                 starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    single = Question.objects.create(event=event, position=1, kind="single_choice", label_de="Größe",
                                     choices_de="bis 9\n10 bis 49\n50 und mehr")
    multiple = Question.objects.create(event=event, position=2, kind="multiple_choice", label_de="Themen",
                                       choices_de="Energie\nMobilität\nFörderung")
    for n in range(4):
        services.registration_create(event=event, answers={single.pk: n % 3, multiple.pk: [0, n % 3]},
                                     person=services.PersonData(first_name="V", last_name=f"N{n}",
                                                                email=f"p{n}@x.example", organisation=f"Org {n}",
                                                                privacy_consent=True))
    return event


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_chart_labels_are_at_least_14px(page, answered_event, width, height):
    page.set_viewport_size({"width": width, "height": height})
    login(page, "office@krefeld.example")
    page.goto(f"/geschaeftsstelle/veranstaltungen/{answered_event.pk}/auswertung/")
    assert_accessible(page, f"events-office-evaluation-{width}")
    labels = page.evaluate("""() => [...document.querySelectorAll('svg.kp-answer-chart text')].map(
        t => [t.textContent, t.getBoundingClientRect().height, parseFloat(getComputedStyle(t).fontSize)])""")
    assert len(labels) == 12  # 2 charts x 3 options x (label, count)
    for text, box_height, font_size in labels:
        assert font_size >= 14 and box_height >= 14, (text, box_height, font_size)
    charts = page.evaluate("() => [...document.querySelectorAll('svg.kp-answer-chart')].map(s => s.getBoundingClientRect().right)")
    assert all(right <= width for right in charts)  # no horizontal scrolling on a phone
    assert "Anteil der Personen" in page.content()
