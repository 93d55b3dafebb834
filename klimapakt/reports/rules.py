"""Who may see and write reports and measures (autodiscovered by `rules`)."""

import rules

from klimapakt.core.rules import is_pact_office
from klimapakt.partners.rules import is_org_member

# The organisation's own reports and measures: its members write, the pact office reads and reviews.
rules.add_perm("reports.view_reports", is_pact_office | is_org_member)  # the cheap check first
rules.add_perm("reports.change_reports", is_org_member)
rules.add_perm("reports.review_reports", is_pact_office)
rules.add_perm("reports.manage_catalogue", is_pact_office)
