"""The shared field templates (includes/form.html, field.html, error_summary.html): one
"optional" marker, none on a single checkbox, short names in the error summary."""

import re

import pytest
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def test_a_single_checkbox_is_never_marked_optional():
    from klimapakt.events.forms import QuestionForm

    html = render_to_string("includes/form.html", {"form": QuestionForm()})
    label = re.search(r'<label class="kern-label" for="id_required">(.*?)</label>', html, re.S).group(1)
    assert label.strip() == "Pflichtfrage"
    assert "optional" not in label


def test_an_optional_field_says_optional_once():
    from klimapakt.events.forms import ActionMessageForm, CancelEventForm

    for form in (ActionMessageForm(), CancelEventForm()):
        html = render_to_string("includes/form.html", {"form": form})
        label = re.search(r'<label class="kern-label" for="id_message">(.*?)</label>', html, re.S).group(1)
        assert label.count("– optional") == 1 and "(optional)" not in label, label


def test_the_error_summary_names_the_consent_briefly():
    from klimapakt.events.forms import RegistrationForm

    form = RegistrationForm(data={"first_name": "Anna"}, questions=[])
    assert not form.is_valid()
    html = render_to_string("includes/form.html", {"form": form})
    summary = html[html.index('id="form-error-summary"'):html.index("</ul></div></div>")]
    assert "Einwilligung Datenschutz:" in summary
    assert "bin mit der Verarbeitung" not in summary  # the long label stays at the checkbox
    assert "bin mit der Verarbeitung" in html
    assert 'href="#id_privacy_consent"' in summary
