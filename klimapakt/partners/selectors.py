from django.db.models import Count, Q

from .models import Organisation


def organisations_of(user):
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def organisation_counts() -> dict:
    """Active partners in total and by kind, for the home page (one query)."""
    kinds = {k: Count("pk", filter=Q(kind=k)) for k in Organisation.Kind.values}
    row = Organisation.objects.filter(stage=Organisation.Stage.ACTIVE).aggregate(total=Count("pk"), **kinds)
    return {"total": row.pop("total"), "by_kind": [(Organisation.Kind(k).label, n) for k, n in row.items() if n]}
