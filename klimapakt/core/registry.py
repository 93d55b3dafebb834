"""How apps plug into the house without core knowing them.

Core owns these registries; each domain app fills them once, in its ``AppConfig.ready()``
(``klimapakt/<app>/apps.py``), and core reads them. Core never imports a domain app and keeps
no list of apps: a new app (support, insights, ...) registers what it brings and appears in
the navigation, the home page, the privacy export, the demo, the API and the scheduler.

The pattern is the one ``core.audit.register_actions`` started with: plain module-level
lists, written at start-up only (``ready()`` runs once per process, before any request), read
everywhere after. Order is explicit (``order``), never the order of INSTALLED_APPS.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class Registry:
    """An ordered collection of contributions of one kind."""

    def __init__(self, name: str):
        self.name = name
        self._items: list[Any] = []

    def add(self, item):
        key = getattr(item, "key", None)
        if key is not None and any(getattr(other, "key", None) == key for other in self._items):
            raise ValueError(f"{self.name}: {key!r} is registered twice")
        self._items.append(item)
        self._items.sort(key=lambda entry: getattr(entry, "order", 100))
        return item

    def __iter__(self):
        return iter(list(self._items))

    def __len__(self):
        return len(self._items)

    def get(self, key):
        return next((item for item in self._items if getattr(item, "key", None) == key), None)


# --------------------------------------------------------------------------- navigation


@dataclass(frozen=True)
class NavItem:
    """A link in one of the site's menus. ``permission``: shown only to users who have it;
    ``authenticated``: shown only to logged-in users; ``badge(request) -> int``: a number shown
    with the link (the back office's start page: its open to-dos), none when 0."""

    key: str
    url_name: str
    label: Any
    permission: str | None = None
    authenticated: bool = False
    order: int = 100
    badge: Callable[[Any], int] | None = None


main_navigation = Registry("main navigation")          # the public header menu
account_navigation = Registry("account navigation")    # the top bar of a logged-in person
backoffice_navigation = Registry("back-office navigation")
footer_navigation = Registry("footer navigation")      # the footer's service links after core's own

# Dotted paths of URL modules whose patterns belong to the back office's "backoffice" namespace
# (their URL names read backoffice:<name>), mounted by klimapakt/core/urls_backoffice.py.
backoffice_urls: list[str] = []


def register_backoffice_urls(module: str) -> None:
    if module not in backoffice_urls:
        backoffice_urls.append(module)


# --------------------------------------------------------------------------- page blocks


@dataclass(frozen=True)
class Block:
    """A part of a page another app renders: ``template`` is included with the dict that
    ``context(request)`` returns; a block whose context is None is left out. ``permission``
    restricts a back-office block to users who have it."""

    key: str
    template: str
    context: Callable[[Any], dict | None]
    order: int = 100
    permission: str | None = None


home_figures = Registry("home page figures")       # the cards in the home page's "Der Pakt in Zahlen"
home_sections = Registry("home page sections")     # sections below the pact's text
backoffice_start = Registry("back-office start")   # figures on the back office's start page


def blocks_for(registry: Registry, request) -> list[dict]:
    """The blocks of `registry` this request may see, each {"template", "context"}."""
    out = []
    user = getattr(request, "user", None)
    for block in registry:
        if block.permission and not (user is not None and user.has_perm(block.permission)):
            continue
        context = block.context(request)
        if context is not None:
            out.append({"key": block.key, "template": block.template, "context": context})
    return out


# --------------------------------------------------------------------------- the office's to-dos


@dataclass(frozen=True)
class Task:
    """One thing the pact office has to do: ``title`` (usually the organisation's name),
    ``detail`` (what is to be done, in words), ``url`` (the page where it is done) and ``since``
    (a date or an aware datetime: when it became a to-do, shown as its age, "seit 3 Tagen")."""

    title: str
    url: str
    since: datetime.date | datetime.datetime | None
    detail: str = ""


@dataclass(frozen=True)
class OfficeTasks:
    """A kind of to-do on the back office's start page (the office's work list). ``collect(
    request, limit) -> list[Task]``: the oldest `limit` open ones, in a constant number of
    queries; ``count(request) -> int``: how many are open in all (one query, summed into the
    navigation's badge); ``more_url() -> str``: the app's list page that shows all of them
    ("alle anzeigen"); ``permission``: only people who have it see this kind; ``sources``: the
    ``core.derived`` names the list is made of: given, the list is kept until one of them
    changes (only for lists that are the same for everybody who may see them), at most
    ``lifetime`` seconds where given (lists that change with the time of day)."""

    key: str
    label: Any
    collect: Callable[[Any, int], list[Task]]
    count: Callable[[Any], int]
    more_url: Callable[[], str] | None = None
    order: int = 100
    permission: str | None = None
    sources: tuple[str, ...] = ()
    lifetime: int | None = None


office_tasks = Registry("office tasks")


# --------------------------------------------------------------------------- privacy (DSGVO)


@dataclass(frozen=True)
class PrivacyHandler:
    """What an app stores about a person. ``export(user) -> dict`` goes into the person's
    download under ``key``; ``check_erasable(user)`` raises ValidationError when the account
    may not go yet (e.g. the last admin of an organisation with members); ``erase(user)``
    removes what must go with the account (called inside the deletion's transaction).

    For an organisation that the pact office removes (partners' organisation_delete /
    organisation_anonymise, inside their transaction): ``delete_organisation(organisation)``
    removes the app's rows of it that the deletion's cascade cannot (e.g. behind a PROTECT)
    and its uploaded files, after commit, through their storage; ``anonymise_organisation(
    organisation)`` removes the app's uploaded files and personal data of it but keeps its
    figures, which go on counting in the pact's totals."""

    key: str
    export: Callable[[Any], dict] | None = None
    erase: Callable[[Any], None] | None = None
    check_erasable: Callable[[Any], None] | None = None
    order: int = 100
    delete_organisation: Callable[[Any], None] | None = None
    anonymise_organisation: Callable[[Any], None] | None = None


privacy = Registry("privacy")


# --------------------------------------------------------------------------- demo, API, jobs


@dataclass(frozen=True)
class DemoLoader:
    """``load(pact)`` adds the app's demo content (idempotent)."""

    key: str
    load: Callable[[Any], None]
    order: int = 100


demo_loaders = Registry("demo loaders")


@dataclass(frozen=True)
class ApiRouter:
    """A django-ninja Router mounted under /api/v1/; ``router`` is a dotted path
    "module:attribute" imported when the API is built (after every app is ready)."""

    key: str
    router: str
    order: int = 100


api_routers = Registry("API routers")


@dataclass(frozen=True)
class Job:
    """A job of the built-in scheduler: a management command and its label for the back office.
    A daily job has its default local time ``at`` ("HH:MM"); a frequent job has ``every``
    seconds instead (the outbox's retries, the reaper of tasks whose worker died), run by every
    scheduler process without a claim, so it must be safe to run twice at once. ``enabled()``
    may switch a job off for an installation (e.g. a job only the database task backend needs)."""

    key: str           # the management command
    label: Any
    at: str = ""
    enabled: Callable[[], bool] = field(default=lambda: True)
    order: int = 100
    every: int = 0     # seconds; 0: a daily job at `at`

    @property
    def time(self) -> datetime.time:
        return datetime.time.fromisoformat(self.at)


scheduled_jobs = Registry("scheduled jobs")


# --------------------------------------------------------------------------- background tasks

# Dotted paths of tasks (as django-tasks stores them, e.g. "klimapakt.core.mail.deliver_mail")
# that may run again after their worker died half-way: running them twice does no harm. The
# reaper (core.workers) queues these again; any other task whose worker died is marked failed,
# for the office to retry. With RQ, these tasks get RQ's own retries.
idempotent_tasks: set[str] = set()


def register_idempotent_task(task_path: str) -> None:
    idempotent_tasks.add(task_path)


# --------------------------------------------------------------------------- mail attachments

# Attachments built when a queued mail is sent (a PDF of the state at sending time), by name:
# builder(language=..., **arguments) -> (file name, content as bytes or str, MIME type).
mail_attachments: dict[str, Callable[..., tuple[str, bytes | str, str]]] = {}


def register_mail_attachment(name: str, builder: Callable[..., tuple[str, bytes | str, str]]) -> None:
    mail_attachments[name] = builder


# --------------------------------------------------------------------------- public media

# Folders of the default storage that /media/ serves to anyone (core.views.public_media), besides
# core's own (the pact's and initial partners' logos, partners' logos). Every other upload goes
# through a permission-checked view. An app adds a folder whose files are public by nature
# (events: the event's picture).
public_media_folders: list[str] = []


def register_public_media_folder(folder: str) -> None:
    if not folder.endswith("/") or folder.startswith("/") or ".." in folder:
        raise ValueError(f"public media folder {folder!r}: a relative folder ending in '/'")
    if folder not in public_media_folders:
        public_media_folders.append(folder)
