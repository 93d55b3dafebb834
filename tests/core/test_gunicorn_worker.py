"""The draining worker (klimapakt/core/gunicorn_worker.py): on SIGTERM the requests already waiting
in the listen queue are answered, not reset (behind nginx a reset POST is a 502)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers_after_sigterm(worker_class: str, requests: int = 6) -> list[int]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--worker-class", worker_class, "--bind",
         f"127.0.0.1:{port}", "--graceful-timeout", "10", "--chdir", str(ROOT), "tests.core.slow_app:app"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(0.5)  # the probe connection above was answered and closed
        answers: list[int] = []

        def post():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            try:
                conn.request("POST", "/", body=b"x")
                answers.append(conn.getresponse().status)
            except (OSError, http.client.HTTPException):
                answers.append(0)
            finally:
                conn.close()

        threads = [threading.Thread(target=post) for _ in range(requests)]
        for thread in threads:
            thread.start()
        time.sleep(0.1)  # all sent: one is being answered, the others wait in the queue
        os.killpg(proc.pid, signal.SIGTERM)
        for thread in threads:
            thread.join(timeout=30)
        return answers
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


def test_requests_waiting_in_the_queue_are_answered_on_sigterm():
    answers = _answers_after_sigterm("klimapakt.core.gunicorn_worker.DrainingSyncWorker")
    assert answers == [200] * len(answers)


def test_gunicorn_conf_uses_the_draining_worker():
    from gunicorn.config import Config

    config = Config()
    namespace: dict = {}
    exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)
    config.set("worker_class", namespace["worker_class"])
    assert config.worker_class.__name__ == "DrainingSyncWorker"


def test_the_plain_sync_worker_resets_them():
    """What the draining worker fixes (so the first test can fail)."""
    answers = _answers_after_sigterm("sync")
    assert 0 in answers
