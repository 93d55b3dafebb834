"""The cache is shared by the app's processes: the API throttle counts a client once, not once
per gunicorn worker (docs/operations.md, "Cache")."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# One "worker process" (a daily window, so that no window ends between the two processes): asks the API throttle three times for the same client and prints the answers.
THREE_REQUESTS = """
import django
django.setup()
from django.conf import settings
from django.test import RequestFactory
from klimapakt.events.api import SettingsRateThrottle
request = RequestFactory().post("/api/v1/events/1/registrations", REMOTE_ADDR="203.0.113.7")
print(settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
      *[SettingsRateThrottle().allow_request(request) for _ in range(3)])
"""


def _worker(tmp_path: Path) -> str:
    environ = {k: v for k, v in os.environ.items()
               if k not in ("KLIMAPAKT_TESTING", "REDIS_URL", "CACHE_DIR", "DATABASE_URL")}
    environ |= {"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path), "API_THROTTLE_RATE": "4/d"}
    return subprocess.run([sys.executable, "-c", THREE_REQUESTS], cwd=ROOT, env=environ,
                          capture_output=True, text=True, check=True).stdout.strip()


def test_two_processes_share_one_api_limit_without_redis(tmp_path):
    assert _worker(tmp_path) == "FileBasedCache True True True"
    # A second process (another gunicorn worker) sees the first one's count: one more, then no.
    assert _worker(tmp_path) == "FileBasedCache True False False"
    assert (tmp_path / "cache").is_dir()
