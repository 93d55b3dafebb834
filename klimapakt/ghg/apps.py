from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "klimapakt.ghg"
    label = "ghg"
    verbose_name = _("CO₂-Bilanz")

    def ready(self):
        from klimapakt.core import registry as r
        from klimapakt.core.audit import register_actions

        from . import privacy
        from .audit import ACTIONS, details

        register_actions("ghg", ACTIONS, details)
        r.main_navigation.add(r.NavItem("calculator", "ghg:calculator", _("CO₂-Rechner"), order=50))
        r.main_navigation.add(r.NavItem("method", "ghg:method", _("Wie wir rechnen"), order=60))
        r.backoffice_navigation.add(r.NavItem("factors", "ghg_office:factors", _("Emissionsfaktoren"),
                                              permission="ghg.manage_factors", order=50))
        r.demo_loaders.add(r.DemoLoader("ghg", _load_demo, order=40))
        r.scheduled_jobs.add(r.Job("recompute_balances", _("Offene CO₂-Bilanzen nach Faktor-Änderungen neu berechnen"),
                                   every=60, order=20))
        r.api_routers.add(r.ApiRouter("ghg", "klimapakt.ghg.api:router", order=30))
        r.privacy.add(r.PrivacyHandler("ghg", export=privacy.export, order=30,
                                       delete_organisation=privacy.delete_organisation,
                                       anonymise_organisation=privacy.anonymise_organisation))
        from django_tasks.signals import task_finished

        task_finished.connect(_import_task_finished, dispatch_uid="ghg.import_task_finished")


def _import_task_finished(sender, task_result, **kwargs):
    """A large import's task ended: if it failed (an error, or the reaper found its worker dead),
    the import shows as failed and can be retried, instead of "Wird importiert" for ever."""
    from .selectors import IMPORT_TASK
    from .services import import_task_failed

    if task_result.task.module_path != IMPORT_TASK:
        return
    if str(getattr(task_result.status, "value", task_result.status)) != "FAILED":
        return
    job_id = (task_result.kwargs or {}).get("job_id")
    if job_id is not None:
        import_task_failed(job_id=job_id)


def _load_demo(pact):
    from .demo import load

    load(pact)
