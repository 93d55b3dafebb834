"""The settings module evaluated under another environment (e.g. HTTPS=1, BEHIND_PROXY=1),
without touching the settings of the running tests."""

import os
import runpy
from pathlib import Path
from unittest import mock

SETTINGS = Path(__file__).resolve().parents[1] / "config" / "settings.py"
VARIABLES = ("HTTPS", "BEHIND_PROXY", "TRUSTED_PROXIES", "SECRET_KEY", "DEBUG")


def settings_under(env: dict, tmp_path) -> dict:
    """The names config/settings.py defines when the environment holds `env` (and none of the
    VARIABLES it does not name)."""
    environ = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    environ.update({"VAR_DIR": str(tmp_path), **env})
    with mock.patch.dict(os.environ, environ, clear=True):
        return runpy.run_path(str(SETTINGS))
