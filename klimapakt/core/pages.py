"""Pages the office adds (beside the five fixed ones): where they live and which addresses they
may take. A page's slug is its address, ``/<slug>/`` (``/en/<slug>/`` in English), answered by
``core.views.custom_page``, whose pattern (``core.urls_pages``) comes last in the URLconf: every
page of the platform is found first. So that no page hides or is hidden by one of the
platform's addresses, a slug may not be the first path segment of any URL pattern of the project
(``konto``, ``veranstaltungen``, ``impressum``, ``api``, ...) nor one of the fixed pages' keys."""

from __future__ import annotations

import re
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.translation import gettext as _

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_CUSTOM_PAGES = 50      # bound of the office's own pages (the footer and the back-office list)
# Addresses that are not URL patterns of Django's but belong to the server or the back office's
# own page list ("seiten/neu/").
RESERVED = {"static", "media", "en", "de", "neu", "favicon-ico", "robots-txt", "well-known"}


def _first_segment(route: str) -> str:
    route = route.lstrip("^")
    segment = route.split("/", 1)[0]
    return segment if SLUG_RE.match(segment or "-") else ""


def _segments(patterns) -> set[str]:
    found: set[str] = set()
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            # i18n_patterns' resolver and include("...") with the empty prefix: look inside.
            if route in ("", "^") or route.startswith("<") or getattr(pattern.pattern, "language_code", None) \
                    or type(pattern.pattern).__name__ == "LocalePrefixPattern":
                found |= _segments(pattern.url_patterns)
            else:
                found.add(_first_segment(route))
        elif isinstance(pattern, URLPattern):
            found.add(_first_segment(route))
    found.discard("")
    return found


@lru_cache(maxsize=1)
def taken_segments() -> frozenset[str]:
    """The first path segments the project's URL patterns use (read once per process)."""
    return frozenset(_segments(get_resolver().url_patterns))


def validate_page_slug(slug: str) -> None:
    """A slug the office may give a page: a plain address segment, free of the platform's."""
    from .models import Page

    if not (2 <= len(slug) <= 60) or not SLUG_RE.match(slug):
        raise ValidationError({"slug": [_(
            "Die Adresse besteht aus 2 bis 60 Kleinbuchstaben, Ziffern und einzelnen Bindestrichen, "
            "z. B. „barrierefreiheit“.")]})
    if slug in Page.Slug.values or slug in RESERVED or slug in taken_segments():
        raise ValidationError({"slug": [_(
            "Die Adresse „%(slug)s“ verwendet die Plattform selbst. Bitte wählen Sie eine andere.") % {"slug": slug}]})
