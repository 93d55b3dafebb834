"""gunicorn's sync worker, with a graceful stop that loses no request waiting in the listen queue
(gunicorn.conf.py uses it; the scale-out drill proved the need, docs/operations.md).

On SIGTERM gunicorn's master closes its copy of the listening socket and tells each worker to
stop after its current request. The socket closes only when the last worker exits, and the kernel
then resets every connection still in its queue: a proxy had already sent those requests, so nginx
answers 502 for a POST (it retries only requests it could not send). Serving the queue before
exiting does not help: while the socket is open nginx keeps sending to it. So a worker that is told
to stop takes every connection waiting in the queue at once, closes its copy of the listening
socket, and then answers them. The socket closes as soon as the busiest worker has finished its
current request; nginx then finds the port closed and sends the next requests to the other app
servers. A quick stop (SIGINT, SIGQUIT) does not drain. What remains is the instant between a
worker's last look into the queue and the socket's close."""

from __future__ import annotations

import errno

from gunicorn import util
from gunicorn.workers.sync import SyncWorker

MAX_DRAINED = 1000  # bounded by the listen backlog (2048) in practice far less


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
        """Take the connections waiting in the listen queue, close the listening socket (this
        worker's copy), answer them; returns how many."""
        address = listener.getsockname()
        waiting = []
        while len(waiting) < MAX_DRAINED:
            try:
                waiting.append(listener.accept())
            except OSError as error:
                if error.errno == errno.ECONNABORTED:
                    continue
                break  # EAGAIN: the queue is empty
        listener.close()
        closed = _Closed(address)
        for client, addr in waiting:
            self.notify()
            client.setblocking(1)
            util.close_on_exec(client)
            self.handle(closed, client, addr)
        return len(waiting)


class _Closed:
    """What handle() needs of a listener once it is closed: its address."""

    def __init__(self, address):
        self.address = address

    def getsockname(self):
        return self.address
