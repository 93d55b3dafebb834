"""The organiser side (back office) of events: forms, lists, check-in, confirmations."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from klimapakt.events import services
from klimapakt.events.forms import EventForm, QuestionForm
from klimapakt.events.models import Event, Registration

pytestmark = pytest.mark.django_db


def event_data(**extra):
    data = {"kind": "network", "title_de": "Neues Treffen", "starts_at": "2031-05-06T16:00",
            "ends_at": "2031-05-06T18:00", "audience": "open", "capacity": "20"}
    data.update(extra)
    return data


@pytest.fixture
def office(client_for, world):
    return client_for(world["users"]["office"])


# ------------------------------------------------------------------ bilingual agenda and choices

def test_blank_lines_in_the_english_agenda_are_dropped_like_in_the_german_one(office):
    office.post(reverse("event_office:create"), event_data(
        agenda_de="Begrüßung\nVortrag\n\nDiskussion\n", agenda_en="Welcome\n\nTalk\n  \nDiscussion"))
    event = Event.objects.get(title_de="Neues Treffen")
    assert [(a.title_de, a.title_en) for a in event.agenda_items.all()] == [
        ("Begrüßung", "Welcome"), ("Vortrag", "Talk"), ("Diskussion", "Discussion")]


@pytest.mark.parametrize("agenda_en", ["Welcome\nTalk", "Welcome\nTalk\nDiscussion\nDrinks"])
def test_an_english_agenda_of_another_length_is_an_error_on_the_english_field(pact, agenda_en):
    form = EventForm(event_data(agenda_de="Begrüßung\nVortrag\nDiskussion", agenda_en=agenda_en), pact=pact)
    assert not form.is_valid()
    assert list(form.errors) == ["agenda_en"]
    assert "3" in form.errors["agenda_en"][0]


def test_an_empty_english_agenda_is_fine(pact):
    form = EventForm(event_data(agenda_de="Begrüßung\nVortrag", agenda_en="\n \n"), pact=pact)
    assert form.is_valid(), form.errors
    assert form.service_data()["agenda_en"] == []


@pytest.mark.parametrize("choices_en", ["Meat\n\nFish", "Meat\nFish\nVegan\nOther"])
def test_english_choices_of_another_count_are_an_error_on_the_english_field(choices_en):
    form = QuestionForm({"kind": "single_choice", "label_de": "Essen", "choices_de": "Fleisch\nFisch\nVegetarisch",
                         "choices_en": choices_en})
    assert not form.is_valid()
    assert list(form.errors) == ["choices_en"]


def test_english_choices_with_blank_lines_and_the_same_count_are_fine():
    form = QuestionForm({"kind": "single_choice", "label_de": "Essen", "choices_de": "Fleisch\nFisch\n",
                         "choices_en": "\nMeat\n\nFish"})
    assert form.is_valid(), form.errors
    form = QuestionForm({"kind": "single_choice", "label_de": "Essen", "choices_de": "Fleisch\nFisch"})
    assert form.is_valid(), form.errors


def test_the_questionnaire_page_shows_the_choice_error_on_the_english_field(office, make_event):
    event = make_event()
    response = office.post(reverse("event_office:questions", args=[event.pk]), {
        "kind": "single_choice", "label_de": "Essen", "choices_de": "Fleisch\nFisch\nVegetarisch",
        "choices_en": "Meat\nFish"})
    assert response.status_code == 200 and not event.questions.exists()
    assert response.context["form"].errors["choices_en"]


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_duplicate_is_marked_as_copy_in_both_languages(pact, make_event, world, language):
    from django.utils import translation

    event = make_event(title_de="Netzwerktreffen", title_en="Network meeting")
    untranslated = make_event(title_de="Nur deutsch", title_en="")
    with translation.override(language):
        copy = services.event_duplicate(event=event, actor=world["users"]["office"])
        other = services.event_duplicate(event=untranslated, actor=world["users"]["office"])
    assert (copy.title_de, copy.title_en) == ("Netzwerktreffen (Kopie)", "Network meeting (copy)")
    assert (other.title_de, other.title_en) == ("Nur deutsch (Kopie)", "")


# ------------------------------------------------------------------ search by full name

@pytest.fixture
def people_event(make_event):
    event = make_event(capacity=10)
    for first, last, org in [("John", "Smith", "Alpha GmbH"), ("Jane", "Smith", "Beta KG"),
                             ("John", "Miller", "Alpha GmbH"), ("Wanda", "Warte", "Gamma e. V.")]:
        services.registration_create(event=event, person=services.PersonData(
            first_name=first, last_name=last, email=f"{first}.{last}@x.example".lower(), organisation=org,
            privacy_consent=True))
    return event


@pytest.mark.parametrize("query", ["John Smith", "Smith John", "smith, john", "  JOHN   smith ", "john alpha smith"])
@pytest.mark.parametrize("page", ["registrations", "check_in"])
def test_search_by_full_name_finds_the_person(office, people_event, query, page):
    response = office.get(reverse(f"event_office:{page}", args=[people_event.pk]), {"q": query})
    rows = list(response.context["page_obj"] if page == "registrations" else response.context["registrations"])
    assert [(r.first_name, r.last_name) for r in rows] == [("John", "Smith")]


def test_every_word_must_match_some_field(people_event):
    from klimapakt.events.selectors import registrations_for_event

    def names(query):
        return sorted(r.last_name for r in registrations_for_event(event=people_event, query=query))

    assert names("Wanda Warte") == ["Warte"]
    assert names("alpha") == ["Miller", "Smith"]
    assert names("smith") == ["Smith", "Smith"]
    assert names("john nobody") == []
    assert names("x.example") == ["Miller", "Smith", "Smith", "Warte"]


# ------------------------------------------------------------------ event form errors

def _summary(response) -> str:
    html = response.content.decode()
    start = html.index('id="form-error-summary"')
    return html[start:html.index("</ul>", start)]


def test_an_end_before_the_start_is_an_error_on_the_end_field_and_in_the_summary(office):
    response = office.post(reverse("event_office:create"), event_data(title_de="", ends_at="2031-05-06T15:00"))
    form = response.context["form"]
    assert set(form.errors) == {"title_de", "ends_at"}  # nothing above the form
    assert "Das Ende muss nach dem Beginn liegen." in form.errors["ends_at"]
    summary = _summary(response)
    assert 'href="#id_ends_at"' in summary and "Das Ende muss nach dem Beginn liegen." in summary
    assert not Event.objects.exists()


def test_the_deadline_error_comes_on_the_first_submit_together_with_the_others(office):
    response = office.post(reverse("event_office:create"), event_data(
        title_de="", registration_deadline="2031-05-07T09:00"))
    form = response.context["form"]
    assert set(form.errors) == {"title_de", "registration_deadline"}
    assert 'href="#id_registration_deadline"' in _summary(response)


def test_every_date_rule_of_the_service_shows_on_its_field_on_the_first_submit(office, monkeypatch):
    """The services own the rules (a deadline after the start is refused there); the form asks
    them, so a new rule needs no second copy in the form."""
    from django.core.exceptions import ValidationError

    def check(event):
        raise ValidationError({"registration_deadline": ["Anmeldeschluss nach dem Beginn."]})

    monkeypatch.setattr(services, "event_check", check)
    response = office.post(reverse("event_office:create"), event_data(
        title_de="", registration_deadline="2031-05-06T17:00"))
    assert response.context["form"].errors["registration_deadline"] == ["Anmeldeschluss nach dem Beginn."]
    assert "title_de" in response.context["form"].errors


def test_a_service_error_with_a_field_key_shows_on_that_field(office, make_event, person):
    event = make_event(capacity=2)
    services.registration_create(event=event, person=person(1))
    services.registration_create(event=event, person=person(2))
    response = office.post(reverse("event_office:edit", args=[event.pk]), event_data(
        title_de=event.title_de, starts_at=timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        ends_at=timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"), capacity="1"))
    assert list(response.context["form"].errors) == ["capacity"]
    assert 'href="#id_capacity"' in _summary(response)


# ------------------------------------------------------------------ check-in

def test_the_check_in_counter_counts_every_confirmed_person_not_only_the_hits(office, people_event):
    people_event.registrations.filter(first_name="Jane").update(attended=True)
    response = office.get(reverse("event_office:check_in", args=[people_event.pk]), {"q": "John Smith"})
    assert len(response.context["registrations"]) == 1
    assert "Als anwesend markiert: 1 von 4 bestätigten Personen." in response.content.decode()


def test_an_htmx_toggle_updates_the_counter_out_of_band(office, people_event):
    john = people_event.registrations.get(first_name="John", last_name="Smith")
    response = office.post(reverse("event_office:check_in_toggle", args=[people_event.pk, john.pk]),
                           {"attended": "1", "q": "John Smith"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert f'id="r{john.pk}"' in html and "kp-checkin__row--present" in html
    assert 'id="check-in-count"' in html and 'hx-swap-oob="innerHTML"' in html
    assert "1 von 4 bestätigten Personen" in html
    assert 'name="q" value="John Smith"' in html  # the next toggle of this row keeps the search


def test_without_javascript_a_toggle_returns_to_the_same_search_and_row(office, people_event):
    john = people_event.registrations.get(first_name="John", last_name="Smith")
    page = office.get(reverse("event_office:check_in", args=[people_event.pk]), {"q": "smith, john"})
    assert 'name="q" value="smith, john"' in page.content.decode()
    response = office.post(reverse("event_office:check_in_toggle", args=[people_event.pk, john.pk]),
                           {"attended": "1", "q": "smith, john"})
    assert response.status_code == 302
    assert response["Location"] == (reverse("event_office:check_in", args=[people_event.pk])
                                    + f"?q=smith%2C+john#r{john.pk}")
    john.refresh_from_db()
    assert john.attended
    # without a search, back to the whole list
    response = office.post(reverse("event_office:check_in_toggle", args=[people_event.pk, john.pk]),
                           {"attended": "0"})
    assert response["Location"] == reverse("event_office:check_in", args=[people_event.pk]) + f"#r{john.pk}"


# ------------------------------------------------------------------ registration list and actions

@pytest.fixture
def queue_event(make_event, person):
    """Two seats: two confirmed, three waiting, one cancelled, one declined."""
    event = make_event(capacity=2)
    regs = [services.registration_create(event=event, person=person(n, last_name=name))
            for n, name in enumerate(["Anders", "Zeller", "Wolf", "Berg", "Maier", "Adam", "Abel"], 1)]
    services.registration_cancel(registration=regs[5])  # Adam: waitlisted, then cancelled
    services.registration_decline(registration=regs[6], actor=None)  # Abel: waitlisted, then declined
    return event


def _rows(response):
    return [(r.last_name, r.status, r.waitlist_position) for r in response.context["page_obj"]]


def test_the_list_shows_who_comes_then_the_queue_in_order_then_the_rest(office, queue_event):
    response = office.get(reverse("event_office:registrations", args=[queue_event.pk]))
    assert _rows(response) == [("Anders", "confirmed", None), ("Zeller", "confirmed", None),
                               ("Wolf", "waitlisted", 1), ("Berg", "waitlisted", 2), ("Maier", "waitlisted", 3),
                               ("Abel", "declined", None), ("Adam", "cancelled", None)]
    html = response.content.decode()
    assert "Warteliste (Platz 1)" in html and "Warteliste (Platz 3)" in html


def test_waitlist_positions_count_the_whole_queue_in_a_filtered_list(office, queue_event):
    maier = queue_event.registrations.get(last_name="Maier")
    services.waitlist_move(registration=maier, actor=None, direction="up")
    response = office.get(reverse("event_office:registrations", args=[queue_event.pk]), {"q": "maier"})
    assert _rows(response) == [("Maier", "waitlisted", 2)]


def test_no_move_up_for_the_first_nor_down_for_the_last_in_the_queue(office, queue_event):
    def buttons(name):
        r = queue_event.registrations.get(last_name=name)
        html = office.get(reverse("event_office:registration", args=[queue_event.pk, r.pk])).content.decode()
        return 'value="up"' in html, 'value="down"' in html

    assert buttons("Wolf") == (False, True)
    assert buttons("Berg") == (True, True)
    assert buttons("Maier") == (True, False)


def test_declining_asks_for_confirmation_first(office, queue_event, mailoutbox):
    anders = queue_event.registrations.get(last_name="Anders")
    url = reverse("event_office:registration_action", args=[queue_event.pk, anders.pk])
    mailoutbox.clear()
    response = office.post(url, {"action": "decline", "message": "Nur für Unternehmen."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anmeldung ablehnen?" in html and "Nur für Unternehmen." in html
    assert 'name="confirm" value="1"' in html and 'value="Nur für Unternehmen."' in html
    anders.refresh_from_db()
    assert anders.status == "confirmed" and not mailoutbox
    response = office.post(url, {"action": "decline", "message": "Nur für Unternehmen.", "confirm": "1"})
    assert response.status_code == 302
    anders.refresh_from_db()
    assert anders.status == "declined"


def test_a_message_to_everyone_is_shown_for_confirmation_before_it_is_sent(office, queue_event, mailoutbox,
                                                                             django_capture_on_commit_callbacks):
    url = reverse("event_office:message", args=[queue_event.pk])
    data = {"to_status": "waitlisted", "subject": "Anfahrt", "body": "Zeile 1\nZeile 2"}
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(url, data)
    assert response.status_code == 200 and not mailoutbox
    html = response.content.decode()
    assert "Die Nachricht geht an 3 Personen" in html and "Jetzt an 3 Personen senden" in html
    assert "Zeile 1<br>Zeile 2" in html
    # "change" goes back to the filled form
    response = office.post(url, {**data, "confirm": "1", "edit": "1"})
    assert response.status_code == 200 and not mailoutbox and "Weiter: Nachricht prüfen" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302 and len(mailoutbox) == 3
    assert {m.subject for m in mailoutbox} == {"Anfahrt"}


def test_a_message_to_nobody_cannot_be_sent(office, make_event):
    event = make_event()
    response = office.post(reverse("event_office:message", args=[event.pk]),
                           {"to_status": "waitlisted", "subject": "Anfahrt", "body": "Text"})
    html = response.content.decode()
    assert "Niemand erhält diese Nachricht" in html and "Jetzt an" not in html


# ------------------------------------------------------------------ free seats while people wait

@pytest.mark.parametrize("page", ["registrations", "registration", "overview"])
def test_a_free_seat_next_to_a_waitlist_is_pointed_out_with_the_action(office, queue_event, page):
    anders = queue_event.registrations.get(last_name="Anders")
    args = [queue_event.pk, anders.pk] if page == "registration" else [queue_event.pk]
    url = reverse(f"event_office:{page}", args=args)
    assert "Plätze frei, während Personen warten" not in office.get(url).content.decode()

    services.registration_to_waitlist(registration=anders, actor=None)  # 1 of 2 seats free, 4 waiting
    queue_event.refresh_from_db()
    html = office.get(url).content.decode()
    assert "Plätze frei, während Personen warten" in html
    assert "1 Platz ist frei." in html and "4 Personen warten." in html
    assert "Platz 1 der Warteliste bestätigen: Vorname1 Anders" in html
    # the action confirms the first in the queue and comes back to the list; nobody else moved
    response = office.post(reverse("event_office:registration_action", args=[queue_event.pk, anders.pk]),
                           {"action": "promote", "return_to": "list"})
    assert response["Location"] == reverse("event_office:registrations", args=[queue_event.pk])
    assert set(queue_event.registrations.filter(status="confirmed").values_list("last_name", flat=True)) == {
        "Anders", "Zeller"}
    assert "Plätze frei, während Personen warten" not in office.get(url).content.decode()


def test_an_unlimited_event_with_people_waiting_is_pointed_out(office, queue_event):
    Event.objects.filter(pk=queue_event.pk).update(capacity=None)
    html = office.get(reverse("event_office:registrations", args=[queue_event.pk])).content.decode()
    assert "Die Platzzahl ist nicht begrenzt." in html and "3 Personen warten." in html


def test_a_newcomer_still_waits_behind_the_queue_when_a_seat_is_free(queue_event, person):
    anders = queue_event.registrations.get(last_name="Anders")
    services.registration_to_waitlist(registration=anders, actor=None)
    newcomer = services.registration_create(event=queue_event, person=person(20))
    assert newcomer.status == Registration.Status.WAITLISTED


# ------------------------------------------------------------------ the English back office

def test_the_english_back_office_shows_english_titles_and_dates(office, make_event, person):
    from django.utils import translation

    start = timezone.make_aware(datetime.datetime(2031, 12, 16, 16, 0))
    event = make_event(title_de="Netzwerktreffen Wärme", title_en="Network meeting on heat", starts_at=start,
                       ends_at=start + datetime.timedelta(hours=2))
    registration = services.registration_create(event=event, person=person(1))
    with translation.override("en"):
        urls = [reverse("event_office:list"), reverse("event_office:overview", args=[event.pk]),
                reverse("event_office:registrations", args=[event.pk]),
                reverse("event_office:registration", args=[event.pk, registration.pk]),
                reverse("event_office:check_in", args=[event.pk]), reverse("event_office:questions", args=[event.pk])]
    created = timezone.localtime(registration.created_at)
    for url in urls:
        assert url.startswith("/en/")
        html = office.get(url).content.decode()
        assert "Network meeting on heat" in html, url
        assert "Netzwerktreffen Wärme" not in html, url
        assert f"{created:%d.%m.%Y}" not in html and "16.12.2031" not in html, url
    assert "16 December 2031" in office.get(urls[0]).content.decode()
    assert f"{created.day} {created:%B %Y}" in office.get(urls[2]).content.decode()
    # German stays German
    with translation.override("de"):
        html = office.get(reverse("event_office:list")).content.decode()
    assert "Netzwerktreffen Wärme" in html and "16. Dezember 2031" in html


def test_the_event_list_finds_an_event_by_its_english_title(office, make_event):
    make_event(title_de="Netzwerktreffen Wärme", title_en="Network meeting on heat")
    response = office.get(reverse("event_office:list"), {"q": "on heat", "when": "all"})
    assert len(response.context["page_obj"]) == 1


def test_optional_messages_are_marked_optional_once(office, queue_event):
    anders = queue_event.registrations.get(last_name="Anders")
    for url in (reverse("event_office:registration", args=[queue_event.pk, anders.pk]),
                reverse("event_office:overview", args=[queue_event.pk])):
        html = office.get(url).content.decode()
        assert "(optional)" not in html and "– optional" in html, url


def test_the_organiser_learns_how_many_people_were_told_of_a_new_place(office, make_event, person):
    event = make_event(capacity=5)
    services.registration_create(event=event, person=person(1))
    services.registration_create(event=event, person=person(2))
    response = office.post(reverse("event_office:edit", args=[event.pk]), event_data(
        title_de=event.title_de, starts_at=timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        ends_at=timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"), capacity="5",
        venue_name="Stadthaus"), follow=True)
    assert "2 angemeldete Personen bekommen die neuen Angaben per E-Mail." in (
        response.content.decode())


# ------------------------------------------------------------------ publishing and the deadline

def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_publishing_after_the_deadline_does_not_say_open(office, make_event):
    event = make_event(status=Event.Status.DRAFT,
                       registration_deadline=timezone.now() - datetime.timedelta(days=1))
    response = office.post(reverse("event_office:status", args=[event.pk]), {"status": "published"}, follow=True)
    html = response.content.decode()
    assert "offen für Anmeldungen" not in html
    assert "Die Veranstaltung ist veröffentlicht, aber niemand kann sich mehr anmelden: " \
           "Der Anmeldeschluss ist vorbei." in html
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_publishing_before_the_deadline_says_open(office, make_event):
    event = make_event(status=Event.Status.DRAFT)
    response = office.post(reverse("event_office:status", args=[event.pk]), {"status": "published"}, follow=True)
    assert "Die Veranstaltung ist veröffentlicht und offen für Anmeldungen." in response.content.decode()


def test_a_deadline_set_in_the_past_is_an_error(office, make_event):
    event = make_event()
    response = office.post(reverse("event_office:edit", args=[event.pk]), event_data(
        title_de=event.title_de, starts_at=_local(event.starts_at), ends_at=_local(event.ends_at),
        registration_deadline=_local(timezone.now() - datetime.timedelta(days=1))))
    assert response.context["form"].errors["registration_deadline"] == [
        "Der Anmeldeschluss liegt in der Vergangenheit."]


def test_an_old_event_with_its_past_deadline_can_still_be_edited(office, make_event):
    start = timezone.now() - datetime.timedelta(days=3)
    event = make_event(starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                       registration_deadline=start - datetime.timedelta(days=1))
    response = office.post(reverse("event_office:edit", args=[event.pk]), event_data(
        title_de="Netzwerktreffen (Nachlese)", starts_at=_local(event.starts_at), ends_at=_local(event.ends_at),
        registration_deadline=_local(event.registration_deadline)))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title_de == "Netzwerktreffen (Nachlese)"


# ------------------------------------------------------------------ declining

def test_the_decline_confirmation_promises_the_waitlist_only_when_someone_waits(office, make_event, person):
    event = make_event(capacity=1)
    first = services.registration_create(event=event, person=person(1))
    url = reverse("event_office:registration_action", args=[event.pk, first.pk])
    html = office.post(url, {"action": "decline"}).content.decode()
    assert "Der Platz wird frei." in html and "Warteliste" not in html.split("<h1")[1].split("</form>")[0]
    services.registration_create(event=event, person=person(2))  # waits
    html = office.post(url, {"action": "decline"}).content.decode()
    assert "Der Platz wird frei und geht an die erste Person der Warteliste." in html


def test_cancelling_the_decline_keeps_the_typed_message(office, queue_event, mailoutbox):
    anders = queue_event.registrations.get(last_name="Anders")
    url = reverse("event_office:registration_action", args=[queue_event.pk, anders.pk])
    mailoutbox.clear()
    response = office.post(url, {"action": "back", "message": "Bitte melden Sie sich im März an.",
                                 "confirm": "1"})
    assert response.status_code == 200
    assert response.context["form"]["message"].value() == "Bitte melden Sie sich im März an."
    assert "Bitte melden Sie sich im März an.</textarea>" in response.content.decode()
    anders.refresh_from_db()
    assert anders.status == "confirmed" and not mailoutbox


# ------------------------------------------------------------------ cancelling, warnings, wording

def test_cancelling_the_event_asks_for_confirmation_with_the_number_of_mails(
        office, queue_event, mailoutbox, django_capture_on_commit_callbacks):
    url = reverse("event_office:status", args=[queue_event.pk])
    mailoutbox.clear()
    response = office.post(url, {"status": "cancelled", "message": "Der Referent ist krank."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Veranstaltung absagen?" in html
    assert "5 Personen (bestätigt oder auf der Warteliste) bekommen eine E-Mail mit der Absage." in html
    assert "Der Referent ist krank.</textarea>" in html  # still editable
    queue_event.refresh_from_db()
    assert queue_event.status == Event.Status.PUBLISHED and not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(url, {"status": "cancelled", "message": "Der Referent ist krank.", "confirm": "1"})
    assert response.status_code == 302
    queue_event.refresh_from_db()
    assert queue_event.status == Event.Status.CANCELLED and len(mailoutbox) == 5


def test_the_edit_form_warns_that_a_new_time_or_place_is_mailed(office, make_event, person):
    event = make_event(capacity=1)
    html = office.get(reverse("event_office:edit", args=[event.pk])).content.decode()
    assert "Wenn Sie Zeit oder Ort ändern" not in html  # nobody registered yet
    services.registration_create(event=event, person=person(1))
    services.registration_create(event=event, person=person(2))  # waits
    html = office.get(reverse("event_office:edit", args=[event.pk])).content.decode()
    warning = "Wenn Sie Zeit oder Ort ändern, bekommen 2 angemeldete Personen die neuen Angaben per E-Mail."
    assert html.count(warning) == 2  # at the start and at the place
    draft = make_event(status=Event.Status.DRAFT)
    assert "Wenn Sie Zeit oder Ort ändern" not in office.get(
        reverse("event_office:edit", args=[draft.pk])).content.decode()


def test_the_evaluation_says_no_answers_yet_without_a_filter(office, make_event):
    from klimapakt.events.models import Question

    event = make_event()
    Question.objects.create(event=event, kind="long_text", label_de="Wünsche")
    html = office.get(reverse("event_office:evaluation", args=[event.pk])).content.decode()
    assert "Noch keine Antworten." in html and "Keine passenden Antworten." not in html
    html = office.get(reverse("event_office:evaluation", args=[event.pk]), {"q": "Kaffee"}).content.decode()
    assert "Keine passenden Antworten." in html


def test_filter_options_start_with_a_capital(office, queue_event):
    html = office.get(reverse("event_office:list")).content.decode()
    assert ">Kommende</option>" in html and ">Alle</option>" in html and ">alle<" not in html
    html = office.get(reverse("event_office:registrations", args=[queue_event.pk])).content.decode()
    assert ">Alle</option>" in html
