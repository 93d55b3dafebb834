"""A WSGI app that answers after 0.3 s (tests/core/test_gunicorn_worker.py)."""

import time


def app(environ, start_response):
    time.sleep(0.3)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
