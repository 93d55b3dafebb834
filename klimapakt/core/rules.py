"""Roles and the permissions of the shared kernel. Views, API and admin ask `user.has_perm(...)`.

Roles: anonymous public, member/admin of an organisation (predicates in partners/rules.py,
where organisations live), advisor of an initial partner institution, pact office staff
("Geschäftsstelle"). Each app declares its own permissions in ``<app>/rules.py``."""

import rules


@rules.predicate
def is_pact_office(user):
    return bool(getattr(user, "is_authenticated", False) and (user.is_pact_office or user.is_superuser))


@rules.predicate
def is_advisor(user):
    return bool(getattr(user, "is_authenticated", False) and user.advisor_for_id)


is_authenticated = rules.is_authenticated

# Back office
rules.add_perm("core.view_backoffice", is_pact_office | is_advisor)
rules.add_perm("core.manage_pact", is_pact_office)
rules.add_perm("core.edit_pages", is_pact_office)
rules.add_perm("core.manage_documents", is_pact_office)
rules.add_perm("core.view_audit_log", is_pact_office)
rules.add_perm("core.manage_tasks", is_pact_office)
rules.add_perm("core.preview_markdown", is_pact_office | is_advisor)  # core.markdown_preview: who writes texts  # failed mails and background tasks, "retry"
