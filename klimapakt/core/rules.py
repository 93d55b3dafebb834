"""Roles and permissions, in one place. Views, API and admin ask `user.has_perm(...)`.

Roles: anonymous public, member/admin of an organisation, advisor of an initial partner
institution, pact office staff ("Geschäftsstelle")."""

import rules


@rules.predicate
def is_pact_office(user):
    return bool(getattr(user, "is_authenticated", False) and (user.is_pact_office or user.is_superuser))


@rules.predicate
def is_advisor(user):
    return bool(getattr(user, "is_authenticated", False) and user.advisor_for_id)


@rules.predicate
def is_org_member(user, organisation):
    if not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    return organisation.memberships.filter(user=user).exists()


@rules.predicate
def is_org_admin(user, organisation):
    if not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    from klimapakt.partners.models import Membership

    return organisation.memberships.filter(user=user, role=Membership.Role.ADMIN).exists()


is_authenticated = rules.is_authenticated

# Back office
rules.add_perm("core.view_backoffice", is_pact_office | is_advisor)
rules.add_perm("core.manage_pact", is_pact_office)
rules.add_perm("core.edit_pages", is_pact_office)
rules.add_perm("core.manage_documents", is_pact_office)
rules.add_perm("core.view_audit_log", is_pact_office)
rules.add_perm("core.view_organisations", is_pact_office)

# Organisations
rules.add_perm("partners.create_organisation", is_authenticated)
rules.add_perm("partners.view_organisation", is_org_member | is_pact_office)
rules.add_perm("partners.change_organisation", is_org_admin | is_pact_office)
rules.add_perm("partners.manage_members", is_org_admin | is_pact_office)
