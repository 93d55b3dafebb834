from klimapakt.core.templatetags.klimapakt import with_colon


def test_labels_get_a_colon_only_without_closing_punctuation():
    assert with_colon("Vorname") == "Vorname:"
    assert with_colon("Wie viele Beschäftigte hat Ihre Organisation?") == "Wie viele Beschäftigte hat Ihre Organisation?"
    assert with_colon("Ich bin einverstanden. ") == "Ich bin einverstanden."
    assert with_colon("") == ""
