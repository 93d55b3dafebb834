"""The back office's derived figures (core/derived.py, issue 18): computed once per change of
their rows, never shown older than the last write through save(), delete() or a service, on
either side of a commit; and the pages that use them show a change on their next view."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klimapakt.core import derived
from klimapakt.partners.models import Organisation
from klimapakt.partners.office_tasks import PIPELINE

pytestmark = pytest.mark.django_db


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute, calls


def test_a_figure_is_computed_once_until_its_rows_change():
    compute, calls = _counter()
    assert derived.cached(["a"], "k", compute) == 1
    assert derived.cached(["a"], "k", compute) == 1
    derived.changed("b")  # another name: still kept
    assert derived.cached(["a"], "k", compute) == 1
    derived.changed("a")
    assert derived.cached(["a"], "k", compute) == 2
    assert derived.cached(["b", "a"], "k", compute) == 3  # each name counts
    assert len(calls) == 3


def test_keys_typed_by_people_are_kept_apart_and_hashed():
    assert derived.cached(["a"], "q:Bäckerei \n x" * 50, lambda: "one") == "one"
    assert derived.cached(["a"], "q:Metallbau", lambda: "two") == "two"
    assert derived.cached(["a"], "q:Bäckerei \n x" * 50, lambda: "three") == "one"


def test_a_new_day_computes_afresh(monkeypatch):
    compute, calls = _counter()
    derived.cached(["a"], "k", compute)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    assert derived.cached(["a"], "k", compute) == 2  # "overdue" changes at midnight without a write


def test_save_and_delete_of_a_tracked_model_move_the_version_on():
    before = derived.versions([PIPELINE])
    org = Organisation.objects.create(name="Gamma GmbH")
    after_create = derived.versions([PIPELINE])
    assert after_create != before
    org.name = "Gamma AG"
    org.save()
    after_save = derived.versions([PIPELINE])
    assert after_save != after_create
    org.delete()
    assert derived.versions([PIPELINE]) != after_save


def test_the_version_moves_again_after_the_commit(django_capture_on_commit_callbacks):
    """A reader on another app server may cache the old rows while the writer's transaction is
    still open; the second move after the commit makes it read them again."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        derived.changed("a")
        during = derived.versions(["a"])
    assert len(callbacks) == 1
    callbacks[0]()
    assert derived.versions(["a"]) != during


def test_an_emptied_cache_starts_a_version_that_cannot_repeat_an_old_one():
    from django.core.cache import cache

    first = derived.versions(["a"])
    cache.clear()
    assert derived.versions(["a"]) != first


def test_a_page_counts_its_list_once_per_change(world):
    qs = Organisation.objects.order_by("name", "pk")
    with CaptureQueriesContext(connection) as first:
        page = derived.page([PIPELINE], "orgs", qs, 1, 2)
        list(page)
    with CaptureQueriesContext(connection) as second:
        page = derived.page([PIPELINE], "orgs", qs, 1, 2)
        list(page)
    assert len(first) == 2 and len(second) == 1  # the COUNT is kept
    assert page.paginator.count == 2 and page.number == 2
    Organisation.objects.create(name="Gamma GmbH")
    assert derived.page([PIPELINE], "orgs", qs, 1, 3).paginator.count == 3


# --- the pages: a change shows on the next view ------------------------------------------------

def test_the_office_work_list_shows_new_interest_at_once(world, client_for):
    client = client_for(world["users"]["office"])
    start = reverse("backoffice:start")
    before = Organisation.objects.filter(stage=Organisation.Stage.INTEREST).count()
    page = client.get(start).content.decode()
    assert f'Neue Interessenten kontaktieren <span class="kern-badge kern-badge--info"><span class="kern-label">{before}<' in page
    Organisation.objects.create(name="Delta Druck GmbH", stage=Organisation.Stage.INTEREST)  # save(): a signal
    page = client.get(start).content.decode()
    assert f'kontaktieren <span class="kern-badge kern-badge--info"><span class="kern-label">{before + 1}<' in page
    assert "Delta Druck GmbH" in page


def test_a_cache_that_is_down_fails_neither_a_write_nor_a_page(monkeypatch, world, client_for):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    for method in ("get", "get_many", "set", "add", "incr"):
        monkeypatch.setattr(cache, method, down)
    compute, calls = _counter()
    assert derived.cached(["a"], "k", compute) == 1 and derived.cached(["a"], "k", compute) == 2
    Organisation.objects.create(name="Epsilon GmbH", stage=Organisation.Stage.INTEREST)  # the signal's bump fails quietly
    monkeypatch.undo()
    page = client_for(world["users"]["office"]).get(reverse("backoffice:start"))
    assert page.status_code == 200 and "Epsilon GmbH" in page.content.decode()


def test_migrate_moves_every_tracked_version_on():
    """RunPython writes through historical models, which send no signals."""
    from django.core.management import call_command

    from klimapakt.reports.selectors import REPORTS
    from klimapakt.support.selectors.workplace import SUPPORT

    before = derived.versions([PIPELINE, REPORTS, SUPPORT]).split(".")
    call_command("migrate", verbosity=0)
    after = derived.versions([PIPELINE, REPORTS, SUPPORT]).split(".")
    assert all(b != a for b, a in zip(before, after, strict=True))


def test_renaming_an_institution_moves_the_support_figures_on(pact):
    from klimapakt.support.selectors.workplace import SUPPORT

    before = derived.versions([SUPPORT])
    institution = pact.initial_partners.first()
    institution.name = "Neuer Name"
    institution.save()
    assert derived.versions([SUPPORT]) != before
