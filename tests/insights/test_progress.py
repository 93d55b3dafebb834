"""The pact's progress on the fixed data set of conftest.py, computed by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from klimapakt.insights.figures import Filters, statement
from klimapakt.insights.selectors.progress import pact_progress

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 4)


def office(pact, **filters):
    return pact_progress(pact, public=False, filters=Filters(**filters), today=TODAY)


def test_emissions_by_balance_year_are_exact_sums_rounded_once(pact, progress_data):
    p = office(pact)
    assert [y.year for y in p.years] == [2023, 2024]
    y23, y24 = p.years
    assert y23.organisations == 8  # A1..A6, F7 and the leaver L9 (who keeps counting)
    # Scope 1 of A1..A6 is i + 1/3 each: exactly 23 together (rounded one by one it would be 22,998)
    assert y23.figures() == {"scope1": D("37.000"), "scope2_location": D("18.000"), "scope2_market": D("6.000"),
                             "scope3": D("0.500"), "total_scope12_location": D("55.000"),
                             "total_location": D("55.500"), "total_market": D("43.500")}
    assert y24.organisations == 8  # A1..A6, F7 and the joiner J8; not the submitted report of 2025
    assert y24.figures()["total_scope12_location"] == D("69.000")
    assert y24.figures()["scope2_location"] == D("10.000")
    assert (y24.measures_total, y24.measures_implemented) == (18, 12)
    assert (y24.expected_savings, y24.realised_savings) == (12, 6)


def test_like_for_like_cohort_leaves_out_joiner_and_leaver(pact, progress_data):
    c = office(pact).cohort
    assert c.organisations == 7  # A1..A6 and F7: base 2023, latest 2024
    assert (c.base_t, c.latest_t, c.change_t, c.change_percent) == (D("50.000"), D("39.000"), D("-11.000"),
                                                                     D("-22.0"))


def test_summed_target_path_and_gap_after_measures(pact, progress_data):
    path = office(pact).path
    assert path.organisations == 6  # A1..A6 have a target and their base-year balance
    points = {p.year: p for p in path.points}
    assert (points[2023].target_t, points[2023].reported_t) == (D("35.000"), D("35.000"))
    # 35 - (35 - 17.5) / 12 years = 33.541666...
    assert (points[2024].target_t, points[2024].reported_t) == (D("33.542"), D("27.000"))
    assert points[2035].target_t == D("17.500") and points[2035].reported is None
    assert max(points) == 2035
    # the gap to the goals (27 - 17.5), and what is left after the planned measures (27 - 6 - 17.5)
    assert (path.gap_t, path.gap_after_measures_t) == (D("9.500"), D("3.500"))
    assert (path.reduction_percent, path.on_path_percent) == (D("-22.9"), D("-4.2"))


def test_statement_in_plain_words(pact, progress_data):
    assert statement(office(pact)) == ("Die Klimapartner haben ihre Emissionen gegenüber ihren Basisjahren um "
                                       "22,9\u00a0% gesenkt; auf dem Zielpfad wären es 4,2\u00a0%.")


def test_partners_over_time_targets_and_reporting(pact, progress_data):
    p = office(pact)
    assert [(y.year, y.joined, y.left, y.active) for y in p.partners] == [
        (2024, 8, 0, 8), (2025, 1, 1, 8), (2026, 0, 0, 8)]
    assert [(c.key, c.count) for c in p.by_kind] == [("company", 8)]
    assert [(c.key, c.count) for c in p.by_sector] == [("C", 7), ("F", 1)]
    t = p.targets
    assert (t.partners, t.with_target, t.with_neutral_year, t.with_scope3) == (8, 6, 2, 0)
    assert t.neutral_year_percent == D("25.0")
    cycles = {c.year: c for c in p.reporting}
    assert (cycles[2024].due, cycles[2024].accepted) == (8, 8)
    assert (cycles[2026].due, cycles[2026].submitted, cycles[2026].accepted) == (1, 1, 0)


def test_measures_by_category_and_status(pact, progress_data):
    m = office(pact).measures
    rows = {r.key: r for r in m.rows}
    assert rows["heat"].total == 6 and rows["heat"].counts[0] == 6  # planned
    assert (rows["heat"].expected, rows["heat"].realised) == (6, 0)
    assert (rows["generation"].organisations, rows["generation"].expected, rows["generation"].realised) == (1, 3, 2)
    assert (m.total, m.organisations, m.expected, m.realised) == (7, 7, 9, 2)


def test_office_filters(pact, progress_data):
    p = office(pact, sector="F")
    assert [(y.year, y.organisations, y.headline) for y in p.years] == [(2023, 1, D("15.000")),
                                                                        (2024, 1, D("12.000"))]
    assert [y.organisations for y in office(pact, cohort=2025).years] == [1]  # the joiner
    assert office(pact, size="large").years == []


def test_anonymised_organisations_keep_counting(pact, progress_data):
    from klimapakt.partners.services import organisation_anonymise

    before = office(pact).years
    organisation_anonymise(organisation=progress_data["F7"], actor=None)
    after = office(pact).years
    assert [y.figures() for y in after] == [y.figures() for y in before]


def test_query_count_does_not_grow_with_organisations(pact, progress_data, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import add_report, make_partner

    with CaptureQueriesContext(connection) as few:
        office(pact)
    for i in range(20):
        org = make_partner(f"Weitere {i}")
        add_report(org, 2023, 1, 1)
    with CaptureQueriesContext(connection) as many:
        office(pact)
    assert len(many) == len(few) <= 14


def test_pages_render_and_drill_down(pact, progress_data, client_for, world, django_assert_max_num_queries):
    office_client = client_for(world["users"]["office"])
    with django_assert_max_num_queries(30):
        page = office_client.get("/geschaeftsstelle/fortschritt/?branche=C")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Auffällige Bilanzen" in html and "kein Scope 2" in html  # J8 reported no Scope 2
    drill = office_client.get("/geschaeftsstelle/fortschritt/organisationen/?zahl=kohorte")
    text = drill.content.decode()
    assert drill.status_code == 200 and "Fabrik Sieben" in text and "Junior Acht" not in text
    assert "−22,0" not in text  # per organisation, not the cohort's total
    year = office_client.get("/geschaeftsstelle/fortschritt/organisationen/?zahl=jahr&jahr=2024&schluessel=F")
    assert "Fabrik Sieben" in year.content.decode() and "Alpha 1" not in year.content.decode()
    # the section by its name, in the title and the column (not its letter)
    assert "Angenommene Bilanzen 2024, Wirtschaftszweig F – Baugewerbe" in year.content.decode()
    assert '<td class="kern-table__cell">F – Baugewerbe</td>' in year.content.decode()
    for unknown in ("ZZ", "c", "<b>"):
        assert office_client.get("/geschaeftsstelle/fortschritt/organisationen/",
                                 {"zahl": "jahr", "jahr": "2024", "schluessel": unknown}).status_code == 404
    assert client_for(None).get("/en/fortschritt/").status_code == 200


def test_public_page_query_count_is_constant(pact, progress_data, client, django_assert_max_num_queries):
    from django.core.cache import cache

    # The first computation after a closing day closes the years and records which of their
    # figures are hidden (a few writes, once); every later one only reads.
    pact_progress(pact, public=True)
    cache.clear()
    with django_assert_max_num_queries(20):
        assert client.get("/fortschritt/").status_code == 200
    with django_assert_max_num_queries(4):  # cached
        assert client.get("/fortschritt/").status_code == 200


def test_quality_flags_name_jumps_and_missing_scope2(pact, progress_data):
    from klimapakt.insights.selectors.office import quality_flags

    from .conftest import add_report, make_partner

    jumper = make_partner("Sprung AG")
    add_report(jumper, 2023, 10, 5)
    add_report(jumper, 2024, 30, 5, kind="monitoring")  # 15 -> 35 t: +133,3 %
    steady = make_partner("Ruhig KG")
    add_report(steady, 2023, 10, 5)
    add_report(steady, 2024, 12, 5, kind="monitoring")  # +13,3 %: no flag
    flags = {line.organisation.name: line.flags for line in quality_flags(Filters()).lines}
    assert flags["Sprung AG"] == ["2024: Sprung um 133,3\u00a0% gegenüber 2023"]
    assert flags["Junior Acht"] == ["2024: kein Scope 2"]
    assert "Ruhig KG" not in flags


def test_the_dashboard_lists_fifty_flagged_organisations_and_links_to_all(pact, world, client_for):
    """At xl scale 430 flagged organisations made the dashboard a 140 KB page: it lists the first
    50 and the drill-down "auffaellig" all of them (at most LIST_LIMIT)."""
    from klimapakt.insights.selectors.office import FLAGS_SHOWN
    from klimapakt.partners.models import Organisation

    from .test_benchmark import peers  # accepted reports without Scope 2: each one is flagged

    peers(FLAGS_SHOWN + 3)
    Organisation.objects.filter(name__startswith="Peer ").update(partner_since=datetime.date(2024, 3, 1))
    client = client_for(world["users"]["office"])
    page = client.get(reverse("insights_office:dashboard")).content.decode()
    table = page.split('id="table-flags"')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == FLAGS_SHOWN and f"{FLAGS_SHOWN + 3} Organisationen mit" in table
    assert "zahl=auffaellig" in page and f"Alle {FLAGS_SHOWN + 3} Organisationen anzeigen" in page
    listing = client.get(reverse("insights_office:organisations"), {"zahl": "auffaellig"}).content.decode()
    assert listing.count("kein Scope 2") == FLAGS_SHOWN + 3 and "Peer 52" in listing
    assert '<th scope="col">Auffälligkeiten</th>' in listing  # text, not a right-aligned number column


def test_the_dashboard_shows_the_gap_after_the_planned_measures(pact, progress_data, world, client_for):
    """A1..A6: latest 27 t, goals 17,5 t, planned measures expect 6 t: 9,5 t to go, 3,5 t after them."""
    client = client_for(world["users"]["office"])
    page = client.get(reverse("insights_office:dashboard")).content.decode()
    gap = page.split('id="path-gap"')[1].split("</dl>")[0]
    assert "Lücke zu den Zielen</dt>" in gap and "9,500\u00a0t CO₂e" in gap
    assert "Erwartete Einsparungen geplanter Maßnahmen" in gap and "6,000\u00a0t CO₂e" in gap
    assert "Lücke zu den Zielen nach den geplanten Maßnahmen" in gap and "3,500\u00a0t CO₂e" in gap


def test_quality_flags_name_factors_of_another_year(pact, progress_data):
    """A balance computed with a factor of another year (the year's were not published yet)."""
    from klimapakt.ghg.models import Balance, BalanceLine, EmissionFactor
    from klimapakt.insights.selectors.office import quality_flags
    from klimapakt.reports.models import Report

    org = progress_data["A2"]
    factor = EmissionFactor.objects.order_by("pk").first()
    assert factor is not None, "the reference factors are loaded by a migration"
    balance = Balance.objects.create(organisation=org, year=2023)
    common = {"carrier": "electricity", "carrier_name": "Strom",
              "scope": 2, "quantity": 1000, "unit": "kWh", "factor": factor, "factor_value": "0.4",
              "factor_unit": "kg/kWh", "factor_source": "UBA", "t_location": "0.400", "t_market": "0.400"}
    BalanceLine.objects.create(balance=balance, fallback=True, **common)
    Report.objects.filter(organisation=org, balance_year=2023).update(balance=balance)
    flags = {line.organisation.name: line.flags for line in quality_flags(Filters()).lines}
    assert flags["Alpha 2 GmbH"] == ["2023: Faktoren eines anderen Jahres"]
    BalanceLine.objects.filter(balance=balance).update(fallback=False)
    flags = {line.organisation.name: line.flags for line in quality_flags(Filters()).lines}
    assert "Alpha 2 GmbH" not in flags


def test_the_kind_filter_keeps_only_that_kind(pact, progress_data):
    from klimapakt.partners.models import Organisation

    Organisation.objects.filter(name="Fabrik Sieben").update(kind=Organisation.Kind.ASSOCIATION)
    only = pact_progress(pact, public=False, filters=Filters(kind=Organisation.Kind.ASSOCIATION), today=TODAY)
    assert [(y.year, y.organisations) for y in only.years] == [(2023, 1), (2024, 1)]
    assert only.year(2023).figures()["total_scope12_location"] == D("15.000")
    rest = pact_progress(pact, public=False, filters=Filters(kind=Organisation.Kind.COMPANY), today=TODAY)
    assert [(y.year, y.organisations) for y in rest.years] == [(2023, 7), (2024, 7)]


def test_events_held_and_support_requests_per_year(pact, progress_data):
    """Held: published or closed events that ended; participants: registrations marked as
    attended. Support: requests sent per year, with their ends and the outcomes of the done ones."""
    from django.utils import timezone

    from klimapakt.events.models import Event, Registration
    from klimapakt.support.models import SupportRequest

    def event(start, status=Event.Status.PUBLISHED, attended=(True, True, False)):
        item = Event.objects.create(pact=pact, title_de="Netzwerktreffen", starts_at=start,
                                    ends_at=start + datetime.timedelta(hours=2), venue_name="Rathaus", capacity=50,
                                    status=status)
        for n, came in enumerate(attended):
            Registration.objects.create(event=item, status=Registration.Status.CONFIRMED, first_name="A",
                                        last_name=f"B{n}", email=f"p{n}@firma.example", organisation="Firma",
                                        attended=came)
        return item

    at = lambda y, m: timezone.make_aware(datetime.datetime(y, m, 10, 10))  # noqa: E731
    event(at(2024, 5))
    event(at(2024, 9), status=Event.Status.CLOSED, attended=(True,))
    event(at(2025, 3))
    event(at(2025, 4), status=Event.Status.CANCELLED)  # not held
    event(timezone.now() + datetime.timedelta(days=30))  # not yet held
    org = progress_data["A1"]
    for sent, status, outcome in [(at(2024, 6), "done", "advice_given"), (at(2024, 7), "declined", ""),
                                  (at(2025, 2), "done", "funding_applied"), (at(2025, 8), "sent", "")]:
        SupportRequest.objects.create(organisation=org, description="Hilfe", topics=",heat,", status=status,
                                      outcome=outcome, sent_at=sent)
    progress = pact_progress(pact, public=True, today=TODAY)
    assert [(e.year, e.events, e.participants) for e in progress.events] == [(2024, 2, 3), (2025, 1, 2)]
    years = {s.year: s for s in progress.support}
    assert (years[2024].requests, years[2024].done, years[2024].declined) == (2, 1, 1)
    assert (years[2025].requests, years[2025].done, years[2025].declined) == (2, 1, 0)
    outcomes = [v for v, _label in SupportRequest.Outcome.choices]
    assert years[2024].outcomes[outcomes.index("advice_given")] == 1 and sum(years[2024].outcomes) == 1
    assert years[2025].outcomes[outcomes.index("funding_applied")] == 1 and sum(years[2025].outcomes) == 1
    html = pact_page_html(pact)
    events = html.split('id="table-events"')[1].split("</table>")[0]
    assert '<th scope="row">2024</th><td class="kern-table__cell kp-num">2</td><td class="kern-table__cell kp-num">3</td>' in events


def pact_page_html(pact):
    from django.test import Client

    return Client().get("/fortschritt/").content.decode()


def test_only_consenting_listed_partners_with_an_accepted_report_are_named(pact, progress_data):
    from klimapakt.partners.models import Organisation
    from klimapakt.reports.models import PublicationConsent

    named = ["A1", "A2"]
    for key, org in progress_data.items():
        Organisation.objects.filter(pk=org.pk).update(listing_consent=True)
        PublicationConsent.objects.create(organisation=org, publish_figures=key in named + ["L9", "Kandidat"])
    Organisation.objects.filter(pk=progress_data["A2"].pk).update(listing_consent=False)
    progress = pact_progress(pact, public=True, today=TODAY)
    # A2 is not listed, L9 has left: only A1
    assert [n.label for n in progress.named] == ["Alpha 1 GmbH"]
    assert "Alpha 1 GmbH" in pact_page_html(pact) and "Alpha 3 GmbH" not in pact_page_html(pact)
