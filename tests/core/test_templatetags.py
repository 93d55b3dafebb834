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
