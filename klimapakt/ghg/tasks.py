"""Background work of the CO2 balance (django-tasks)."""

from django_tasks import task


@task()
def recompute_open_balances() -> int:
    """After a factor change: recompute every balance that is not frozen."""
    from .services import recompute_open_balances_now

    return recompute_open_balances_now()


@task()
def import_run(job_id: int, actor_id: int | None) -> None:
    """Import a large validated spreadsheet without blocking the web request."""
    from .services import import_execute

    import_execute(job_id=job_id, actor_id=actor_id)
