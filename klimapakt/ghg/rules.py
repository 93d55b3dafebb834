"""Who may see and change CO2 balances and the factor library."""

import rules

from klimapakt.core.rules import is_pact_office
from klimapakt.partners.rules import is_org_member

rules.add_perm("ghg.view_balance", is_pact_office | is_org_member)  # the cheap check first
rules.add_perm("ghg.change_balance", is_pact_office | is_org_member)
rules.add_perm("ghg.manage_factors", is_pact_office)
