"""The council report (issue 14): no page of its own to time (its pages are the office's), but
its background build: PDF and XLSX of the council report at this scale, budget 15 s."""


def generate(ctx) -> None:
    """Nothing of its own: the report reads the figures the other apps' data make."""


def pages(ctx) -> list[dict]:
    return []


def measure(ctx) -> dict:
    import time

    from django.utils import timezone

    from klimapakt.insights.council import services
    from klimapakt.insights.models import CouncilExport, CouncilReport

    report, _created = CouncilReport.objects.get_or_create(pact=ctx.pact, year=timezone.localdate().year - 1)
    number = (CouncilExport.objects.filter(report=report).count()) + 1
    export = CouncilExport.objects.create(report=report, number=number)
    started = time.perf_counter()
    built = services.council_export_build(export_id=export.pk)
    seconds = time.perf_counter() - started
    export.refresh_from_db()
    return {"council_report_build_s": round(seconds, 2), "council_report_built": built,
            "council_report_pdf_kb": round(export.pdf.size / 1024) if export.pdf else None}
