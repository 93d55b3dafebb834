"""Background work of the reports (django-tasks)."""

from django_tasks import task


@task()
def archive_version_pdf(version_id: int) -> None:
    """Render the PDF of a submitted version once and keep it in private storage: the pact
    office's archive and the partner's copy stay the same even if the layout changes later."""
    from django.core.files.base import ContentFile

    from klimapakt.core.models import Pact

    from .documents import report_pdf
    from .models import ReportVersion

    version = ReportVersion.objects.select_related("report").filter(pk=version_id).first()
    if version is None or version.pdf:
        return
    content = report_pdf(version.report, version.snapshot, version=version, pact=Pact.objects.first())
    version.pdf.save(f"fassung-{version.number}.pdf", ContentFile(content), save=False)
    version.save(update_fields=["pdf"])
