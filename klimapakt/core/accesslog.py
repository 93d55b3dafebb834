"""Secrets in URLs stay out of the logs. A personal registration link, an invitation, an e-mail
confirmation or a password reset works for whoever knows its URL; the gunicorn access log (request
line, referer, a ``?next=`` that carries such a path) and Django's "Not Found: /…" warnings
would hand them to everyone who reads the logs. The token segment is replaced by ``***``.

gunicorn.conf.py installs ``TokenMaskingLogger``; settings.LOGGING adds ``MaskTokensFilter`` to
Django's handler. A new URL with a token adds its prefix to TOKEN_PATHS (tests/core/test_accesslog.py
fails on a URL pattern with a token or key parameter that is not masked)."""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

MASK = "***"
_SEP = r"(?:/|%2F)"
# The path segment before the token: events' personal link, partners' invitation, allauth's
# e-mail confirmation and password reset ("<uidb36>-<key>").
TOKEN_PATHS = ("veranstaltungen/anmeldung", "einladung", "confirm-email", "password/reset/key")
_TOKEN = re.compile(
    r"(?P<prefix>" + _SEP + "(?:" + "|".join(p.replace("/", _SEP) for p in TOKEN_PATHS) + ")" + _SEP + ")"
    # the token: up to the next "/", query, fragment, quote or space, also URL-encoded (in ?next=)
    r"(?P<token>(?:[^/?#&=\s\"'%]|%(?!2F)[0-9A-F]{2})+)",
    re.IGNORECASE,
)


def mask_tokens(text: str) -> str:
    """`text` with the token of every secret link replaced by ***."""
    if not isinstance(text, str) or "/" not in text and "%2" not in text.upper():
        return text
    return _TOKEN.sub(lambda m: m.group("prefix") + MASK, text)


class MaskTokensFilter(logging.Filter):
    """A logging filter (any handler or logger): the formatted message with tokens masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class ForbiddenWithoutTracebackFilter(logging.Filter):
    """On django.request: a refused request (PermissionDenied, 403) is an expected answer, logged
    as one warning line ("Forbidden (Permission denied): /path/") without its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        from django.core.exceptions import PermissionDenied

        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, PermissionDenied) or getattr(record, "status_code", None) == 403:
            record.exc_info, record.exc_text = None, None
        return True


class TokenMaskingLogger(Logger):
    """gunicorn's logger with every access-log atom (request line, path, query, referer, headers)
    and every error-log message masked."""

    def setup(self, cfg):
        super().setup(cfg)
        if not any(isinstance(f, MaskTokensFilter) for f in self.error_log.filters):
            self.error_log.addFilter(MaskTokensFilter())

    def atoms(self, resp, req, environ, request_time):
        return {key: mask_tokens(value) if isinstance(value, str) else value
                for key, value in super().atoms(resp, req, environ, request_time).items()}
