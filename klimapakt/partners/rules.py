"""Permissions of organisations and the Klimapartnerschaft (autodiscovered by `rules`), and
the role predicates of an organisation's people that other apps use (is_org_member,
is_org_admin)."""

import rules

from klimapakt.core.rules import is_authenticated, is_pact_office


@rules.predicate
def is_org_member(user, organisation):
    if not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    return organisation.memberships.filter(user=user).exists()


@rules.predicate
def is_org_admin(user, organisation):
    if not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    from .models import Membership

    return organisation.memberships.filter(user=user, role=Membership.Role.ADMIN).exists()


# An organisation's own data (the office's check first: it reads no row, the members' check does)
rules.add_perm("partners.create_organisation", is_authenticated)
rules.add_perm("partners.view_organisation", is_pact_office | is_org_member)
rules.add_perm("partners.change_organisation", is_pact_office | is_org_admin)
rules.add_perm("partners.manage_members", is_pact_office | is_org_admin)

# The pact office's work on organisations
rules.add_perm("partners.view_organisations", is_pact_office)

rules.add_perm("partners.view_pipeline", is_pact_office)
rules.add_perm("partners.manage_partnership", is_pact_office)
rules.add_perm("partners.manage_agreement_versions", is_pact_office)
rules.add_perm("partners.view_staff_notes", is_pact_office)
# Staff documents are uploaded by the pact office only, so only the pact office deletes them:
# any of its staff, not just the uploader (the office works as one team on an organisation's file).
# The organisation cannot delete a document, not even one shared with it.
rules.add_perm("partners.delete_document", is_pact_office)
rules.add_perm("partners.remove_organisation", is_pact_office)   # delete or anonymise one without members
# Accepting or declining the proposed date of the orientation talk: any member of the organisation
# (admin or not; the person the office talks to is often not an admin). Not the pact office: it
# proposed the date and changes it instead.
rules.add_perm("partners.answer_talk", is_org_member)
