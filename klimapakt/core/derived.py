"""Figures derived from many rows (the back office's counts and yearly overviews), kept in the
shared cache under version counters that every write of their rows moves on, so that a figure is
computed once per change and not on every request, and is never older than the last write.

- ``changed(*names)``: the rows behind `names` changed. The counter moves at once (the writer's
  next page sees it, also inside a test's transaction) and again when the transaction commits
  (so a reader on another app server that cached the old rows during the transaction does not
  keep them).
- ``track(model, name)``: every ``save()`` and ``delete()`` of `model` calls ``changed(name)``
  (also the admin's); writes that bypass them (``QuerySet.update()``, bulk operations) call
  ``changed`` themselves.
- ``cached(names, key, compute, timeout=None)``: `compute()` under the versions of `names` and
  today's date (counts such as "overdue" change at midnight without a write). A figure that
  depends on the time of day (a talk whose hour has passed) passes a shorter `timeout`.
  ``DERIVED_CACHE_SECONDS`` (default 600) bounds a figure's life when a write slipped past both,
  e.g. SQL by hand; after ``migrate`` every tracked name moves on (data migrations send no signals).
- ``page(names, key, object_list, per_page, number)``: a page of a long list whose total count
  is such a figure.

The cache is the shared one (Redis with several app servers), so a change made through one app
server is seen through the other on its next request. A cache that is down never fails a write
or a page: figures are computed as without a cache (and logged)."""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

T = TypeVar("T")
logger = logging.getLogger(__name__)
PREFIX = "klimapakt:derived"


_tracked: set[str] = set()


def _key(name: str) -> str:
    return f"{PREFIX}:version:{name}"


def _fresh() -> str:
    """A version never used before (not a counter: the file cache's incr is a get and a set, and
    two writers could step back to a version a stale figure is stored under)."""
    return f"{time.time_ns()}{secrets.token_hex(4)}"


def versions(names: Iterable[str]) -> str:
    """The current versions of `names` as one cache-key part (one cache round trip)."""
    names = list(names)
    found = cache.get_many([_key(n) for n in names])
    parts = []
    for name in names:
        value = found.get(_key(name))
        if value is None:  # first use, or the cache was emptied: a start that cannot repeat an old one
            cache.add(_key(name), _fresh(), None)
            value = cache.get(_key(name))
        parts.append(str(value))
    return ".".join(parts)


def _bump(name: str) -> None:
    try:
        cache.set(_key(name), _fresh(), None)
    except Exception:  # the cache is down: the write stands; figures may lag by their lifetime
        logger.warning("derived: could not move %s on (cache unavailable)", name, exc_info=True)


def changed(*names: str) -> None:
    """The rows behind `names` changed: move their versions on now and after the commit."""
    for name in names:
        _bump(name)
        transaction.on_commit(lambda name=name: _bump(name))


def track(model, name: str) -> None:
    """Every save() and delete() of `model` changes `name` (connected once, in an AppConfig.ready)."""
    def receiver(sender, **kwargs):
        changed(name)

    _tracked.add(name)
    uid = f"klimapakt.derived:{name}:{model._meta.label}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":delete")


def after_migrate(**kwargs) -> None:
    """A migration's RunPython writes through historical models, which send no signals: every
    tracked figure is read afresh after `migrate` (connected in core's AppConfig.ready)."""
    changed(*sorted(_tracked))


def cached(names: Iterable[str], key: str, compute: Callable[[], T], *, timeout: int | None = None) -> T:
    """compute() for `key` (any text: filters typed by a person are hashed, not put in the key
    as they are), cached under the versions of `names` and today's date."""
    seconds = settings.DERIVED_CACHE_SECONDS if timeout is None else timeout
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    try:
        full = f"{PREFIX}:{digest}:{versions(names)}:{timezone.localdate().isoformat()}"
        value: Any = cache.get(full)
    except Exception:  # the cache is down: compute, as without it
        logger.warning("derived: cache unavailable, %s computed afresh", key[:80], exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(full, value, seconds)
        except Exception:
            logger.warning("derived: could not keep %s (cache unavailable)", key[:80], exc_info=True)
    return value


def page(names: Iterable[str], key: str, object_list, per_page: int, number) -> Page:
    """One page of `object_list` whose total (the paginator's COUNT over every row) is cached
    like a figure: a long list costs the count once per change, not on every page view."""
    paginator = Paginator(object_list, per_page)
    paginator.__dict__["count"] = cached(names, f"count:{key}", object_list.count)  # the cached_property's slot
    return paginator.get_page(number)
