"""Who may see what of the city's view (django-rules, autodiscovered): the progress page and the
open data are public; the dashboard with every organisation, its drill-down and the council
report are the pact office's."""

import rules

from klimapakt.core.rules import is_pact_office

rules.add_perm("insights.view_dashboard", is_pact_office)
rules.add_perm("insights.close_balance_year", is_pact_office)
