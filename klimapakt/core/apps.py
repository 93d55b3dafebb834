from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "klimapakt.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import (
            checks,  # noqa: F401
            derived,
        )
        from . import registry as r
        from .audit import register_actions
        from .audit_names import ACTIONS, details

        register_actions("core", ACTIONS, details)
        post_migrate.connect(derived.after_migrate, dispatch_uid="klimapakt.derived.after_migrate")
        r.main_navigation.add(r.NavItem("documents", "core:documents", _("Dokumente"), order=40))
        r.backoffice_navigation.add(r.NavItem("start", "backoffice:start", _("Aufgaben"),
                                              permission="core.view_backoffice", order=10, badge=_open_tasks))
        for key, url_name, label, permission, order in [
            ("pages", "backoffice:pages", _("Seiten"), "core.edit_pages", 80),
            ("documents", "backoffice:documents", _("Dokumente"), "core.manage_documents", 81),
            ("pact", "backoffice:pact", _("Pakt-Einstellungen"), "core.manage_pact", 82),
            ("audit", "backoffice:audit", _("Protokoll"), "core.view_audit_log", 90),
            ("tasks", "backoffice:tasks", _("Hintergrundaufgaben"), "core.manage_tasks", 91),
        ]:
            r.backoffice_navigation.add(r.NavItem(key, url_name, label, permission=permission, order=order))
        r.home_figures.add(r.Block("target_year", "core/blocks/target_year.html", lambda request: {}, order=20))
        r.demo_loaders.add(r.DemoLoader("core", _load_demo, order=0))
        r.scheduled_jobs.add(r.Job("prune_db_task_results", _("Erledigte Hintergrundaufgaben aufräumen"), "03:45",
                                   enabled=_tasks_in_database, order=15))
        r.scheduled_jobs.add(r.Job("retry_due_mails", _("Fällige E-Mails erneut versenden"), every=60, order=1))
        r.scheduled_jobs.add(r.Job("reap_tasks", _("Aufgaben ausgefallener Worker freigeben"), every=60,
                                   enabled=_tasks_in_database, order=2))
        r.register_idempotent_task("klimapakt.core.mail.deliver_mail")  # deliver() claims the row


def _load_demo(pact):
    from .demo import load

    load(pact)


def _open_tasks(request) -> int:
    from .inbox import open_count

    return open_count(request)


def _tasks_in_database() -> bool:
    from django.conf import settings

    return settings.TASK_BACKEND == "database"
