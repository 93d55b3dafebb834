"""Templates of the legal pages (German and English, Markdown): the imprint and the privacy
notice of the default pact (core/defaults.py), and the accessibility statement the demo adds
(core/demo.py). They name what the platform really does; whoever changes one of these facts in
the code changes the text here too (see docs/branding.md, "Legal pages"):

- cookies: the session cookie (after login, and for the map's consent), the CSRF cookie (forms),
  the messages cookie (a notice after a form); no language cookie (the language is in the address),
  no tracking, no third-party cookie;
- map tiles: loaded from the tile server only after a click on "Karte laden";
- mails: account (confirmation, password, login code), partnership, events, reports, support;
- retention: event registrations anonymised KLIMAPAKT_REGISTRATION_RETENTION_DAYS (90) days after
  the event (events_retention), closed support requests deleted after SupportSettings.retention_years
  (3) years (support_retention), an account and its data deleted on request ("Meine Daten").
Placeholders in square brackets are for the city to fill in."""

IMPRINT_DE = r"""## Anbieter

Stadt Krefeld\
Der Oberbürgermeister\
[Anschrift der Stadtverwaltung]

Die Stadt Krefeld ist eine Körperschaft des öffentlichen Rechts. Sie wird vertreten durch den Oberbürgermeister.

## Verantwortlich für den Inhalt

Geschäftsstelle Krefelder Klimapakt\
[Name der verantwortlichen Person, Anschrift]\
E-Mail: [klimapakt@krefeld.de](mailto:klimapakt@krefeld.de)

Angaben gemäß § 5 Digitale-Dienste-Gesetz (DDG) und § 18 Abs. 2 Medienstaatsvertrag (MStV).

## Umsatzsteuer-Identifikationsnummer

[USt-IdNr. der Stadt, falls vorhanden]

## Software

Diese Plattform ist freie Software (Open Source). Einträge von Klimapartnern verantworten die jeweiligen
Organisationen; für Inhalte verlinkter Seiten sind deren Anbieter verantwortlich.
"""

IMPRINT_EN = r"""## Provider

City of Krefeld\
The Lord Mayor\
[Address of the city administration]

The City of Krefeld is a public-law corporation, represented by the Lord Mayor.

## Responsible for the content

Krefeld Climate Pact office\
[Name of the responsible person, address]\
E-mail: [klimapakt@krefeld.de](mailto:klimapakt@krefeld.de)

Information pursuant to § 5 of the German Digital Services Act (DDG) and § 18 (2) of the Interstate Media Treaty
(MStV).

## VAT identification number

[The city's VAT number, if any]

## Software

This platform is free and open-source software. Entries of Klimapartner are the responsibility of the
organisations concerned; the providers of linked pages are responsible for their content.
"""

PRIVACY_DE = r"""## Verantwortliche Stelle

Stadt Krefeld, Geschäftsstelle Krefelder Klimapakt, [Anschrift], E-Mail:
[klimapakt@krefeld.de](mailto:klimapakt@krefeld.de). Die behördliche Datenschutzbeauftragte erreichen Sie unter
[Anschrift und E-Mail der oder des Datenschutzbeauftragten].

## Welche Daten wir verarbeiten und wozu

- **Konto:** E-Mail-Adresse, Name, Sprache, Passwort (nur als Hash gespeichert) und auf Wunsch ein zweiter
  Faktor für die Anmeldung. Zweck: Anmeldung und Zusammenarbeit im Klimapakt (Art. 6 Abs. 1 lit. b und e DSGVO).
- **Organisation und Klimapartnerschaft:** Angaben zu Ihrer Organisation, Mitglieder, Gesprächstermine, die
  Vereinbarung, Ziele, Energiedaten, CO₂-Bilanzen, Berichte und Maßnahmen. Öffentlich erscheinen nur
  Organisationen, die der Veröffentlichung zugestimmt haben, mit den dafür freigegebenen Angaben.
- **Veranstaltungen:** Name, E-Mail-Adresse, Organisation und Ihre Antworten bei der Anmeldung.
- **Beratungsanfragen:** Ihre Anfrage mit Anhängen; sie geht an die zuständige Beratungsstelle der
  Initialpartner.
- **Protokoll:** Die Plattform hält fest, wer wann welche Änderung vorgenommen hat (Nachvollziehbarkeit).
- **Server-Protokolle:** Beim Aufruf einer Seite verarbeitet der Server die IP-Adresse, die aufgerufene Adresse und
  die Uhrzeit, um den Betrieb zu sichern und Angriffe abzuwehren. Geheime Links (z. B. Ihr persönlicher
  Anmeldelink) werden dabei unkenntlich gemacht.

## Cookies

Wir setzen nur Cookies, die für den Betrieb nötig sind, und keine Cookies zur Analyse oder Werbung:

- **Sitzungs-Cookie** (`sessionid`): hält Sie nach der Anmeldung angemeldet; er läuft nach zwei Wochen ab oder
  wenn Sie sich abmelden.
- **CSRF-Cookie** (`csrftoken`): schützt Formulare vor Missbrauch durch fremde Seiten.
- **Hinweis-Cookie** (`messages`): zeigt nach dem Absenden eines Formulars einmal eine Bestätigung an und wird
  danach gelöscht.

Die Sprache steht in der Adresse (`/en/` für Englisch); dafür wird kein Cookie gesetzt.

## Karte

Die Karte im Verzeichnis der Klimapartner lädt Kartenbilder von einem Kartenserver
([OpenStreetMap](https://www.openstreetmap.org/copyright) oder dem von der Stadt eingestellten Server). Dabei
erfährt dieser Server Ihre IP-Adresse. Deshalb lädt die Karte erst, wenn Sie auf „Karte laden“ klicken; bis dahin
wird keine Verbindung zum Kartenserver aufgebaut. Ihre Entscheidung merkt sich Ihr Browser im Sitzungsspeicher
(`kp-map-consent`), bis Sie den Browser-Tab schließen; es wird dafür kein Cookie gesetzt. Die Liste der
Klimapartner funktioniert auch ohne Karte.

Klimapartner können den Standort ihrer Organisation auf der Karte setzen oder, wo die Stadt einen
Geocoding-Dienst eingestellt hat, aus ihrer Anschrift ermitteln lassen. Dann schickt die Plattform (nicht Ihr
Browser) nur die Anschrift der Organisation an diesen Dienst; Ihre IP-Adresse erfährt er nicht.

## E-Mails

Die Plattform schickt E-Mails nur, wenn es einen Anlass gibt: zur Bestätigung Ihrer E-Mail-Adresse, zum
Zurücksetzen des Passworts oder mit einem Anmeldecode; zu Schritten der Klimapartnerschaft (Gesprächstermine,
Vereinbarung, Gegenzeichnung); zu Veranstaltungen (Bestätigung, Warteliste, Erinnerung, Absage, Nachrichten der Veranstalter); zu Berichten
(Fristen und Erinnerungen, Rückmeldungen der Geschäftsstelle) und zu Beratungsanfragen. Einen Newsletter
verschickt die Plattform nicht. Das Logo in den E-Mails ist in der E-Mail selbst enthalten: Beim Öffnen wird nichts
von der Plattform nachgeladen, und niemand erfährt, ob oder wann Sie eine E-Mail gelesen haben.

## Einlass bei Veranstaltungen

Zu einer bestätigten Anmeldung gehört ein QR-Code für den Einlass. Er enthält einen eigenen Code, keinen
Namen und nicht Ihren persönlichen Link. Beim Einlass hält die Plattform fest, dass und wann Sie eingecheckt
wurden. Werden die Anmeldedaten anonymisiert, bleibt die Einlasszeit ohne Bezug zu Ihrer Person für die
Statistik erhalten. Wer den Einlass mit der Kamera eines
Handys prüft, dessen Browser merkt sich im Sitzungsspeicher (`kp-checkin-camera`), dass die Kamera an war; die
Bilder der Kamera werden nur im Browser ausgewertet und nicht übertragen.

## Speicherdauer

- Anmeldedaten zu Veranstaltungen werden **90 Tage nach der Veranstaltung** anonymisiert; die Zahl der
  Teilnehmenden bleibt für die Statistik erhalten.
- Abgeschlossene Beratungsanfragen werden mit ihren Anhängen **drei Jahre nach dem Abschluss** gelöscht.
- Ihr Konto und die Daten zu Ihrer Person löschen Sie jederzeit selbst unter „Meine Daten“; dort können Sie Ihre
  Daten auch herunterladen.
- Daten der Klimapartnerschaft (Vereinbarung, Berichte, Bilanzen) bewahren wir für die Laufzeit des Klimapakts auf,
  weil die Stadt die Entwicklung bis zum Zieljahr nachweisen muss.

## Ihre Rechte

Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung, Datenübertragbarkeit und
Widerspruch. Wenden Sie sich dazu an die Geschäftsstelle. Sie können sich außerdem bei der Aufsichtsbehörde
beschweren: Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen (LDI NRW),
[www.ldi.nrw.de](https://www.ldi.nrw.de).
"""

PRIVACY_EN = r"""## Controller

City of Krefeld, Krefeld Climate Pact office, [address], e-mail:
[klimapakt@krefeld.de](mailto:klimapakt@krefeld.de). You can reach the data protection officer at
[address and e-mail of the data protection officer].

## Which data we process and why

- **Account:** e-mail address, name, language, password (stored only as a hash) and, if you wish, a second factor
  for signing in. Purpose: signing in and working together in the pact (Art. 6 (1) (b) and (e) GDPR).
- **Organisation and partnership:** your organisation's details, members, appointments, the agreement, targets,
  energy data, CO₂ balances, reports and measures. Only organisations that agreed to publication appear publicly,
  with the details released for it.
- **Events:** name, e-mail address, organisation and your answers when you register.
- **Support requests:** your request with attachments; it goes to the responsible advisors of the initial partners.
- **Audit log:** the platform records who made which change and when.
- **Server logs:** when you open a page, the server processes the IP address, the address requested and the time,
  to keep the service running and to fend off attacks. Secret links (such as your personal registration link) are
  masked.

## Cookies

We only set cookies the service needs, and no cookies for analytics or advertising:

- **Session cookie** (`sessionid`): keeps you signed in; it expires after two weeks or when you sign out.
- **CSRF cookie** (`csrftoken`): protects forms against misuse by other sites.
- **Notice cookie** (`messages`): shows a confirmation once after you send a form and is then deleted.

The language is part of the address (`/en/` for English); no cookie is set for it.

## Map

The map in the partner directory loads map images from a tile server
([OpenStreetMap](https://www.openstreetmap.org/copyright) or the server the city configured), which learns your IP
address. The map therefore loads only when you click "Load map"; until then no connection to the tile server is
made. Your browser remembers your choice in its session storage (`kp-map-consent`) until you close the browser
tab; no cookie is set for it. The list of partners works without the map.

Partners can set their organisation's location on the map or, where the city configured a geocoding service, have
it found from their address. Then the platform (not your browser) sends only the organisation's address to that
service; it does not learn your IP address.

## E-mails

The platform sends e-mails only when there is a reason: to confirm your e-mail address, to reset your password or
with a sign-in code; about steps of the partnership (appointments, agreement, counter-signature); about events
(confirmation, waiting list, reminder, cancellation, messages from the organisers); about reports (deadlines, reminders, the office's feedback)
and about support requests. The platform sends no newsletter. The logo in the e-mails is part of the e-mail itself:
opening one loads nothing from the platform, and nobody learns whether or when you read an e-mail.

## Check-in at events

A confirmed registration comes with a QR code for the entrance. It holds a code of its own, no name and not your
personal link. At the entrance the platform records that and when you were checked in; once the registration
data is anonymised, the time stays for the statistics without any link to you. Whoever checks people in with a phone's camera has their browser remember in
its session storage (`kp-checkin-camera`) that the camera was on; the camera's pictures are analysed in the
browser only and never sent.

## Retention

- Event registration data is anonymised **90 days after the event**; the number of participants is kept for
  statistics.
- Closed support requests are deleted with their attachments **three years after they were closed**.
- You can delete your account and your personal data yourself at any time under "My data", where you can also
  download them.
- Partnership data (agreement, reports, balances) is kept for the term of the pact, because the city has to show
  the progress up to the target year.

## Your rights

You have the right of access, rectification, erasure, restriction of processing, data portability and objection.
Please contact the pact office. You may also lodge a complaint with the supervisory authority: the State
Commissioner for Data Protection and Freedom of Information of North Rhine-Westphalia (LDI NRW),
[www.ldi.nrw.de](https://www.ldi.nrw.de).
"""

ACCESSIBILITY_SLUG = "barrierefreiheit"
ACCESSIBILITY_TITLE_DE = "Erklärung zur Barrierefreiheit"
ACCESSIBILITY_TITLE_EN = "Accessibility statement"
ACCESSIBILITY_LEAD_DE = ("Die Stadt Krefeld ist bemüht, diese Plattform im Einklang mit dem Behindertengleichstellungsgesetz "
                         "Nordrhein-Westfalen (BGG NRW) und der Barrierefreie-Informationstechnik-Verordnung NRW "
                         "(BITV NRW) barrierefrei zugänglich zu machen.")
ACCESSIBILITY_LEAD_EN = ("The City of Krefeld endeavours to make this platform accessible in accordance with the "
                         "Disability Equality Act of North Rhine-Westphalia (BGG NRW) and the Accessible Information "
                         "Technology Ordinance NRW (BITV NRW).")

ACCESSIBILITY_DE = r"""Diese Erklärung gilt für die Plattform des Krefelder Klimapakts unter dieser Adresse.

## Stand der Vereinbarkeit mit den Anforderungen

Diese Plattform ist wegen der unten genannten Einschränkungen **teilweise mit der BITV 2.0 vereinbar**. Maßstab
sind die Anforderungen der europäischen Norm EN 301 549 und der Web Content Accessibility Guidelines (WCAG) 2.1
auf der Stufe AA.

## Nicht barrierefreie Inhalte

- **PDF-Dokumente:** Die Vereinbarung, die Urkunde und die Berichte als PDF sind noch nicht vollständig
  barrierefrei (keine vollständige Auszeichnung als getaggtes PDF). Die Inhalte stehen gleichwertig auf den
  Seiten der Plattform zur Verfügung.
- **Hochgeladene Dokumente:** Dokumente, die die Geschäftsstelle oder Dritte hochladen, sind nicht immer
  barrierefrei.
- **Karte:** Die Karte im Verzeichnis der Klimapartner ist mit der Tastatur nur eingeschränkt bedienbar. Alle
  Angaben stehen auch in der Liste der Klimapartner.
- **Diagramme:** Diagramme zur CO₂-Bilanz sind für Screenreader nur über die Tabelle mit denselben Werten
  zugänglich, die neben jedem Diagramm steht.
- **Englische Fassung:** Nicht alle Texte, die die Geschäftsstelle pflegt, liegen auf Englisch vor.

## Erstellung dieser Erklärung

Diese Erklärung wurde am [Datum] erstellt. Grundlage ist eine **Selbstbewertung**: automatische Prüfungen jeder
Seite mit axe-core bei jeder Änderung der Software sowie Prüfungen mit Tastatur und Screenreader. Die Erklärung
wurde zuletzt am [Datum] überprüft.

## Barrieren melden: Kontakt zur Feedback-Stelle

Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Oder brauchen Sie Informationen aus einem Dokument in
barrierefreier Form? Dann schreiben Sie uns:

Geschäftsstelle Krefelder Klimapakt\
E-Mail: [klimapakt@krefeld.de](mailto:klimapakt@krefeld.de)\
Telefon: [Telefonnummer]

Wir antworten Ihnen innerhalb von sechs Wochen.

## Schlichtungsverfahren und Durchsetzungsverfahren

Wenn wir Ihnen nicht zufriedenstellend antworten, können Sie sich an die **Ombudsstelle für barrierefreie
Informationstechnik NRW** wenden. Sie vermittelt zwischen Ihnen und der öffentlichen Stelle, um eine Lösung zu
finden (Schlichtungsverfahren nach § 10e BGG NRW). Das Verfahren ist kostenlos; Sie brauchen keinen Rechtsbeistand.

Ombudsstelle für barrierefreie Informationstechnik bei der Beauftragten der Landesregierung für Menschen mit
Behinderung sowie für Patientinnen und Patienten in Nordrhein-Westfalen\
[Anschrift und E-Mail-Adresse der Ombudsstelle, vor der Veröffentlichung zu prüfen]\
Internet: [www.lbb.nrw.de](https://www.lbb.nrw.de)

Bleibt die Schlichtung ohne Ergebnis, können Sie Ihre Rechte über die Überwachungsstelle des Landes und
gegebenenfalls vor Gericht durchsetzen (Durchsetzungsverfahren).
"""

ACCESSIBILITY_EN = r"""This statement applies to the Krefeld Climate Pact platform at this address.

## Compliance status

Because of the limitations listed below, this platform is **partially compliant with BITV 2.0**. The standard is the
European norm EN 301 549 and the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA.

## Content that is not accessible

- **PDF documents:** the agreement, the certificate and the reports as PDF are not yet fully accessible (not fully
  tagged). The same content is available on the platform's pages.
- **Uploaded documents:** documents uploaded by the pact office or others are not always accessible.
- **Map:** the map in the partner directory can be used with the keyboard only to a limited extent. All details are
  also in the list of partners.
- **Charts:** screen reader users reach the figures of the CO₂ balance charts through the table with the same values
  next to each chart.
- **English version:** not every text the pact office maintains is available in English.

## Preparation of this statement

This statement was prepared on [date]. It is based on a **self-assessment**: automated checks of every page with
axe-core on every change of the software, and checks with keyboard and screen reader. It was last reviewed on
[date].

## Feedback and contact

Have you noticed barriers? Do you need information from a document in an accessible form? Please write to us:

Krefeld Climate Pact office\
E-mail: [klimapakt@krefeld.de](mailto:klimapakt@krefeld.de)\
Phone: [phone number]

We answer within six weeks.

## Conciliation and enforcement procedure

If our answer does not satisfy you, you can turn to the **Ombudsstelle für barrierefreie Informationstechnik NRW**
(ombudsman for accessible information technology of North Rhine-Westphalia). It mediates between you and the public
body to find a solution (conciliation procedure under § 10e BGG NRW). The procedure is free of charge; you need no
legal representation.

Ombudsstelle für barrierefreie Informationstechnik bei der Beauftragten der Landesregierung für Menschen mit
Behinderung sowie für Patientinnen und Patienten in Nordrhein-Westfalen\
[Address and e-mail of the Ombudsstelle, to be checked before publication]\
Web: [www.lbb.nrw.de](https://www.lbb.nrw.de)

If conciliation fails, you can enforce your rights through the state's monitoring body and, if necessary, in court
(enforcement procedure).
"""


def _hard_breaks(text: str) -> str:
    """A line ending in a backslash (addresses) keeps its line break in Markdown ("  " + newline);
    written as a backslash here because trailing spaces vanish in editors."""
    return text.replace("\\\n", "  \n")


IMPRINT_DE, IMPRINT_EN = _hard_breaks(IMPRINT_DE), _hard_breaks(IMPRINT_EN)
PRIVACY_DE, PRIVACY_EN = _hard_breaks(PRIVACY_DE), _hard_breaks(PRIVACY_EN)
ACCESSIBILITY_DE, ACCESSIBILITY_EN = _hard_breaks(ACCESSIBILITY_DE), _hard_breaks(ACCESSIBILITY_EN)
