import pytest

from klimapakt.core.templatetags.klimapakt import with_colon


def test_labels_get_a_colon_only_without_closing_punctuation():
    assert with_colon("Vorname") == "Vorname:"
    assert with_colon("Wie viele Beschäftigte hat Ihre Organisation?") == "Wie viele Beschäftigte hat Ihre Organisation?"
    assert with_colon("Ich bin einverstanden. ") == "Ich bin einverstanden."
    assert with_colon("") == ""


def test_choice_inputs_carry_kern_classes_and_the_error_variant():
    from django import forms

    from klimapakt.core.templatetags.klimapakt import kern_choice

    class Form(forms.Form):
        size = forms.ChoiceField(choices=[("s", "klein"), ("l", "groß")], widget=forms.RadioSelect)
        topics = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple, required=False)

    form = Form(data={})
    radio = kern_choice(list(form["size"])[1], form["size"])
    assert 'class="kern-form-check__radio kern-form-check__radio--error"' in radio and 'value="l"' in radio
    assert "<label" not in radio  # the template writes the label
    checkbox = kern_choice(list(form["topics"])[0], form["topics"])
    assert 'type="checkbox"' in checkbox and 'class="kern-form-check__checkbox"' in checkbox


@pytest.mark.django_db
def test_language_links_lead_to_the_same_page_in_both_directions(client, pact):
    """The English link of a German page is that page in English (it once led to the English
    home page, because the German path was resolved while English was already active)."""
    import re

    german = client.get("/veranstaltungen/?seite=1").content.decode()
    assert re.search(r'href="/en/veranstaltungen/\?seite=1"[^>]*hreflang="en"', german)
    english = client.get("/en/veranstaltungen/").content.decode()
    assert re.search(r'href="/veranstaltungen/"[^>]*hreflang="de"', english)
