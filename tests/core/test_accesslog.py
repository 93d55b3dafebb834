"""Secret links stay out of the logs (attack pass, issue 11: registration and invitation tokens
appeared in the gunicorn access log)."""

import logging
import types

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from klimapakt.core.accesslog import MaskTokensFilter, TokenMaskingLogger, mask_tokens

SECRET = "Zq7Vx9SECRETk3J"


@pytest.mark.parametrize(("text", "masked"), [
    (f"GET /veranstaltungen/anmeldung/{SECRET}/ HTTP/1.1", "GET /veranstaltungen/anmeldung/***/ HTTP/1.1"),
    (f"POST /en/veranstaltungen/anmeldung/{SECRET}/stornieren/ HTTP/1.1",
     "POST /en/veranstaltungen/anmeldung/***/stornieren/ HTTP/1.1"),
    (f"GET /einladung/{SECRET}/", "GET /einladung/***/"),
    (f"/konto/confirm-email/MQ:1vabc:{SECRET}/", "/konto/confirm-email/***/"),
    (f"/konto/password/reset/key/4-{SECRET}/", "/konto/password/reset/key/***/"),
    (f"GET /konto/login/?next=%2Feinladung%2F{SECRET}%2F HTTP/1.1", "GET /konto/login/?next=%2Feinladung%2F***%2F HTTP/1.1"),
    (f"https://klimapakt.example/einladung/{SECRET}", "https://klimapakt.example/einladung/***"),
    ("GET /veranstaltungen/12/anmelden/ HTTP/1.1", "GET /veranstaltungen/12/anmelden/ HTTP/1.1"),
    ("GET /mein-bereich/ HTTP/1.1", "GET /mein-bereich/ HTTP/1.1"),
])
def test_mask_tokens(text, masked):
    assert mask_tokens(text) == masked


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            yield from _patterns(entry, prefix + namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry


def _secret_routes():
    routes = {}
    for name, entry in _patterns(get_resolver()):
        names = set(entry.pattern.regex.groupindex)
        if names & {"token", "key"}:
            routes[name] = {k: ("4" if k == "uidb36" else SECRET) for k in names}
    return routes


def test_every_url_with_a_token_is_masked():
    routes = _secret_routes()
    assert {"events:registration", "invitation:accept", "account_confirm_email",
            "account_reset_password_from_key"} <= set(routes)
    for name, kwargs in routes.items():
        url = reverse(name, kwargs=kwargs)
        assert SECRET not in mask_tokens(f"GET {url} HTTP/1.1"), url
        assert SECRET not in mask_tokens(f"/en{url}"), url


def test_gunicorn_access_log_masks_request_line_referer_and_query(tmp_path):
    from gunicorn.config import Config

    cfg = Config()
    log_file = tmp_path / "access.log"
    cfg.set("accesslog", str(log_file))
    cfg.set("access_log_format", '"%(r)s" %(U)s %(q)s "%(f)s" %({location}o)s')
    logger = TokenMaskingLogger(cfg)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/einladung/{SECRET}/?x=1", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": f"/einladung/{SECRET}/", "QUERY_STRING": f"next=%2Feinladung%2F{SECRET}%2F",
               "HTTP_REFERER": f"https://klimapakt.example/veranstaltungen/anmeldung/{SECRET}/",
               "REMOTE_ADDR": "127.0.0.1"}
    response = types.SimpleNamespace(status="302 Found", sent=0,
                                     headers=[("Location", f"/konto/login/?next=/einladung/{SECRET}/")])
    request = types.SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger.access(response, request, environ, __import__("datetime").timedelta(seconds=0))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = log_file.read_text()
    assert "/einladung/***/" in line and "/veranstaltungen/anmeldung/***/" in line
    assert SECRET not in line
    logger.error("Error handling request /einladung/%s/", SECRET)
    assert any(isinstance(f, MaskTokensFilter) for f in logger.error_log.filters)


def test_gunicorn_uses_the_masking_logger():
    from pathlib import Path

    from gunicorn.config import Config

    cfg = Config()
    namespace = {}
    conf = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    exec(compile(conf.read_text(), str(conf), "exec"), namespace)
    cfg.set("logger_class", namespace["logger_class"])
    assert cfg.logger_class is TokenMaskingLogger


@pytest.mark.django_db
def test_djangos_not_found_warning_is_masked(client, pact, caplog):
    handler_filter = MaskTokensFilter()
    caplog.handler.addFilter(handler_filter)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/einladung/{SECRET}/")
    assert response.status_code == 404
    assert "Not Found: /einladung/***/" in caplog.text and SECRET not in caplog.text


def test_django_logging_uses_the_filter():
    from django.conf import settings

    filters = settings.LOGGING["handlers"]["console"]["filters"]
    assert [settings.LOGGING["filters"][f]["()"] for f in filters] == ["klimapakt.core.accesslog.MaskTokensFilter"]
