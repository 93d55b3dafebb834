"""TASK_BACKEND=rq (issue 18): every manage.py command passes the system check, and RQ's worker
(`manage.py rqworker`, django-rq) runs django-tasks' jobs with the project's retrying queue.
In a subprocess: the settings module reads the environment once, at import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _rq_environment(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER")}
    env.update({"TASK_BACKEND": "rq", "REDIS_URL": "redis://127.0.0.1:6390/0", "KLIMAPAKT_TESTING": "",
                "VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    return env


def test_manage_py_check_passes_with_the_rq_backend(tmp_path):
    # No Redis needed: the check only builds the queues (port 6390: nothing listens there).
    done = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=_rq_environment(tmp_path),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_rq_worker_runs_django_tasks_jobs_from_the_retrying_queue(tmp_path):
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django_rq.jobs import get_job_class\n"
        "from django_rq.queues import get_queue\n"
        "from django_tasks_rq import Job\n"
        "from klimapakt.core.task_backends import RetryingQueue\n"
        "assert 'django_rq' in settings.INSTALLED_APPS and 'django_tasks_rq' in settings.INSTALLED_APPS\n"
        "assert get_job_class() is Job, get_job_class()  # what rqworker's get_worker uses\n"
        "queue = get_queue('default', job_class=get_job_class())  # no connection is opened here\n"
        "assert isinstance(queue, RetryingQueue) and queue.job_class is Job, queue\n"
        "print('ok')\n"
    )
    env = {**_rq_environment(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("ok")


def test_without_django_rq_the_check_fails(tmp_path):
    """The test above can fail: the system check is what stopped every command before."""
    code = (
        "import os, sys; sys.argv = ['manage.py', 'check']\n"
        "import config.settings as s\n"
        "s.INSTALLED_APPS.remove('django_rq')\n"
        "from django.core.management import execute_from_command_line\n"
        "execute_from_command_line(sys.argv)\n"
    )
    env = {**_rq_environment(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode != 0
    assert "django_rq app not installed" in done.stdout + done.stderr
