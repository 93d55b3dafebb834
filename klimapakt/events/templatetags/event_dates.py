from django import template

from klimapakt.events import formatting

register = template.Library()


@register.filter
def event_when(event) -> str:
    """{{ event|event_when }}: "Mittwoch, 16. Dezember 2026, 16:00–18:00 Uhr"."""
    return formatting.when(event.starts_at, event.ends_at)


@register.filter
def moment(value) -> str:
    """{{ registration.created_at|moment }}: "27. November 2026, 14:34 Uhr"."""
    return formatting.moment(value)
