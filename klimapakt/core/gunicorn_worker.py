"""gunicorn's sync worker, with a graceful stop that loses no request waiting in the listen queue
(gunicorn.conf.py uses it; the scale-out drill proved the need, docs/operations.md).

On SIGTERM gunicorn's master closes its copy of the listening socket and tells each worker to
stop after its current request. The worker leaves its loop at the next wake-up, often woken by a
new connection that it then never accepts. The socket closes when the last worker exits, and the
kernel resets every connection still in its queue: a proxy had already sent those requests, so
nginx answers 502 for a POST (it retries only requests it could not send). Here the worker,
before it exits, accepts and answers what waits in the queue until the queue is empty (at most
DRAIN_SECONDS); nginx then finds the port closed and sends the next requests to the other app
servers. A quick stop (SIGINT, SIGQUIT) does not drain."""

from __future__ import annotations

import errno
import time

from gunicorn.workers.sync import SyncWorker

DRAIN_SECONDS = 3.0


class DrainingSyncWorker(SyncWorker):
    draining = False

    def handle_exit(self, sig, frame):
        self.draining = True
        super().handle_exit(sig, frame)

    def handle_quit(self, sig, frame):
        self.draining = False
        super().handle_quit(sig, frame)

    def run_for_one(self, timeout):
        super().run_for_one(timeout)
        if self.draining and self.is_parent_alive():
            self.drain(self.sockets[0])

    def drain(self, listener) -> int:
        """Answer the connections waiting in the listen queue; returns how many."""
        served = 0
        deadline = time.monotonic() + DRAIN_SECONDS
        while self.draining and time.monotonic() < deadline:
            self.notify()
            try:
                self.accept(listener)
            except OSError as error:
                if error.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
                    break  # the queue is empty
                if error.errno != errno.ECONNABORTED:
                    raise
                continue
            served += 1
        return served
