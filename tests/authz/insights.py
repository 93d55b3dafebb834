"""Insights: the council report ("Sachstandsbericht") and its exported versions only for the pact
office; advisors and members are denied, anonymous people asked to log in."""

from .registry import REDIRECT, Route, staff_only


def _report(world):
    from klimapakt.insights.models import CouncilReport

    return {"council_report": CouncilReport.objects.create(pact=world["pact"], year=2025)}


def _export(world):
    from django.core.files.base import ContentFile

    from klimapakt.insights.models import CouncilExport

    extra = _report(world)
    export = CouncilExport(report=extra["council_report"], number=1, status=CouncilExport.Status.DONE, progress=100)
    export.pdf.save("bericht.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    export.xlsx.save("bericht.xlsx", ContentFile(b"PK test"), save=False)
    export.save()
    return extra | {"council_export": export}


def _failed(world):
    from klimapakt.insights.models import CouncilExport

    extra = _export(world)
    CouncilExport.objects.filter(pk=extra["council_export"].pk).update(status=CouncilExport.Status.FAILED)
    return extra


def _report_kwargs(world):
    return {"pk": world["council_report"].pk}


def _export_kwargs(world):
    return {"report_pk": world["council_report"].pk, "pk": world["council_export"].pk}


ROUTES = {
    "backoffice:council_reports": Route(staff_only()),
    "backoffice:council_report": Route(staff_only(), setup=_report, kwargs=_report_kwargs),
    "backoffice:council_export_create": Route(staff_only(office=REDIRECT), method="POST", setup=_report,
                                              kwargs=_report_kwargs),
    "backoffice:council_export": Route(staff_only(), setup=_export, kwargs=_export_kwargs),
    "backoffice:council_export_retry": Route(staff_only(office=REDIRECT), method="POST", setup=_failed,
                                             kwargs=_export_kwargs),
    "backoffice:council_export_pdf": Route(staff_only(), setup=_export, kwargs=_export_kwargs),
    "backoffice:council_export_xlsx": Route(staff_only(), setup=_export, kwargs=_export_kwargs),
}
