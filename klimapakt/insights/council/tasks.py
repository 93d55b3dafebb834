"""Background work of the council report (django-tasks)."""

from django_tasks import task


@task()
def build_council_export(export_id: int) -> bool:
    """Build one exported version (PDF and XLSX) of a council report. Safe to run again: it builds
    only an export that is queued or running, and writes its files once, at the end."""
    from .services import council_export_build

    return council_export_build(export_id=export_id)
