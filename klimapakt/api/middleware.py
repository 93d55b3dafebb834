"""The language of an API request. /api/ is not under i18n_patterns, so LocaleMiddleware gives
every API request the default language (German); API clients say which language they want
with the Accept-Language header (RFC 9110) or, where a header is awkward (a link, a cache keyed
by the address), with ``?lang=en``, which wins. The answer says which one it got
(Content-Language, set by LocaleMiddleware; it also adds "Vary: Accept-Language")."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import get_supported_language_variant, parse_accept_lang_header

API_PREFIX = "/api/"


def api_language(accept_language: str) -> str:
    """The first configured language the header asks for, else the default language."""
    for code, _quality in parse_accept_lang_header(accept_language or ""):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def query_language(value: str) -> str | None:
    """The language of ``?lang=``, if it is one the site is configured for."""
    return value if value in dict(settings.LANGUAGES) else None


class ApiLanguageMiddleware:
    """After LocaleMiddleware: for /api/ the language comes from ``?lang=`` or Accept-Language
    only (not from the site's cookie or the path)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            language = (query_language(request.GET.get("lang", ""))
                        or api_language(request.headers.get("Accept-Language", "")))
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
