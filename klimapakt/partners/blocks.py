"""What the partnership shows on core's pages (registered in apps.py): the home page's count of
active partners and the invitation to join, the back office's counts of organisations."""

from django.db.models import Count, Q

from klimapakt.core import derived

from .models import Organisation
from .office_tasks import PIPELINE
from .selectors import active_partner_counts


def home_count(request) -> dict:
    # Counted over all organisations: cached for a minute so the home page stays flat as the pact grows.
    return active_partner_counts()


def home_join(request) -> dict:
    return {}


def _office_counts() -> dict:
    return Organisation.objects.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(stage=Organisation.Stage.ACTIVE)),
        interest=Count("pk", filter=Q(stage=Organisation.Stage.INTEREST)),
    )


def office_counts(request) -> dict:
    """The back office's start block, kept until the pipeline changes (core.derived)."""
    return derived.cached([PIPELINE], "partners:office-counts", _office_counts)
