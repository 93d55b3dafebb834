"""Demo offers of the six initial partners (fictitious, in German and English), the demo
routing rules, and the two support questions of the events demo's kick-off workshop.
Idempotent: what exists (by institution and title, by rule, by question) is kept."""

from __future__ import annotations

from klimapakt.core.models import InitialPartner

from .models import Offer, RoutingRule, Topic
from .services.offers import offer_create
from .services.settings import routing_rule_save

K = Offer.Kind

# short_name of the institution -> offers (the fields of services.offers.offer_create).
OFFERS: dict[str, list[dict]] = {
    "IHK": [
        {"kind": K.FIRST_ADVICE, "title_de": "Erstberatung Energieeffizienz",
         "title_en": "First consultation on energy efficiency",
         "summary_de": "In einem Gespräch von rund zwei Stunden schauen wir gemeinsam auf Ihren Energieverbrauch "
                       "und zeigen die ersten Schritte zu weniger Kosten und weniger CO₂.",
         "summary_en": "In a conversation of about two hours we look at your energy use together and show the "
                       "first steps towards lower costs and lower emissions.",
         "benefits_de": "- eine Einschätzung Ihrer größten Verbraucher\n- drei bis fünf Maßnahmen mit grober "
                        "Wirtschaftlichkeit\n- passende Förderprogramme und Ansprechpersonen",
         "benefits_en": "- an assessment of your largest consumers\n- three to five measures with a rough "
                        "payback estimate\n- suitable funding programmes and contacts",
         "requirements_de": "Strom- und Gasrechnungen der letzten zwölf Monate, eine Übersicht Ihrer Gebäude "
                            "und Anlagen.",
         "requirements_en": "Electricity and gas bills of the last twelve months, an overview of your buildings "
                            "and equipment.",
         "size_classes": ["micro", "small", "medium"], "languages": ["de", "en"],
         "contact_name": "Katrin Beispiel", "contact_email": "energie@ihk.example", "contact_phone": "02151 635-0",
         "position": 1},
        {"kind": K.ENERGY_SCOUTS, "title_de": "Energie-Scouts: Auszubildende finden Einsparpotenziale",
         "title_en": "Energy scouts: apprentices find savings",
         "summary_de": "Ihre Auszubildenden lernen in drei Workshops, Energieverschwendung im Betrieb aufzuspüren, "
                       "und setzen ein eigenes Projekt um.",
         "summary_en": "Your apprentices learn in three workshops how to track down wasted energy at work and "
                       "carry out a project of their own.",
         "benefits_de": "Schulung, Messkoffer zum Ausleihen, Teilnahme am regionalen Wettbewerb der Energie-Scouts.",
         "benefits_en": "Training, measuring kit on loan, entry into the regional energy scouts competition.",
         "requirements_de": "Zwei bis vier Auszubildende und eine betreuende Person, etwa sechs Monate Zeit.",
         "requirements_en": "Two to four apprentices and a supervisor, about six months.",
         "audience": Offer.Audience.PARTNERS, "is_free": False,
         "price_de": "150 Euro je Auszubildender oder Auszubildendem", "price_en": "150 euros per apprentice",
         "languages": ["de"], "contact_email": "ausbildung@ihk.example", "position": 2},
    ],
    "HWK": [
        {"kind": K.FUNDING, "title_de": "Fördermittelberatung für Handwerksbetriebe",
         "title_en": "Funding advice for craft businesses",
         "summary_de": "Welche Programme von Bund und Land passen zu Ihrer Investition? Wir prüfen die "
                       "Förderfähigkeit und begleiten den Antrag.",
         "summary_en": "Which federal and state programmes fit your investment? We check eligibility and help "
                       "with the application.",
         "benefits_de": "Eine Übersicht passender Programme und Hilfe beim Antrag, bevor Sie Aufträge vergeben.",
         "benefits_en": "An overview of suitable programmes and help with the application before you place orders.",
         "requirements_de": "Eine Beschreibung des Vorhabens und, wenn vorhanden, erste Angebote.",
         "requirements_en": "A description of the project and, if available, first quotes.",
         "size_classes": ["micro", "small"], "languages": ["de", "tr"],
         "contact_name": "Stefan Muster", "contact_email": "foerderung@hwk.example", "position": 1},
        {"kind": K.SITE_CHECK, "title_de": "Vor-Ort-Check Energie im Handwerksbetrieb",
         "title_en": "On-site energy check for craft businesses",
         "summary_de": "Unsere Beraterin kommt in Ihre Werkstatt, misst nach und zeigt, wo Druckluft, Wärme und "
                       "Licht Geld kosten.",
         "summary_en": "Our advisor visits your workshop, takes measurements and shows where compressed air, heat "
                       "and lighting cost money.",
         "benefits_de": "Ein kurzer Bericht mit Maßnahmen und geschätzter Einsparung.",
         "benefits_en": "A short report with measures and estimated savings.",
         "requirements_de": "Einen Termin von etwa drei Stunden und Zugang zu Zählern und Anlagen.",
         "requirements_en": "An appointment of about three hours and access to meters and equipment.",
         "sectors": ["C", "F", "G", "S"], "languages": ["de"], "contact_email": "vor-ort@hwk.example",
         "contact_phone": "0211 8795-0", "position": 2},
    ],
    "KH": [
        {"kind": K.NETWORK, "title_de": "Netzwerk Klimaschutz im Handwerk",
         "title_en": "Climate action network for craft businesses",
         "summary_de": "Betriebe der Innungen tauschen sich viermal im Jahr über Erfahrungen mit Wärmepumpen, "
                       "Photovoltaik und E-Fahrzeugen aus.",
         "summary_en": "Businesses of the guilds meet four times a year to share experience with heat pumps, "
                       "photovoltaics and electric vehicles.",
         "benefits_de": "Erfahrungen aus anderen Betrieben, Besichtigungen, kurze Impulse von Fachleuten.",
         "benefits_en": "Experience from other businesses, site visits, short talks by experts.",
         "requirements_de": "Interesse und die Bereitschaft, eigene Erfahrungen zu teilen.",
         "requirements_en": "Interest and willingness to share your own experience.",
         "size_classes": ["micro", "small"], "languages": ["de"], "contact_name": "Ines Innung",
         "contact_email": "netzwerk@kh.example", "position": 1},
    ],
    "HSNR": [
        {"kind": K.CLIMATE_CONCEPT, "title_de": "Kostenfreies betriebliches Klimaschutzkonzept für KMU",
         "title_en": "Free climate action plan for SMEs",
         "summary_de": "Studierende erstellen im Rahmen einer Projektarbeit unter fachlicher Betreuung eine "
                       "CO₂-Bilanz und ein Klimaschutzkonzept für Ihr Unternehmen.",
         "summary_en": "Students, supervised by our staff, prepare a carbon footprint and a climate action plan "
                       "for your company as a project.",
         "benefits_de": "- eine CO₂-Bilanz nach GHG Protocol (Scope 1 und 2)\n- ein Maßnahmenplan mit Prioritäten\n"
                        "- eine Abschlusspräsentation in Ihrem Betrieb",
         "benefits_en": "- a carbon footprint following the GHG Protocol (scopes 1 and 2)\n- a prioritised action "
                        "plan\n- a final presentation at your company",
         "requirements_de": "Verbrauchsdaten eines Jahres, eine feste Ansprechperson, etwa ein Semester Zeit "
                            "(Start im März oder Oktober).",
         "requirements_en": "Consumption data for one year, a named contact person, about one semester (starting "
                            "in March or October).",
         "size_classes": ["small", "medium"], "languages": ["de", "en"], "contact_name": "Prof. Dr. Lara Labor",
         "contact_email": "klimaschutz@hsnr.example", "position": 1},
    ],
    "WFG": [
        {"kind": K.FUNDING, "title_de": "Fördermittellotse", "title_en": "Funding pilot",
         "summary_de": "Der Fördermittellotse der Wirtschaftsförderung findet das passende Programm für Ihre "
                       "Klimaschutzinvestition – von der Beratung bis zum Kredit.",
         "summary_en": "The funding pilot of the business development agency finds the right programme for your "
                       "climate investment, from advice to loans.",
         "benefits_de": "Ein persönliches Gespräch und eine schriftliche Übersicht passender Programme.",
         "benefits_en": "A personal meeting and a written overview of suitable programmes.",
         "requirements_de": "Eine kurze Beschreibung der geplanten Investition.",
         "requirements_en": "A short description of the planned investment.",
         "languages": ["de", "en", "nl"], "contact_name": "Jan Lotse", "contact_email": "lotse@wfg.example",
         "contact_phone": "02151 82074-0", "position": 1},
        {"kind": K.FIRST_ADVICE, "title_de": "Flächen und Standorte für Photovoltaik und Ladeinfrastruktur",
         "title_en": "Sites for photovoltaics and charging infrastructure",
         "summary_de": "Wir beraten zu Dachflächen, Freiflächen und Netzanschluss und vermitteln Kontakte zum "
                       "Netzbetreiber.",
         "summary_en": "We advise on roof and open spaces and grid connection and put you in touch with the grid "
                       "operator.",
         "sectors": ["C", "G", "H"], "languages": ["de"], "contact_email": "standorte@wfg.example", "position": 2},
    ],
    "Stadt": [
        {"kind": K.NETWORK, "title_de": "Netzwerktreffen des Klimapakts", "title_en": "Climate pact network meetings",
         "summary_de": "Das Klimaschutzmanagement der Stadt lädt die Klimapartner regelmäßig zum Austausch mit "
                       "Impulsvortrag ein.",
         "summary_en": "The city's climate management team regularly invites the climate partners to meet and "
                       "hear a short talk.",
         "benefits_de": "Austausch mit anderen Klimapartnern, aktuelle Informationen aus Stadt und Land.",
         "benefits_en": "Exchange with other climate partners, news from the city and the state.",
         "audience": Offer.Audience.PARTNERS, "languages": ["de"], "contact_email": "klimapakt@stadt.example",
         "position": 1},
        {"kind": K.OTHER, "title_de": "Klimaschutzmanagement: Hilfe bei Bilanz und Berichten",
         "title_en": "Climate management: help with your balance and reports",
         "summary_de": "Fragen zur CO₂-Bilanz, zum Ausgangsbericht oder zum Monitoringbericht? Das "
                       "Klimaschutzmanagement der Stadt hilft weiter.",
         "summary_en": "Questions about your carbon balance, the baseline report or the monitoring report? The "
                       "city's climate management team helps.",
         "benefits_de": "Antworten per E-Mail oder Telefon, auf Wunsch ein Termin im Rathaus.",
         "benefits_en": "Answers by e-mail or phone, an appointment at the town hall on request.",
         "requirements_de": "Ihr Konto auf der Plattform und, wenn vorhanden, Ihre Energiedaten.",
         "requirements_en": "Your account on the platform and, if available, your energy data.",
         "audience": Offer.Audience.PARTNERS, "languages": ["de", "en"], "contact_name": "Greta Grün",
         "contact_email": "klimapakt@stadt.example", "contact_phone": "02151 86-0", "position": 2},
    ],
}

# (short_name, conditions) in order: the first matching rule receives a request without an offer.
ROUTING_RULES = [
    ("KH", {"craft_business": True}),
    ("WFG", {"topic": Topic.FUNDING}),
    ("Stadt", {"topic": Topic.REPORTING}),
]

SUPPORT_NEED = {
    "label_de": "Wobei wünschen Sie sich Unterstützung?",
    "label_en": "Where would you like support?",
    "help_de": "Die Initialpartner bieten Beratung zu diesen Themen an.",
    "help_en": "The initial partners offer advice on these topics.",
    "choices_de": "Wärme\nStrom\nMobilität\nGebäude\nFördermittel\nBilanz und Berichte\nSonstiges",
    "choices_en": "Heat\nElectricity\nMobility\nBuildings\nFunding\nBalance and reports\nOther",
}
SUPPORT_CONSENT = {
    "label_de": "Darf die Geschäftsstelle aus Ihrer Antwort eine Beratungsanfrage für Ihre Organisation "
                "vorbereiten?",
    "label_en": "May the pact office prepare an advice request for your organisation from your answer?",
    "help_de": "Sie sehen die vorbereitete Anfrage in Ihrem Bereich und entscheiden, ob Sie sie senden.",
    "help_en": "You will find the prepared request in your area and decide whether to send it.",
}
# Kick-off registrations' answers: (choices of SUPPORT_NEED, consent), in the order of the registrations.
KICKOFF_SUPPORT_ANSWERS = [([0, 4], True), ([0, 3, 4], True), ([2, 1], False)]


def _partners(pact) -> dict[str, InitialPartner]:
    return {p.short_name: p for p in InitialPartner.objects.filter(pact=pact)}


def load_offers(pact) -> None:
    partners = _partners(pact)
    existing = set(Offer.objects.filter(pact=pact).values_list("institution_id", "title_de"))
    for short_name, offers in OFFERS.items():
        institution = partners.get(short_name)
        if institution is None:
            continue
        for fields in offers:
            if (institution.pk, fields["title_de"]) not in existing:
                offer_create(pact=pact, actor=None, institution=institution, **fields)


def load_routing_rules(pact) -> None:
    partners = _partners(pact)
    for position, (short_name, conditions) in enumerate(ROUTING_RULES, start=1):
        institution = partners.get(short_name)
        if institution is None or RoutingRule.objects.filter(pact=pact, institution=institution,
                                                             **conditions).exists():
            continue
        routing_rule_save(pact=pact, actor=None, institution=institution, position=position * 10, **conditions)


def load_kickoff_questions(pact) -> None:
    """The kick-off workshop's questions on support needs (events/demo.py makes the workshop)."""
    from klimapakt.events.demo import KICKOFF_TITLE
    from klimapakt.events.models import Answer, Event, Question

    event = Event.objects.filter(pact=pact, title_de=KICKOFF_TITLE).first()
    if event is None or event.questions.filter(role=Question.Role.SUPPORT_NEED).exists():
        return
    position = (event.questions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    need = Question.objects.create(event=event, position=position, kind=Question.Kind.MULTIPLE_CHOICE,
                                   role=Question.Role.SUPPORT_NEED, **SUPPORT_NEED)
    consent = Question.objects.create(event=event, position=position + 1, kind=Question.Kind.YES_NO,
                                      role=Question.Role.SUPPORT_CONSENT, **SUPPORT_CONSENT)
    registrations = list(event.registrations.order_by("created_at", "pk")[:len(KICKOFF_SUPPORT_ANSWERS)])
    answers = []
    for registration, (choices, agreed) in zip(registrations, KICKOFF_SUPPORT_ANSWERS, strict=False):
        answers.append(Answer(registration=registration, question=need, choices=choices))
        answers.append(Answer(registration=registration, question=consent, boolean=agreed))
    Answer.objects.bulk_create(answers)


def load(pact) -> None:
    load_offers(pact)
    load_routing_rules(pact)
    load_kickoff_questions(pact)
