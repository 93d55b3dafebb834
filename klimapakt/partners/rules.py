"""Permissions of the Klimapartnerschaft (autodiscovered by `rules`). The organisation's own
permissions (view/change/manage members) live in core/rules.py with the roles."""

import rules

from klimapakt.core.rules import is_org_member, is_pact_office

rules.add_perm("partners.view_pipeline", is_pact_office)
rules.add_perm("partners.manage_partnership", is_pact_office)
rules.add_perm("partners.manage_agreement_versions", is_pact_office)
rules.add_perm("partners.view_staff_notes", is_pact_office)
# Staff documents are uploaded by the pact office only, so only the pact office deletes them:
# any of its staff, not just the uploader (the office works as one team on an organisation's file).
# The organisation cannot delete a document, not even one shared with it.
rules.add_perm("partners.delete_document", is_pact_office)
# Accepting or declining the proposed date of the orientation talk: any member of the organisation
# (admin or not; the person the office talks to is often not an admin). Not the pact office: it
# proposed the date and changes it instead.
rules.add_perm("partners.answer_talk", is_org_member)
