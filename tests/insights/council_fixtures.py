"""A hand-built ``Progress`` (insights.figures) for the council report's tests: the report must
show exactly these figures, and "zu wenige Angaben" where one is suppressed."""

import datetime
from fractions import Fraction

from django.utils import timezone

from klimapakt.ghg.calculation.totals import Emissions
from klimapakt.insights import figures as f


def progress(*, year_suppressed: int | None = 2024) -> f.Progress:
    def emissions(s1, s2l, s2m, s3):
        return Emissions(scope1=Fraction(s1), scope2_location=Fraction(s2l), scope2_market=Fraction(s2m),
                         scope3=Fraction(s3))

    years = [
        f.EmissionYear(2023, 7, emissions("1234.56", "2000.04", "1500", "987.65"), measures_total=12,
                       measures_implemented=3),
        f.EmissionYear(2024, 2, None, suppressed=True) if year_suppressed == 2024 else
        f.EmissionYear(2024, 6, emissions("1100", "1900", "1400", "900")),
        f.EmissionYear(2025, 8, emissions("1000.25", "1800", "1300", "950")),
        f.EmissionYear(2027, 9, emissions("900", "1700", "1200", "800")),  # after the report's year
    ]
    path = f.TargetPath(organisations=7, target_year=2035, points=[
        f.PathPoint(2023, Fraction(3200), Fraction(3234)), f.PathPoint(2025, Fraction(2900), Fraction(2800)),
        f.PathPoint(2030, Fraction(2000), None), f.PathPoint(2035, Fraction(1000), None)],
        base=Fraction(3234), latest=Fraction(2800), on_path=Fraction(2900), goal=Fraction(1000),
        planned_savings=Fraction(500))
    return f.Progress(
        public=True, threshold=3, filters=f.Filters(), generated_at=timezone.now(), years=years,
        partners=[f.PartnerYear(2023, 10, 0, 10), f.PartnerYear(2024, 5, 1, 14), f.PartnerYear(2025, 4, 0, 18)],
        by_kind=[f.Count("company", "Unternehmen", 15), f.Count("association", "Verein oder Verband", 3)],
        by_sector=[f.Count("C", "Verarbeitendes Gewerbe", 9), f.Count("G", "Handel", 9)],
        targets=f.TargetShares(partners=18, with_target=12, with_neutral_year=5, with_scope3=2),
        reporting=[f.ReportingCycle(2024, 10, 8, 9, 9), f.ReportingCycle(2025, 14, 10, 12, 11)],
        cohort=f.Cohort(organisations=6, base=Fraction(3000), latest=Fraction(2700)),
        path=path,
        measures=f.Measures(status_labels=["Geplant", "In Umsetzung", "Umgesetzt", "Verschoben", "Verworfen"],
                            rows=[f.MeasureRow("efficiency", "Energieeffizienz", [4, 2, 3, 0, 1], 10, 5,
                                               Fraction("120.45"), Fraction("30.5")),
                                  f.MeasureRow("mobility", "Mobilität", [1, 0, 0, 0, 0], 1, 1, None, None)],
                            status_totals=[5, 2, 3, 0, 1], total=11, organisations=6, expected=Fraction("130.45"),
                            realised=Fraction("30.5")),
        events=[f.EventYear(2024, 6, 143), f.EventYear(2025, 8, 1210)],
        support=[f.SupportYear(2025, 21, 15, 2, 1, [9, 4, 2])],
        support_outcome_labels=["Maßnahme geplant", "Förderung beantragt", "Kein Bedarf"],
        sectors=[f.SectorCell(2025, "C", "Verarbeitendes Gewerbe", 5, Fraction("2000.5")),
                 f.SectorCell(2025, "G", "Handel", 2, None, suppressed=True)],
    )


def use(monkeypatch, value=None):
    """Let the council report read `value` (default: progress()) instead of the database."""
    from klimapakt.insights.council import selectors

    monkeypatch.setattr(selectors, "council_progress", lambda pact, year: value or progress())


def generated(hours: int = 0):
    return timezone.now() - datetime.timedelta(hours=hours)
