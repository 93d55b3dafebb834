"""What the partnership shows on core's pages (registered in apps.py): the home page's count of
active partners and the invitation to join, the back office's counts of organisations."""

from django.db.models import Count, Q

from .models import Organisation
from .selectors import active_partner_counts


def home_count(request) -> dict:
    # Counted over all organisations: cached for a minute so the home page stays flat as the pact grows.
    return active_partner_counts()


def home_join(request) -> dict:
    return {}


def office_counts(request) -> dict:
    return Organisation.objects.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(stage=Organisation.Stage.ACTIVE)),
        interest=Count("pk", filter=Q(stage=Organisation.Stage.INTEREST)),
    )
