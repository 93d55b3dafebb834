"""Open data of issue 14: GET /api/v1/pact/progress (JSON and CSV, ETag), the DCAT-AP.de catalogue
and the "Offene Daten" page. The progress figures here are a hand-made ``Progress`` (the selector's
own tests check the sums); tests/insights/test_open_data_queries.py runs the real selector."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest

from klimapakt.ghg.calculation.totals import Emissions
from klimapakt.insights import api as insights_api
from klimapakt.insights.figures import (
    Cohort,
    EmissionYear,
    Filters,
    Measures,
    PartnerYear,
    Progress,
    TargetPath,
    TargetShares,
)
from klimapakt.insights.open_data import CSV_HEADER, progress_payload

pytestmark = pytest.mark.django_db

URL = "/api/v1/pact/progress"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DCAT = "{http://www.w3.org/ns/dcat#}"
DCT = "{http://purl.org/dc/terms/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def make_progress(years=None, partners=None) -> Progress:
    years = years if years is not None else [
        EmissionYear(year=2023, organisations=2, emissions=None, suppressed=True),
        EmissionYear(year=2024, organisations=5,
                     emissions=Emissions(scope1=Fraction(10001, 10000) * 1000, scope2_location=Fraction(1, 3),
                                         scope2_market=Fraction(2, 3), scope3=Fraction(12345, 1000)),
                     measures_total=7, measures_implemented=3, expected_savings=Fraction(1, 8),
                     realised_savings=Fraction(0)),
    ]
    partners = partners if partners is not None else [
        PartnerYear(year=2022, joined=3, left=0, active=3), PartnerYear(year=2023, joined=4, left=1, active=6),
        PartnerYear(year=2024, joined=2, left=0, active=8)]
    return Progress(
        public=True, threshold=3, filters=Filters(), generated_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        years=years, partners=partners, by_kind=[], by_sector=[],
        targets=TargetShares(partners=0, with_target=0, with_neutral_year=0, with_scope3=0), reporting=[],
        cohort=Cohort(organisations=0, base=None, latest=None), path=TargetPath(organisations=0, target_year=2035),
        measures=Measures(status_labels=[], rows=[], status_totals=[], total=0, organisations=0, expected=None,
                          realised=None),
        events=[], support=[], support_outcome_labels=[], sectors=[])


@pytest.fixture
def progress(monkeypatch):
    """The endpoint answers with this Progress (a list: a test may swap it)."""
    current = [make_progress()]
    calls = []

    def fake(pact):
        calls.append(pact)
        return current[0]

    monkeypatch.setattr(insights_api, "_progress", fake)
    return {"current": current, "calls": calls}


# --------------------------------------------------------------------------- the shape


def test_payload_has_exactly_the_fields_the_issue_names():
    payload = progress_payload(make_progress())
    assert list(payload) == ["years", "partners", "measures"]
    assert list(payload["years"][1]) == [
        "year", "organisations_reporting", "scope1", "scope2_location", "scope2_market", "scope3",
        "total_scope12_location", "total_location", "total_market", "suppressed"]
    assert list(payload["partners"][0]) == ["year", "joined", "left", "active"]
    assert list(payload["measures"][0]) == [
        "year", "measures_total", "measures_implemented", "expected_savings", "realised_savings"]


def test_figures_are_decimal_strings_with_three_places_each_rounded_once():
    year = progress_payload(make_progress())["years"][1]
    assert year == {
        "year": 2024, "organisations_reporting": 5,
        "scope1": "1000.100", "scope2_location": "0.333", "scope2_market": "0.667", "scope3": "12.345",
        # the totals come from the exact sums: 1000.1 + 1/3 = 1000.4333…, not 1000.100 + 0.333 rounded
        "total_scope12_location": "1000.433", "total_location": "1012.778", "total_market": "1013.112",
        "suppressed": False,
    }
    assert progress_payload(make_progress())["measures"][1] == {
        "year": 2024, "measures_total": 7, "measures_implemented": 3, "expected_savings": "0.125",
        "realised_savings": "0.000"}


def test_a_suppressed_year_has_null_figures_and_null_measures():
    payload = progress_payload(make_progress())
    hidden = payload["years"][0]
    assert hidden["suppressed"] is True and hidden["organisations_reporting"] == 2
    assert all(hidden[k] is None for k in CSV_HEADER[2:9])
    assert payload["measures"][0] == {"year": 2023, "measures_total": None, "measures_implemented": None,
                                      "expected_savings": None, "realised_savings": None}


def test_measures_are_null_even_if_a_suppressed_year_carried_them():
    leaky = EmissionYear(year=2023, organisations=2, emissions=None, suppressed=True, measures_total=4,
                         measures_implemented=1, expected_savings=Fraction(5), realised_savings=Fraction(1))
    payload = progress_payload(make_progress(years=[leaky]))
    assert set(payload["measures"][0].values()) == {2023, None}


# --------------------------------------------------------------------------- the endpoint


def test_json_answer(client, pact, progress):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == progress_payload(make_progress())
    assert progress["calls"] == [pact]  # the current pact, public figures


def test_no_pact_is_404(client, db, progress):
    assert client.get(URL).status_code == 404


def test_etag_gives_304_and_a_new_body_a_new_etag(client, pact, progress):
    first = client.get(URL)
    etag = first["ETag"]
    again = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    assert client.get(URL, HTTP_IF_NONE_MATCH=f'W/{etag}, "other"').status_code == 304
    assert client.get(URL, HTTP_IF_NONE_MATCH='"other"').status_code == 200

    newer = make_progress(partners=[PartnerYear(year=2025, joined=1, left=0, active=9)])
    newer.generated_at += datetime.timedelta(minutes=5)  # public_progress's next snapshot
    progress["current"][0] = newer
    changed = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["partners"] == [{"year": 2025, "joined": 1, "left": 0, "active": 9}]


def test_the_body_is_built_once_per_snapshot_and_format(client, pact, progress, monkeypatch):
    built = []
    monkeypatch.setattr(insights_api, "progress_payload", lambda p: built.append(p) or progress_payload(p))
    client.get(URL)
    client.get(URL)
    client.get(URL, {"format": "csv"})
    assert len(built) == 2  # once for JSON, once for CSV
    newer = make_progress()
    newer.generated_at += datetime.timedelta(minutes=5)  # the next snapshot of public_progress
    progress["current"][0] = newer
    client.get(URL)
    assert len(built) == 3


def test_language_changes_nothing(client, pact, progress):
    assert client.get(URL, {"lang": "en"}).content == client.get(URL).content


def test_csv_one_row_per_year_machine_readable(client, pact, progress):
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="klimapakt-fortschritt.csv"'
    assert response["ETag"] != client.get(URL)["ETag"]
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")  # machine data: no byte-order mark
    rows = list(csv.DictReader(io.StringIO(text)))  # comma-separated
    assert list(rows[0]) == CSV_HEADER
    assert [r["year"] for r in rows] == ["2022", "2023", "2024"]
    only_partners, hidden, shown = rows
    assert only_partners["scope1"] == "" and only_partners["suppressed"] == "" and only_partners["partners_active"] == "3"
    assert hidden["suppressed"] == "true" and hidden["organisations_reporting"] == "2"
    assert hidden["total_location"] == "" and hidden["expected_savings"] == "" and hidden["partners_joined"] == "4"
    assert shown["suppressed"] == "false" and shown["total_scope12_location"] == "1000.433"  # decimal point
    assert shown["measures_total"] == "7" and shown["realised_savings"] == "0.000"
    assert client.get(URL, {"format": "csv"}, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_documented_in_openapi(client, pact):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"][URL]["get"]
    assert {"200", "304", "404"} <= set(operation["responses"])
    assert "ETag" in operation["description"] and "format=csv" in operation["description"]
    assert {p["name"] for p in operation["parameters"]} >= {"format"}
    schemas = spec["components"]["schemas"]
    assert set(schemas["ProgressOut"]["properties"]) == {"years", "partners", "measures"}
    year = schemas["ProgressYearOut"]["properties"]
    assert set(year) == set(CSV_HEADER[:10])
    assert all(year[key].get("description") for key in year)
    assert set(schemas["PartnerYearOut"]["properties"]) == {"year", "joined", "left", "active"}
    assert set(schemas["MeasureYearOut"]["properties"]) == {
        "year", "measures_total", "measures_implemented", "expected_savings", "realised_savings"}


# --------------------------------------------------------------------------- DCAT-AP.de


def triples(element, subject=None, out=None):
    """(subject, predicate, object) of the RDF/XML the catalogue uses (striped syntax: node
    elements with rdf:about or blank, property elements with rdf:resource, a literal or one node)."""
    out = [] if out is None else out
    for node in element if subject is None else [element]:
        about = node.get(f"{RDF}about") or f"_:b{id(node)}"
        out.append((about, f"{RDF}type", node.tag))
        for prop in node:
            assert not prop.get(f"{RDF}about"), "a property element carries no rdf:about"
            if prop.get(f"{RDF}resource") is not None:
                assert len(prop) == 0 and not (prop.text or "").strip()
                out.append((about, prop.tag, prop.get(f"{RDF}resource")))
            elif len(prop):
                assert len(prop) == 1, f"{prop.tag}: one node per property element"
                child = prop[0]
                out.append((about, prop.tag, child.get(f"{RDF}about") or f"_:b{id(child)}"))
                triples(child, subject=about, out=out)
            else:
                out.append((about, prop.tag, (prop.text or "", prop.get(XML_LANG), prop.get(f"{RDF}datatype"))))
    return out


def objects(graph, subject, predicate):
    return [o for s, p, o in graph if s == subject and p == predicate]


@pytest.fixture
def catalogue(client, pact):
    response = client.get("/offene-daten/dcat.rdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rdf+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == f"{RDF}RDF"
    return triples(root)


def test_dcat_describes_the_catalogue_and_both_datasets(catalogue, pact):
    catalog = "http://testserver/offene-daten/#catalog"
    assert (catalog, f"{RDF}type", f"{DCAT}Catalog") in catalogue
    datasets = objects(catalogue, catalog, f"{DCAT}dataset")
    assert datasets == ["http://testserver/offene-daten/#partners", "http://testserver/offene-daten/#progress"]
    for dataset in datasets:
        assert (dataset, f"{RDF}type", f"{DCAT}Dataset") in catalogue
        titles = {lang: text for text, lang, _ in objects(catalogue, dataset, f"{DCT}title")}
        assert set(titles) == {"de", "en"} and pact.name_de in titles["de"]
        assert objects(catalogue, dataset, f"{DCT}publisher") == ["http://testserver/#publisher"]
        assert objects(catalogue, dataset, "{http://dcat-ap.de/def/dcatde/}politicalGeocodingURI") == [
            "http://dcat-ap.de/def/politicalGeocoding/regionalKey/051140000000"]
        assert "http://publications.europa.eu/resource/authority/data-theme/ENVI" in objects(
            catalogue, dataset, f"{DCAT}theme")
        contact = objects(catalogue, dataset, f"{DCAT}contactPoint")[0]
        assert objects(catalogue, contact, "{http://www.w3.org/2006/vcard/ns#}hasEmail") == [
            f"mailto:{pact.contact_email}"]
        issued = objects(catalogue, dataset, f"{DCT}issued")[0]
        assert issued == (pact.decided_on.isoformat(), None, "http://www.w3.org/2001/XMLSchema#date")
    publisher = objects(catalogue, "http://testserver/#publisher", "{http://xmlns.com/foaf/0.1/}name")
    assert publisher == [(pact.office_name_de, None, None)]


def test_dcat_distributions_json_and_csv_with_the_licence(catalogue):
    expected = {
        "http://testserver/offene-daten/#partners": ["http://testserver/api/v1/partners",
                                                     "http://testserver/api/v1/partners?format=csv"],
        "http://testserver/offene-daten/#progress": ["http://testserver/api/v1/pact/progress",
                                                     "http://testserver/api/v1/pact/progress?format=csv"],
    }
    file_type = "http://publications.europa.eu/resource/authority/file-type/"
    for dataset, urls in expected.items():
        distributions = objects(catalogue, dataset, f"{DCAT}distribution")
        assert len(distributions) == 2
        for distribution, url, kind, media in zip(distributions, urls, ["JSON", "CSV"],
                                                  ["application/json", "text/csv"], strict=True):
            assert objects(catalogue, distribution, f"{DCAT}downloadURL") == [url]
            assert objects(catalogue, distribution, f"{DCAT}accessURL") == [url]
            assert objects(catalogue, distribution, f"{DCT}format") == [file_type + kind]
            assert objects(catalogue, distribution, f"{DCAT}mediaType") == [
                f"http://www.iana.org/assignments/media-types/{media}"]
            assert objects(catalogue, distribution, f"{DCT}license") == [
                "http://dcat-ap.de/def/licenses/dl-by-de/2.0"]
            assert objects(catalogue, distribution, "{http://dcat-ap.de/def/dcatde/}licenseAttributionByText")


def test_the_dcat_urls_answer(client, pact, progress):
    """Every URL the catalogue names for a distribution gives data."""
    body = client.get("/offene-daten/dcat.rdf").content
    urls = [o for _s, p, o in triples(ET.fromstring(body)) if p == f"{DCAT}downloadURL"]
    assert len(urls) == 4
    for url in urls:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200, url


def test_licence_and_region_come_from_the_settings(client, pact, settings):
    settings.OPEN_DATA_LICENCE = "http://dcat-ap.de/def/licenses/cc-by/4.0"
    settings.OPEN_DATA_REGIONAL_KEY = "051120000000"
    settings.OPEN_DATA_CONTRIBUTOR_ID = "stadtKrefeld"
    settings.OPEN_DATA_ISSUED = "2026-01-15"
    graph = triples(ET.fromstring(client.get("/offene-daten/dcat.rdf").content))
    licences = {o for _s, p, o in graph if p == f"{DCT}license"}
    assert licences == {"http://dcat-ap.de/def/licenses/cc-by/4.0"}
    dataset = "http://testserver/offene-daten/#progress"
    assert objects(graph, dataset, f"{DCT}spatial") == [
        "http://dcat-ap.de/def/politicalGeocoding/regionalKey/051120000000"]
    assert objects(graph, dataset, "{http://dcat-ap.de/def/dcatde/}contributorID") == [
        "http://dcat-ap.de/def/contributors/stadtKrefeld"]
    assert objects(graph, dataset, f"{DCT}issued")[0][0] == "2026-01-15"
    page = client.get("/offene-daten/").content.decode()
    assert "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)" in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/deed.de"' in page


def test_no_contributor_id_unless_configured(catalogue):
    assert not [t for t in catalogue if t[1] == "{http://dcat-ap.de/def/dcatde/}contributorID"]


def test_text_is_escaped_in_the_xml(client, pact):
    pact.office_name_de = 'Amt für "Klima" & <Umwelt>'
    pact.save()
    from django.core.cache import cache

    cache.clear()  # the pact is cached
    graph = triples(ET.fromstring(client.get("/offene-daten/dcat.rdf").content))
    assert objects(graph, "http://testserver/#publisher", "{http://xmlns.com/foaf/0.1/}name") == [
        ('Amt für "Klima" & <Umwelt>', None, None)]


def test_dcat_identifiers_do_not_depend_on_the_language(client, pact):
    assert client.get("/en/offene-daten/dcat.rdf").content == client.get("/offene-daten/dcat.rdf").content


def test_dcat_etag(client, pact):
    first = client.get("/offene-daten/dcat.rdf")
    assert client.get("/offene-daten/dcat.rdf", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_json_ld_has_the_same_catalogue(client, pact):
    response = client.get("/offene-daten/dcat.jsonld")
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json; charset=utf-8"
    document = json.loads(response.content)
    assert document["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert document["@type"] == "dcat:Catalog"
    datasets = document["dcat:dataset"]
    assert [d["@id"] for d in datasets] == ["http://testserver/offene-daten/#partners",
                                            "http://testserver/offene-daten/#progress"]
    for dataset in datasets:
        assert [d["dcat:downloadURL"]["@id"].rsplit("/", 1)[-1] for d in dataset["dcat:distribution"]] in (
            [["partners", "partners?format=csv"], ["progress", "progress?format=csv"]])
        assert {d["dct:license"]["@id"] for d in dataset["dcat:distribution"]} == {
            "http://dcat-ap.de/def/licenses/dl-by-de/2.0"}


# --------------------------------------------------------------------------- the page


@pytest.mark.parametrize("prefix, language", [("", "de"), ("/en", "en")])
def test_page_in_both_languages(client, pact, prefix, language):
    response = client.get(f"{prefix}/offene-daten/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'href="https://www.govdata.de/dl-de/by-2-0"' in html
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in html
    assert 'curl -H "Accept: application/json" "http://testserver/api/v1/pact/progress"' in html
    assert 'curl -o klimapartner.csv "http://testserver/api/v1/partners?format=csv"' in html
    # the catalogue's address is the same in both languages (no /en/)
    assert 'href="http://testserver/offene-daten/dcat.rdf"' in html
    assert 'href="http://testserver/offene-daten/dcat.jsonld"' in html
    assert 'href="/api/v1/docs"' in html
    assert "<caption" in html and 'scope="row"' in html


def test_page_is_in_the_footer_instead_of_the_raw_openapi_file(client, pact):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer"):]
    assert 'href="/offene-daten/"' in footer
    assert "openapi.json" not in footer
    english = client.get("/en/").content.decode()
    assert 'href="/en/offene-daten/"' in english[english.index("<footer"):]
    current = client.get("/offene-daten/").content.decode()
    assert 'href="/offene-daten/" aria-current="page"' in current[current.index("<footer"):]


def test_open_data_settings_are_checked(settings):
    from klimapakt.insights.checks import open_data_settings

    assert open_data_settings() == []
    settings.OPEN_DATA_ISSUED = "15.01.2026"
    settings.OPEN_DATA_REGIONAL_KEY = "05114"
    settings.OPEN_DATA_LICENCE = "https://example.org/licence"
    assert [w.id for w in open_data_settings()] == ["insights.W001", "insights.W002", "insights.W003"]
    settings.OPEN_DATA_LICENCE_NAME = "Eigene Lizenz"
    assert [w.id for w in open_data_settings()] == ["insights.W001", "insights.W002"]
