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


def test_sign_up_error_summary_shows_no_markup_of_a_label_with_a_link(client, pact):
    """The privacy label holds a link: the summary showed `Ich habe die <a class="kern-link" …`."""
    from django.urls import reverse

    response = client.post(reverse("account_signup"), {
        "email": "neu@firma.example", "password1": "ein-langes-Passwort-42", "password2": "ein-langes-Passwort-42",
        "first_name": "Nina", "last_name": "Neu"})
    html = response.content.decode()
    summary = html[html.index('id="form-error-summary"'):html.index("</ul></div></div>")]
    assert "&lt;" not in summary and "kern-link&quot;" not in summary
    assert summary.count("<a ") == summary.count("</a>") == 1  # no link inside the summary's link
    assert "Einwilligung Datenschutz: Bitte bestätigen Sie die Datenschutzhinweise." in summary
    assert 'href="/datenschutz/"' in html or "Datenschutzhinweise</a> gelesen" in html  # the label keeps its link


def test_summary_label_gives_the_text_of_a_label_with_markup():
    from django import forms
    from django.utils.html import format_html

    from klimapakt.core.templatetags.klimapakt import summary_label, with_colon

    class Form(forms.Form):
        agree = forms.BooleanField(label=format_html('Ich stimme den <a href="{}">Regeln &amp; Hinweisen</a> zu', "/r/"))
        name = forms.CharField(label="Müller & <Söhne>")

    form = Form()
    assert with_colon(summary_label(form["agree"])) == "Ich stimme den Regeln & Hinweisen zu:"
    assert summary_label(form["name"]) == "Müller & <Söhne>"  # plain text stays as it is (escaped on output)
