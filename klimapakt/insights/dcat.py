"""The DCAT-AP.de 2.0 description of the pact's open data, for open-data portals (GovData and
the Länder portals harvest it): one ``dcat:Catalog`` with two ``dcat:Dataset``s, the partner
directory (``GET /api/v1/partners``) and the pact's progress (``GET /api/v1/pact/progress``), each
with a JSON and a CSV ``dcat:Distribution``.

The catalogue is built once as plain nodes (``catalogue()``) and written as RDF/XML
(``as_rdf_xml``, served at /offene-daten/dcat.rdf) or JSON-LD (``as_json_ld``, /offene-daten/
dcat.jsonld) from the same nodes. Conventions followed (DCAT-AP.de 2.0 Konventionenhandbuch):
licence per distribution from the dcat-ap.de licence list with ``dcatde:licenseAttributionByText``
(settings.OPEN_DATA_LICENCE), ``dct:format`` from the EU file-type vocabulary and ``dcat:mediaType``
from IANA, themes from the EU data-theme vocabulary, ``dcatde:politicalGeocodingURI`` (regional key,
settings.OPEN_DATA_REGIONAL_KEY) mirrored in ``dct:spatial``, a contact point with an e-mail
address and a contact page, ``dcatde:contributorID`` where GovData assigned one
(settings.OPEN_DATA_CONTRIBUTOR_ID). Decisions: docs/insights.md, "Open data".
"""

from __future__ import annotations

import datetime
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
CONTRIBUTORS = "http://dcat-ap.de/def/contributors/"

# The licences of the dcat-ap.de list an installation is likely to choose: name and legal text.
LICENCES = {
    "http://dcat-ap.de/def/licenses/dl-by-de/2.0": (
        "Datenlizenz Deutschland – Namensnennung – Version 2.0", "https://www.govdata.de/dl-de/by-2-0"),
    "http://dcat-ap.de/def/licenses/dl-zero-de/2.0": (
        "Datenlizenz Deutschland – Zero – Version 2.0", "https://www.govdata.de/dl-de/zero-2-0"),
    "http://dcat-ap.de/def/licenses/cc-by/4.0": (
        "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)",
        "https://creativecommons.org/licenses/by/4.0/deed.de"),
    "http://dcat-ap.de/def/licenses/cc-zero": (
        "Creative Commons CC Zero (CC0 1.0)", "https://creativecommons.org/publicdomain/zero/1.0/deed.de"),
}


# Characters XML 1.0 does not allow even escaped (C0 controls but tab and line breaks, lone
# surrogates, U+FFFE/U+FFFF). ElementTree writes them unchanged, which makes the document not
# well-formed; a vertical tab (Word's line break in a cell) pasted into the pact's names is enough.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Literal:
    text: str
    lang: str = ""
    datatype: str = ""  # a prefixed name, e.g. "xsd:date"

    def __post_init__(self):
        # The same text in the RDF/XML and the JSON-LD: each forbidden character becomes a space.
        object.__setattr__(self, "text", _NOT_XML.sub(" ", str(self.text)))


@dataclass(frozen=True)
class Ref:
    iri: str


@dataclass
class Node:
    """A resource: ``type`` a prefixed class name, ``iri`` its identifier (blank node when empty),
    ``props`` (prefixed property, value) pairs; a value is a Literal, a Ref or a nested Node."""

    type: str
    iri: str = ""
    props: list[tuple[str, Literal | Ref | Node]] = field(default_factory=list)

    def add(self, prop: str, value: Literal | Ref | Node | str) -> Node:
        self.props.append((prop, Literal(value) if isinstance(value, str) else value))
        return self


@dataclass(frozen=True)
class Licence:
    uri: str
    name: str
    url: str


def licence() -> Licence:
    """The licence of the open data (settings.OPEN_DATA_LICENCE) with its name and legal text;
    OPEN_DATA_LICENCE_NAME / _URL name a licence outside the list above."""
    uri = settings.OPEN_DATA_LICENCE
    name, url = LICENCES.get(uri, (uri, uri))
    return Licence(uri=uri, name=settings.OPEN_DATA_LICENCE_NAME or name, url=settings.OPEN_DATA_LICENCE_URL or url)


def issued(pact) -> datetime.date:
    """When the open data was first published: settings.OPEN_DATA_ISSUED, else the council's decision."""
    try:
        return datetime.date.fromisoformat(settings.OPEN_DATA_ISSUED)
    except ValueError:  # unset (or not a date: `manage.py check` names it, see checks.py)
        return pact.decided_on


def _both(node: Node, prop: str, german: str, english: str) -> None:
    node.add(prop, Literal(german, lang="de"))
    if english:
        node.add(prop, Literal(english, lang="en"))


def _distribution(iri: str, url: str, kind: str, title_de: str, title_en: str, *, attribution: str,
                  conforms_to: str = "") -> Node:
    media = {"JSON": "application/json", "CSV": "text/csv"}[kind]
    node = Node("dcat:Distribution", iri)
    _both(node, "dct:title", title_de, title_en)
    node.add("dcat:accessURL", Ref(url)).add("dcat:downloadURL", Ref(url))
    node.add("dct:format", Ref(f"{EU}file-type/{kind}")).add("dcat:mediaType", Ref(IANA + media))
    node.add("dct:license", Ref(licence().uri)).add("dcatde:licenseAttributionByText", attribution)
    if conforms_to:
        node.add("dct:conformsTo", Ref(conforms_to))
    return node


def catalogue(pact, absolute) -> Node:
    """The catalogue of the pact's open data. ``absolute(path)`` makes an absolute URL. Its
    identifiers are the German (unprefixed) addresses in every language: they must not change."""
    with translation.override(settings.LANGUAGE_CODE):
        return _catalogue(pact, absolute)


def _catalogue(pact, absolute) -> Node:
    page = absolute(reverse("open_data:page"))
    site = absolute("/")
    openapi = absolute(reverse("api-1.0.0:openapi-json"))
    publisher_iri = f"{site}#publisher"
    publisher = pact.office_name_de or f"Stadt {pact.city}"
    today = timezone.localdate().isoformat()
    first = issued(pact).isoformat()
    regional_key = settings.OPEN_DATA_REGIONAL_KEY
    language = Ref(f"{EU}language/DEU")

    def agent() -> Node:
        return Node("foaf:Organization", publisher_iri).add("foaf:name", publisher)

    def contact() -> Node:
        return (Node("vcard:Organization").add("vcard:fn", publisher)
                .add("vcard:hasEmail", Ref(f"mailto:{pact.contact_email}"))
                .add("vcard:hasURL", Ref(absolute(reverse("core:contact")))))

    def dataset(key: str, titles: tuple[str, str], descriptions: tuple[str, str], themes: list[str],
                keywords: list[str], distributions: list[Node]) -> Node:
        node = Node("dcat:Dataset", f"{page}#{key}")
        _both(node, "dct:title", *titles)
        _both(node, "dct:description", *descriptions)
        node.add("dct:identifier", f"{page}#{key}")
        for theme in themes:
            node.add("dcat:theme", Ref(f"{EU}data-theme/{theme}"))
        for word in keywords:
            node.add("dcat:keyword", Literal(word, lang="de"))
        node.add("dct:publisher", Ref(publisher_iri))
        node.add("dcat:contactPoint", contact())
        node.add("dct:issued", Literal(first, datatype="xsd:date"))
        node.add("dct:modified", Literal(today, datatype="xsd:date"))
        node.add("dct:accrualPeriodicity", Ref(f"{EU}frequency/CONT"))
        node.add("dct:language", language)
        node.add("dcat:landingPage", Ref(page))
        if regional_key:
            node.add("dct:spatial", Ref(f"{GEOCODING}regionalKey/{regional_key}"))
            node.add("dcatde:politicalGeocodingURI", Ref(f"{GEOCODING}regionalKey/{regional_key}"))
            node.add("dcatde:politicalGeocodingLevelURI", Ref(f"{GEOCODING}Level/municipality"))
        node.add("dcatde:geocodingDescription", Literal(f"Stadt {pact.city}", lang="de"))
        if settings.OPEN_DATA_CONTRIBUTOR_ID:
            node.add("dcatde:contributorID", Ref(CONTRIBUTORS + settings.OPEN_DATA_CONTRIBUTOR_ID))
        node.add("dcatde:maintainer", Ref(publisher_iri))
        for distribution in distributions:
            node.add("dcat:distribution", distribution)
        return node

    partners_url = absolute(reverse("api-1.0.0:partners"))
    progress_url = absolute(reverse("api-1.0.0:pact_progress"))
    city, name = pact.city, pact.name_de
    partners = dataset(
        "partners",
        (f"{name}: Klimapartner", f"{pact.name_en or name}: climate partners"),
        (f"Die Unternehmen und Einrichtungen in {city}, die Klimapartner des Klimapakts sind und der Veröffentlichung "
         "zugestimmt haben: Name, Art, Branche (WZ 2008), Klimapartner seit, Webseite, ihre Reduktionsziele und, "
         "wo sie zugestimmt haben, Lage sowie die Zahlen ihrer angenommenen Berichte.",
         f"The firms and institutions in {city} that are climate partners of the pact and agreed to be listed: "
         "name, kind, sector (NACE), partner since, website, their reduction targets and, where they agreed, "
         "location and the figures of their accepted reports."),
        ["ECON", "ENVI"], ["Klimaschutz", "Klimapakt", "Klimapartner", "Unternehmen", "Klimaneutralität", city],
        [_distribution(f"{page}#partners-json", partners_url, "JSON", "Klimapartner (JSON)",
                       "Climate partners (JSON)", attribution=publisher, conforms_to=openapi),
         _distribution(f"{page}#partners-csv", f"{partners_url}?format=csv", "CSV", "Klimapartner (CSV)",
                       "Climate partners (CSV)", attribution=publisher)])
    progress = dataset(
        "progress",
        (f"{name}: Fortschritt", f"{pact.name_en or name}: progress"),
        ("Die Treibhausgasemissionen der Klimapartner je Bilanzjahr in Tonnen CO2-Äquivalent (Scope 1, Scope 2 "
         "standort- und marktbasiert, Scope 3 und Summen) aus den angenommenen Berichten, die Zahl der "
         "berichtenden Organisationen, die Partnerschaften je Jahr und die Maßnahmen mit ihren Einsparungen. "
         "Jahre mit zu wenigen berichtenden Organisationen werden aus Datenschutzgründen nicht ausgewiesen.",
         "The climate partners' greenhouse gas emissions per balance year in tonnes of CO2 equivalent (Scope 1, "
         "Scope 2 location- and market-based, Scope 3 and totals) from the accepted reports, the number of "
         "reporting organisations, partnerships per year and the measures with their savings. Years with too "
         "few reporting organisations are withheld for privacy."),
        ["ENVI"], ["Klimaschutz", "Klimapakt", "CO2-Bilanz", "Treibhausgasemissionen", "Klimaneutralität", city],
        [_distribution(f"{page}#progress-json", progress_url, "JSON", "Fortschritt (JSON)", "Progress (JSON)",
                       attribution=publisher, conforms_to=openapi),
         _distribution(f"{page}#progress-csv", f"{progress_url}?format=csv", "CSV", "Fortschritt (CSV)",
                       "Progress (CSV)", attribution=publisher)])

    catalog = Node("dcat:Catalog", f"{page}#catalog")
    _both(catalog, "dct:title", f"{name}: offene Daten", f"{pact.name_en or name}: open data")
    _both(catalog, "dct:description",
          f"Die offenen Daten des Klimapakts der Stadt {city}: die Klimapartner und der Fortschritt des Pakts "
          f"auf dem Weg zur Klimaneutralität {pact.target_year}.",
          f"The open data of the climate pact of the city of {city}: its climate partners and its progress toward climate "
          f"neutrality by {pact.target_year}.")
    catalog.add("dct:publisher", agent())
    catalog.add("foaf:homepage", Ref(page))
    catalog.add("dct:language", language)
    catalog.add("dct:license", Ref(licence().uri))
    catalog.add("dct:issued", Literal(first, datatype="xsd:date"))
    catalog.add("dct:modified", Literal(today, datatype="xsd:date"))
    catalog.add("dcat:themeTaxonomy", Ref(f"{EU}data-theme"))
    if regional_key:
        catalog.add("dct:spatial", Ref(f"{GEOCODING}regionalKey/{regional_key}"))
    catalog.add("dcat:dataset", partners).add("dcat:dataset", progress)
    return catalog


# --------------------------------------------------------------------------- writers


def _qname(prefixed: str) -> str:
    prefix, local = prefixed.split(":", 1)
    return f"{{{NAMESPACES[prefix]}}}{local}"


def _expand(prefixed: str) -> str:
    prefix, local = prefixed.split(":", 1)
    return NAMESPACES[prefix] + local


def _xml_node(node: Node) -> ET.Element:
    element = ET.Element(_qname(node.type))
    if node.iri:
        element.set(_qname("rdf:about"), node.iri)
    for prop, value in node.props:
        child = ET.SubElement(element, _qname(prop))
        if isinstance(value, Ref):
            child.set(_qname("rdf:resource"), value.iri)
        elif isinstance(value, Node):
            child.append(_xml_node(value))
        else:
            child.text = value.text
            if value.lang:
                child.set("{http://www.w3.org/XML/1998/namespace}lang", value.lang)
            if value.datatype:
                child.set(_qname("rdf:datatype"), _expand(value.datatype))
    return element


def as_rdf_xml(node: Node) -> str:
    """The catalogue as RDF/XML (striped syntax: a node element per resource, a property element
    per statement); ElementTree declares the namespaces used on rdf:RDF and escapes every text."""
    for prefix, uri in NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    root = ET.Element(_qname("rdf:RDF"))
    root.append(_xml_node(node))
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n"


def _ld_value(value: Literal | Ref | Node):
    if isinstance(value, Ref):
        return {"@id": value.iri}
    if isinstance(value, Node):
        return _ld_node(value)
    if value.lang:
        return {"@value": value.text, "@language": value.lang}
    if value.datatype:
        return {"@value": value.text, "@type": value.datatype}
    return value.text


def _ld_node(node: Node) -> dict:
    out: dict = {"@type": node.type}
    if node.iri:
        out["@id"] = node.iri
    for prop, value in node.props:
        item = _ld_value(value)
        if prop in out:
            out[prop] = (out[prop] if isinstance(out[prop], list) else [out[prop]]) + [item]
        else:
            out[prop] = item
    return out


def as_json_ld(node: Node) -> str:
    """The same catalogue as JSON-LD (compacted with the prefixes as its @context)."""
    document = {"@context": dict(NAMESPACES), **_ld_node(node)}
    return json.dumps(document, ensure_ascii=False, indent=1)
