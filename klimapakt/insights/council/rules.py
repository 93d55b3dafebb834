"""Who may write and export the council report: the pact office."""

import rules

from klimapakt.core.rules import is_pact_office

rules.add_perm("insights.manage_council_report", is_pact_office)
