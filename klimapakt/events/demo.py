"""Demo events: the 2022 kick-off workshop of the Krefeld pact (archive, with its six workshop
questions and a few invented answers) and upcoming network meetings relative to today,
some nearly full, one with a waitlist. Idempotent."""

import datetime
import random

from django.utils import timezone

from klimapakt.core.models import InitialPartner

from .models import CONSENT_VERSION, AgendaItem, Answer, Event, Question, Registration
from .services import recount_events

KICKOFF_TITLE = "Auftaktworkshop Krefelder Klimapakt"

KICKOFF_DESCRIPTION = (
    "In einem Workshop sollen Unternehmen frühzeitig in den Prozess eingebunden werden. Interessierte "
    "Unternehmerinnen und Unternehmer sind eingeladen, in die Volkshochschule Krefeld zu kommen. Dort werden "
    "die Idee und die Hintergründe des Klimapaktes vorgestellt, ebenso der aktuelle Stand der Umsetzung.\n\n"
    "Die Stadt und die Initialpartner laden interessierte Unternehmen herzlich zur Teilnahme am Workshop ein. "
    "Bei Überschreitung der räumlichen Kapazitäten behalten wir uns vor, die Teilnehmendenzahl zu beschränken.\n\n"
    "Wir freuen uns auf Ihr Kommen!"
)
KICKOFF_DESCRIPTION_EN = (
    "A workshop to involve companies early in the process: the idea and background of the climate pact and "
    "the current state of its implementation are presented at the Volkshochschule (adult education centre) "
    "Krefeld. The city and the initial partners warmly invite interested companies."
)

KICKOFF_AGENDA = [
    ("Wofür braucht es einen Klimapakt?", "Why do we need a climate pact?"),
    ("Übersicht über aktuelle gesetzliche Lage/Rahmenbedingungen mit Blick in die Zukunft",
     "Overview of the current legal situation and framework, with a look ahead"),
    ("Was kann der Klimapakt leisten? - Inhalte und Vorteile für die Klimapartner",
     "What can the climate pact achieve? Contents and benefits for the climate partners"),
    ("Ablauf - auf dem Weg zur Klimapartnerschaft (Vorstellung der Entwurfsvorlagen)",
     "Procedure: on the way to the climate partnership (presentation of the draft documents)"),
    ("Workshopsession - Ihre Erwartungen an die Klimapartnerschaft",
     "Workshop session: your expectations of the climate partnership"),
]

KICKOFF_QUESTIONS = [
    ("Was machen Sie derzeit schon?", "What are you already doing?"),
    ("Wo wollen Sie hin?", "Where do you want to go?"),
    ("Was können Sie leisten? (Vereinbarung und Monitoring)", "What can you contribute? (Agreement and monitoring)"),
    ("Welche inhaltlichen Informations- und Beratungsbedarfe haben Sie?",
     "What information and advice do you need on the subject?"),
    ("Welche Vorteile erkennen Sie? Welche Vorteile würden Sie sich ergänzend wünschen?",
     "Which benefits do you see? Which additional benefits would you like?"),
    ("Was erwarten Sie konkret von der Stadt Krefeld und von den Initialpartnern?",
     "What exactly do you expect from the City of Krefeld and the initial partners?"),
]

KICKOFF_ANSWERS = [
    ("Textilveredelung Lindenhof GmbH", "Lea", "Lindner", [
        "LED-Umrüstung der Hallen 2021, Wärmerückgewinnung an der Spannrahmenanlage.",
        "Klimaneutrale Produktion bis 2035, Zwischenziel minus 40 % bis 2028.",
        "Jährliche Energiedaten ja; ein Monitoringbericht alle zwei Jahre ist machbar.",
        "Fördermittel für Prozesswärme, Beratung zur Scope-3-Bilanz.",
        "Sichtbarkeit gegenüber Kunden; ergänzend gemeinsame Einkaufsgemeinschaft für Ökostrom.",
        "Verlässliche Ansprechpersonen und schnelle Genehmigungen für PV-Dachanlagen."]),
    ("Bäckerei Kornblume", "Jonas", "Becker", [
        "Umstellung auf Ökostrom, Lieferfahrten gebündelt.",
        "Neuer Backofen mit Wärmepumpe in den nächsten fünf Jahren.",
        "Eine kleine Bilanz können wir leisten, wenn es eine einfache Vorlage gibt.",
        "Was kostet eine Wärmepumpe für Backöfen? Welche Förderprogramme gibt es?",
        "Austausch mit anderen Handwerksbetrieben.",
        "Eine einfache Plattform statt Formularen per E-Mail."]),
    ("Rheinhafen Logistik KG", "Miriam", "Hoffmann", [
        "Erste E-Stapler, Photovoltaik auf dem Lager in Planung.",
        "Flotte bis 2030 zur Hälfte elektrisch.",
        "Monitoring über unser Energiemanagement nach ISO 50001.",
        "Ladeinfrastruktur für Lkw, Netzanschluss.",
        "Netzwerk und gemeinsamer Auftritt.",
        "Unterstützung beim Netzbetreiber, Flächen für Ladeparks."]),
]

MEETINGS = [
    # weeks from today, title, capacity, confirmed, waitlisted, audience, limit per organisation
    (2, "Netzwerktreffen: Energiedaten erfassen und die erste CO₂-Bilanz", "Network meeting: collecting energy data "
     "and the first CO₂ balance", 30, 27, 0, Event.Audience.OPEN, None),
    (5, "Netzwerktreffen: Photovoltaik im Betrieb", "Network meeting: photovoltaics in your business", 20, 20, 4,
     Event.Audience.OPEN, 3),
    (9, "Netzwerktreffen: Klimaschutz in der Lieferkette (für Klimapartner)", "Network meeting: climate action "
     "in the supply chain (for climate partners)", 25, 9, 0, Event.Audience.PARTNERS, 2),
    (14, "Workshop: Förderprogramme für den Mittelstand", "Workshop: funding programmes for SMEs", 40, 38, 0,
     Event.Audience.OPEN, None),
]

FIRST = ["Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hannah", "Ilias", "Jana", "Karl", "Lena",
         "Mehmet", "Nora", "Oskar", "Paula", "Rosa", "Sami", "Tom", "Ute"]
LAST = ["Schmitz", "Müller", "Peters", "Hoffmann", "Yilmaz", "Jansen", "Weber", "Kaiser", "Brandt", "Wolters"]
ORGS = ["Alpha Bäckerei GmbH", "Niederrhein Metall KG", "Druckerei am Ostwall", "Stadtwerke-Partner e. V.",
        "Seidenweberei Uerdingen", "Krefelder Kälte- und Klimatechnik", "Hofladen Forstwald", "IT-Haus Bockum"]


DEMO_MEETING_URL = "https://konferenz.beispiel.example/klimapakt-netzwerk"


def _dt(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def _people(event: Event, confirmed: int, waitlisted: int, rng: random.Random) -> None:
    rows = []
    for i in range(confirmed + waitlisted):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7 + event.pk) % len(LAST)]
        rows.append(Registration(
            event=event, status=Registration.Status.CONFIRMED if i < confirmed else Registration.Status.WAITLISTED,
            waitlist_order=None if i < confirmed else i - confirmed + 1, first_name=first, last_name=last,
            email=f"{first}.{last}.{i}@beispiel.example".lower().replace("ü", "ue"), organisation=ORGS[i % len(ORGS)],
            language="de" if i % 5 else "en", consent_version=CONSENT_VERSION, consent_at=timezone.now()))
    Registration.objects.bulk_create(rows)


def load(pact) -> None:
    if Event.objects.filter(pact=pact, title_de=KICKOFF_TITLE).exists():
        return
    Event.objects.filter(pact=pact).delete()  # the stub events of the foundation
    rng = random.Random(2022)
    partners = list(InitialPartner.objects.filter(pact=pact))
    city = next((p for p in partners if p.kind == InitialPartner.Kind.CITY), partners[0] if partners else None)
    ihk = next((p for p in partners if p.short_name == "IHK"), None)

    kickoff = Event.objects.create(
        pact=pact, kind=Event.Kind.WORKSHOP, status=Event.Status.CLOSED, title_de=KICKOFF_TITLE,
        title_en="Kick-off workshop of the Krefeld Climate Pact", description_de=KICKOFF_DESCRIPTION,
        description_en=KICKOFF_DESCRIPTION_EN,
        starts_at=_dt(datetime.date(2022, 8, 8), 13), ends_at=_dt(datetime.date(2022, 8, 8), 17),
        registration_deadline=_dt(datetime.date(2022, 8, 5), 12),
        venue_name="Volkshochschule Krefeld", venue_address="Von-der-Leyen-Platz 2, 47798 Krefeld", capacity=60)
    kickoff.organisers.set(partners)
    AgendaItem.objects.bulk_create([AgendaItem(event=kickoff, position=i, title_de=de, title_en=en)
                                    for i, (de, en) in enumerate(KICKOFF_AGENDA)])
    questions = Question.objects.bulk_create([
        Question(event=kickoff, position=i + 1, kind=Question.Kind.LONG_TEXT, label_de=de, label_en=en)
        for i, (de, en) in enumerate(KICKOFF_QUESTIONS)])
    questions = list(Question.objects.filter(event=kickoff).order_by("position"))
    attended_at = _dt(datetime.date(2022, 7, 20), 10)
    for i, (org, first, last, answers) in enumerate(KICKOFF_ANSWERS):
        registration = Registration.objects.create(
            event=kickoff, status=Registration.Status.CONFIRMED, first_name=first, last_name=last,
            email=f"{first}.{last}@beispiel.example".lower(), organisation=org, attended=True,
            consent_version="2022-07-01", consent_at=attended_at, created_at=attended_at + datetime.timedelta(hours=i))
        Answer.objects.bulk_create([Answer(registration=registration, question=q, text=text)
                                    for q, text in zip(questions, answers, strict=True)])

    today = timezone.localdate()
    for weeks, title_de, title_en, capacity, confirmed, waitlisted, audience, per_org in MEETINGS:
        day = today + datetime.timedelta(weeks=weeks)
        day += datetime.timedelta(days=(2 - day.weekday()) % 7)  # on a Wednesday
        event = Event.objects.create(
            pact=pact, kind=Event.Kind.WORKSHOP if title_de.startswith("Workshop") else Event.Kind.NETWORK_MEETING,
            status=Event.Status.PUBLISHED, title_de=title_de, title_en=title_en, audience=audience,
            description_de="Austausch unter Klimapartnern mit einem kurzen Impulsvortrag und Zeit für Fragen. "
                           "Für Getränke ist gesorgt.",
            description_en="Exchange among climate partners with a short talk and time for questions.",
            starts_at=_dt(day, 16), ends_at=_dt(day, 18), registration_deadline=_dt(day - datetime.timedelta(days=2), 12),
            venue_name="Rathaus Krefeld, Ratssaal", venue_address="Von-der-Leyen-Platz 1, 47798 Krefeld",
            capacity=capacity, per_organisation_limit=per_org,
            # The last meeting is hybrid: confirmed people see the (invented) meeting link.
            **({"format": Event.Format.HYBRID, "meeting_url": DEMO_MEETING_URL}
               if (weeks, title_de) == MEETINGS[-1][:2] else {}))
        event.organisers.set([p for p in (city, ihk) if p])
        AgendaItem.objects.bulk_create([
            AgendaItem(event=event, position=0, title_de="Begrüßung und Vorstellungsrunde", title_en="Welcome"),
            AgendaItem(event=event, position=1, title_de="Impulsvortrag", title_en="Keynote"),
            AgendaItem(event=event, position=2, title_de="Austausch an Thementischen", title_en="Themed tables")])
        Question.objects.bulk_create([
            Question(event=event, position=1, kind=Question.Kind.SINGLE_CHOICE, required=True,
                     label_de="Wie viele Beschäftigte hat Ihre Organisation?",
                     label_en="How many people work in your organisation?",
                     choices_de="bis 9\n10 bis 49\n50 bis 249\n250 und mehr",
                     choices_en="up to 9\n10 to 49\n50 to 249\n250 or more"),
            Question(event=event, position=2, kind=Question.Kind.MULTIPLE_CHOICE,
                     label_de="Welche Themen interessieren Sie?", label_en="Which topics interest you?",
                     choices_de="Energiedaten\nPhotovoltaik\nMobilität\nFörderung",
                     choices_en="Energy data\nPhotovoltaics\nMobility\nFunding"),
            Question(event=event, position=3, kind=Question.Kind.YES_NO, label_de="Sind Sie bereits Klimapartner?",
                     label_en="Are you already a climate partner?"),
            Question(event=event, position=4, kind=Question.Kind.SHORT_TEXT, label_de="Ihre Frage an die Referentin",
                     label_en="Your question for the speaker"),
        ])
        _people(event, confirmed, waitlisted, rng)
        qs = list(event.questions.all())
        answers = []
        for r in event.registrations.all():
            answers.append(Answer(registration=r, question=qs[0], choices=[rng.randrange(4)]))
            answers.append(Answer(registration=r, question=qs[1], choices=sorted(rng.sample(range(4), rng.randint(1, 3)))))
            answers.append(Answer(registration=r, question=qs[2], boolean=rng.random() < 0.5))
        Answer.objects.bulk_create(answers)
    # A draft the pact office is still preparing.
    day = today + datetime.timedelta(weeks=20)
    draft = Event.objects.create(
        pact=pact, kind=Event.Kind.NETWORK_MEETING, status=Event.Status.DRAFT,
        title_de="Netzwerktreffen: Wärmepumpen in Gewerbebauten", starts_at=_dt(day, 16), ends_at=_dt(day, 18),
        venue_name="Hochschule Niederrhein", venue_address="Reinarzstraße 49, 47805 Krefeld", capacity=30)
    draft.organisers.set([p for p in partners if p.kind == InitialPartner.Kind.UNIVERSITY] or partners[:1])
    recount_events()
