"""Krefeld's pact: the shipped default configuration (DESIGN.md §1, §2 and the city's page
of 2022 in shared/reference). Another city changes these values in the back office or
loads its own file with `manage.py load_default_pact --file city.json`."""

import datetime

from .legal_texts import IMPRINT_DE, IMPRINT_EN, PRIVACY_DE, PRIVACY_EN

KREFELD = {
    "city": "Krefeld",
    "name_de": "Krefelder Klimapakt",
    "name_en": "Krefeld Climate Pact",
    "decided_on": datetime.date(2021, 2, 18),
    "target_year": 2035,
    "monitoring_interval_years": 2,
    "baseline_report_due_months": 12,
    "first_monitoring_year": 2025,
    "contact_email": "klimapakt@krefeld.de",
    "office_name_de": "Geschäftsstelle Krefelder Klimapakt, Stadt Krefeld",
    "office_name_en": "Krefeld Climate Pact office, City of Krefeld",
    # Postal codes of the city of Krefeld.
    "postal_codes": "47798, 47799, 47800, 47802, 47803, 47804, 47805, 47806, 47807, 47809, 47829, 47839",
    "initial_partners": [
        {"name": "Stadt Krefeld", "short_name": "Stadt", "kind": "city", "website": "https://www.krefeld.de"},
        {"name": "Industrie- und Handelskammer Mittlerer Niederrhein", "short_name": "IHK", "kind": "chamber",
         "website": "https://www.ihk-krefeld.de"},
        {"name": "Handwerkskammer Düsseldorf", "short_name": "HWK", "kind": "chamber",
         "website": "https://www.hwk-duesseldorf.de"},
        {"name": "Kreishandwerkerschaft Niederrhein Krefeld | Viersen | Neuss", "short_name": "KH",
         "kind": "association", "website": "https://www.handwerk-niederrhein.de"},
        {"name": "Hochschule Niederrhein", "short_name": "HSNR", "kind": "university",
         "website": "https://www.hs-niederrhein.de"},
        {"name": "WFG Wirtschaftsförderungsgesellschaft Krefeld mbH", "short_name": "WFG", "kind": "agency",
         "website": "https://www.wfg-krefeld.de"},
    ],
    "pages": {
        "home": {
            "title_de": "Krefelder Klimapakt",
            "title_en": "Krefeld Climate Pact",
            "lead_de": "Die Stadt Krefeld hat am 18.02.2021 beschlossen, bis 2035 klimaneutral werden zu wollen. "
                       "Gemeinsam mit der Krefelder Wirtschaft senken wir den CO₂-Ausstoß schnell und wirksam.",
            "lead_en": "On 18 February 2021 the City of Krefeld decided to become climate-neutral by 2035. "
                       "Together with Krefeld's businesses we cut CO₂ emissions quickly and effectively.",
            "body_de": """## Warum die Wirtschaft den Unterschied macht

Die Krefelder Wirtschaft ist Arbeitgeberin für die Menschen aus Krefeld und den Nachbarstädten, Investorin,
Innovationstreiberin und Ausbilderin für die Fachkräfte von morgen. Zugleich entstehen durch den Wärme- und
Stromverbrauch von Industrie und Gewerbe sowie durch den beruflichen Verkehr erhebliche CO₂-Emissionen.

## Was ein Klimapartner ist

Unternehmen, Vereine und Einrichtungen mit Sitz in Krefeld, die sich zum klimafreundlichen Wirtschaften bekennen
und das Ziel der Stadt unterstützen, bis 2035 klimaneutral zu werden, können **Klimapartner** werden. Sie setzen
sich eigene, freiwillige CO₂-Einsparziele und berichten regelmäßig darüber.

## Was Klimapartner bekommen

- Unterstützung bei der Umsetzung ihrer betrieblichen Klimaschutzmaßnahmen durch die Stadt und die Initialpartner
- Workshops und Netzwerktreffen mit anderen Krefelder Unternehmen
- Beratung durch Kammern, Hochschule und Wirtschaftsförderung, für kleine und mittlere Unternehmen auch ein
  kostenfreies betriebliches Klimaschutzkonzept
- öffentliche Sichtbarkeit: Eintrag im Verzeichnis der Klimapartner, Urkunde und Klimapartner-Siegel
""",
            "body_en": """## Why business makes the difference

Krefeld's businesses employ people from Krefeld and the neighbouring towns, invest, drive innovation and train
tomorrow's skilled workers. At the same time, the heat and power used by industry and commerce and business
travel cause considerable CO₂ emissions.

## What a Klimapartner is

Companies, associations and institutions based in Krefeld that commit to climate-friendly business and support
the city's goal of climate neutrality by 2035 can become **Klimapartner** (climate partners). They set their own
voluntary CO₂ reduction targets and report on them regularly.

## What Klimapartner get

- Support in implementing their climate measures from the city and the initial partners
- Workshops and network meetings with other Krefeld businesses
- Advice from the chambers, the university and the business development agency; for small and medium-sized
  companies also a free company climate concept
- Public visibility: a listing in the partner directory, a certificate and the Klimapartner badge
""",
        },
        "join": {
            "title_de": "Klimapartner werden",
            "title_en": "Become a Klimapartner",
            "lead_de": "Der Weg zur Klimapartnerschaft ist klar geregelt und wird von der Geschäftsstelle begleitet.",
            "lead_en": "The way to a climate partnership is clearly defined, and the pact office supports you "
                       "at every step.",
            "body_de": "Alle Schritte erledigen Sie auf dieser Plattform: Sie melden Ihr Interesse an, "
                       "unterzeichnen die Vereinbarung online, erfassen Ihre Energiedaten und erhalten Ihre "
                       "CO₂-Bilanz.",
            "body_en": "You take every step on this platform: register your interest, sign the agreement "
                       "online, enter your energy data and get your CO₂ balance.",
        },
        "contact": {
            "title_de": "Kontakt",
            "title_en": "Contact",
            "lead_de": "Sie haben Fragen zum Krefelder Klimapakt? Die Geschäftsstelle hilft Ihnen gern.",
            "lead_en": "Do you have questions about the Krefeld Climate Pact? The pact office is glad to help.",
            "body_de": "**Geschäftsstelle Krefelder Klimapakt**  \nStadt Krefeld  \nE-Mail: "
                       "[klimapakt@krefeld.de](mailto:klimapakt@krefeld.de)",
            "body_en": "**Krefeld Climate Pact office**  \nCity of Krefeld  \nE-mail: "
                       "[klimapakt@krefeld.de](mailto:klimapakt@krefeld.de)",
        },
        "imprint": {
            "title_de": "Impressum",
            "title_en": "Legal notice",
            "body_de": IMPRINT_DE,
            "body_en": IMPRINT_EN,
        },
        "privacy": {
            "title_de": "Datenschutz",
            "title_en": "Privacy",
            "body_de": PRIVACY_DE,
            "body_en": PRIVACY_EN,
        },
    },
}
