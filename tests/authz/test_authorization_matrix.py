"""Walk every URL pattern of the project and check each role's answer against the declaration."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from . import registry
from .registry import GONE, LOGIN, OK, REDIRECT, ROLES, Route

# Third-party URL families: checked generically (every pattern, dummy arguments).
THIRD_PARTY_PREFIXES = {
    # Django admin: nobody in our roles is is_staff, so every admin page sends them to the admin login.
    "admin:": {r: "admin_login" for r in ROLES},
}
# allauth's account and MFA pages are public forms or ask for login; they must never fail.
ALLAUTH_NAMES = re.compile(r"^(account_|mfa_|socialaccount_|usersessions_)")


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def all_url_names() -> dict[str, URLPattern]:
    names = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        names.setdefault(name, pattern)
    return names


def declared_routes() -> dict[str, Route]:
    routes = {}
    for info in pkgutil.iter_modules([str(Path(registry.__file__).parent)]):
        if info.name in ("registry", "test_authorization_matrix") or info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"tests.authz.{info.name}")
        for name, route in getattr(module, "ROUTES", {}).items():
            assert name not in routes, f"{name} declared twice"
            routes[name] = route
    return routes


def _third_party(name):
    for prefix, expect in THIRD_PARTY_PREFIXES.items():
        if name.startswith(prefix):
            return expect
    return None


def test_every_url_pattern_is_declared():
    declared = declared_routes()
    undeclared = [n for n in all_url_names() if n not in declared and not _third_party(n)
                  and not ALLAUTH_NAMES.match(n)]
    assert not undeclared, f"URL patterns without an authorization declaration: {sorted(undeclared)}"
    stale = [n for n in declared if n not in all_url_names()]
    assert not stale, f"Declarations for URL names that do not exist: {stale}"


def _check(response, expected, url):
    status = response.status_code
    location = response.headers.get("Location", "")
    if expected == OK:
        assert status == 200, f"{url}: expected 200, got {status} {location}"
    elif expected == LOGIN:
        assert status == 302 and "/konto/login/" in location, f"{url}: expected login redirect, got {status} {location}"
    elif expected == REDIRECT:
        assert status == 302 and "/konto/login/" not in location, f"{url}: expected redirect, got {status} {location}"
    elif expected == "deny":
        assert status == 403, f"{url}: expected 403, got {status}"
    elif expected == GONE:
        assert status == 404, f"{url}: expected 404, got {status}"
    elif expected == "admin_login":
        assert status == 302 and "/admin/login/" in location, f"{url}: expected admin login, got {status} {location}"
    else:
        assert status == expected, f"{url}: expected {expected}, got {status}"


ROUTE_NAMES = sorted(declared_routes())


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_declared_access(name, world, client_for):
    route = declared_routes()[name]
    if route.skip:
        pytest.skip(route.skip)
    for role in ROLES:
        # Fresh objects per role: a POST of one role must not change what the next one meets.
        sid = transaction.savepoint()
        context = dict(world)
        if route.setup:
            context.update(route.setup(world))
        url = reverse(name, kwargs=route.kwargs(context))
        client = client_for(world["users"][role])
        data = route.data(context) if route.data else {}
        response = client.post(url, data) if route.method == "POST" else client.get(url, data)
        _check(response, route.expect[role], f"{role} {route.method} {url}")
        transaction.savepoint_rollback(sid)


def _dummy_kwargs(pattern: URLPattern) -> dict:
    kwargs = {}
    for key, converter in getattr(pattern.pattern, "converters", {}).items():
        kwargs[key] = 1 if converter.__class__.__name__ == "IntConverter" else "x"
    if not kwargs and isinstance(pattern.pattern.regex.pattern, str) and pattern.pattern.regex.groupindex:
        kwargs = {k: "x" for k in pattern.pattern.regex.groupindex}
    return kwargs


def test_admin_is_closed_to_every_role(world, client_for):
    names = [(n, p) for n, p in all_url_names().items() if _third_party(n)]
    assert names
    for role in ROLES:
        client = client_for(world["users"][role])
        for name, pattern in names:
            if name in ("admin:login", "admin:logout", "admin:jsi18n", "admin:view_on_site", "admin:password_reset"):
                continue
            try:
                url = reverse(name, kwargs=_dummy_kwargs(pattern))
            except Exception:
                continue
            _check(client.get(url), "admin_login", f"{role} {url}")


def test_allauth_pages_never_fail(world, client_for):
    names = [(n, p) for n, p in all_url_names().items() if ALLAUTH_NAMES.match(n)]
    assert len(names) > 10
    for role in ROLES:
        client = client_for(world["users"][role])
        for name, pattern in names:
            try:
                url = reverse(name, kwargs=_dummy_kwargs(pattern))
            except Exception:
                continue
            status = client.get(url).status_code
            assert status in (200, 302, 404), f"{role} {url}: {status}"


def test_hidden_documents_are_not_downloadable(world, client_for):
    from .core import EXTRA_CHECKS

    for name, setup, kwargs, expect in EXTRA_CHECKS:
        context = dict(world) | setup(world)
        url = reverse(name, kwargs=kwargs(context))
        for role in ROLES:
            _check(client_for(world["users"][role]).get(url), expect[role], f"{role} {url}")


def test_unlisted_partners_are_404_for_everyone(world, client_for):
    """partners' EXTRA_CHECKS: the public page, badge and API item of an organisation that is
    not a listed partner."""
    from .partners import EXTRA_CHECKS

    for name, setup, kwargs, expect in EXTRA_CHECKS:
        context = dict(world) | setup(world)
        url = reverse(name, kwargs=kwargs(context))
        for role in ROLES:
            _check(client_for(world["users"][role]).get(url), expect[role], f"{role} {url}")
