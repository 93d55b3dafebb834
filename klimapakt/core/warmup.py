"""Work a fresh web process would otherwise do on its first request, done once before gunicorn
forks its workers (`preload_app` in gunicorn.conf.py), so every worker starts warm and shares
the memory: import the URLconf with every view and API schema, build the URL resolver's
reverse index, load the German and English catalogues and compile the e-mail validator's
regular expressions (lazy, about 40 ms).

Measured: a worker's first API registration took about 600 ms before (most of it importing
the URLconf), a few milliseconds after. Database connections are not opened here: they must
not be shared between forked processes."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import validate_email
from django.urls import get_resolver
from django.utils import translation


def warm_up() -> None:
    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018 - imports every URL module and view, builds the reverse index
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Klimapakt")  # loads the catalogue of this language
    validate_email("warm-up@example.org")
