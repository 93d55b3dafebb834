"""Core knows no domain app: its code imports none (checked by import-linter in `make test`, see
pyproject.toml) and its templates link to no domain app's pages; those come from the registries."""

import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2] / "klimapakt"
CORE_TEMPLATES = [ROOT / "core" / "templates", ROOT / "templates"]
DOMAIN_APPS = ("partners", "events", "ghg", "reports", "support", "insights")
URL_TAG = re.compile(r"""\{%\s*url\s+['"]([^'"]+)['"]""")


def _views_by_name(resolver=None, namespace="") -> dict[str, str]:
    """{"namespace:name": module of the view} for every named URL."""
    found = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(_views_by_name(pattern, inner))
        elif isinstance(pattern, URLPattern) and pattern.name:
            callback = pattern.callback
            module = getattr(callback, "__module__", "") or ""
            view_class = getattr(callback, "view_class", None)
            found[f"{namespace}{pattern.name}"] = getattr(view_class, "__module__", module)
    return found


def test_core_templates_link_no_domain_page():
    views = _views_by_name()
    offenders = []
    for folder in CORE_TEMPLATES:
        for path in folder.rglob("*.html"):
            for name in URL_TAG.findall(path.read_text()):
                module = views.get(name, "")
                assert module, f"{path}: unknown URL name {name}"
                if module.split(".")[1:2] and module.split(".")[1] in DOMAIN_APPS:
                    offenders.append((str(path.relative_to(ROOT)), name, module))
    assert not offenders, offenders


def test_the_check_recognises_a_domain_page():
    views = _views_by_name()
    assert views["backoffice:organisations"].startswith("klimapakt.partners")
    assert views["core:home"].startswith("klimapakt.core")


def test_core_code_names_no_domain_app():
    pattern = re.compile(r"klimapakt\.(" + "|".join(DOMAIN_APPS) + r")\b")
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "core").rglob("*.py") if pattern.search(p.read_text())]
    assert not offenders, offenders
