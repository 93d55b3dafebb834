"""What the partnership shows on core's pages (registered in apps.py): the home page's count of
active partners and the invitation to join, the back office's counts of organisations."""

from .models import Organisation
from .selectors import active_partner_counts, pipeline_stage_counts


def home_count(request) -> dict:
    # Counted over all organisations: cached for a minute so the home page stays flat as the pact grows.
    return active_partner_counts()


def home_join(request) -> dict:
    return {}


def office_counts(request) -> dict:
    """The back office's start block: the pipeline's own stage counts (one kept aggregate)."""
    counts = pipeline_stage_counts()
    return {"total": counts["total"], "active": counts[Organisation.Stage.ACTIVE],
            "interest": counts[Organisation.Stage.INTEREST]}
