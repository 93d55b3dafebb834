"""The warm-up gunicorn's master runs before forking: it must not touch the database (a
connection opened there would be shared by every forked worker). Without the django_db mark,
pytest-django turns any database access into an error."""

from django.urls import clear_url_caches, get_resolver

from klimapakt.core.warmup import warm_up


def test_warm_up_loads_the_urlconf_without_touching_the_database():
    clear_url_caches()
    assert not get_resolver()._populated
    warm_up()
    assert get_resolver()._populated  # the reverse index was built by the warm-up
