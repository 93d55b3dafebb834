from django.utils import timezone

from .models import Event


def upcoming_public_events(*, pact, limit: int | None = None):
    qs = Event.objects.filter(
        pact=pact, status__in=[Event.Status.PUBLISHED, Event.Status.CLOSED], ends_at__gte=timezone.now()
    ).order_by("starts_at")
    return qs[:limit] if limit else qs
