"""gunicorn settings for `make run`, the benchmarks and production (override on the command line).

Sync workers, one request at a time per process: a registration holds the database's write
lock for a few milliseconds, and with several threads per process the lock holder waits for
the GIL while its siblings run, which stretches every critical section. Separate processes
let the operating system schedule the lock holder (docs/events.md, "Speed"). The app is
preloaded and warmed up (klimapakt/core/warmup.py) once in the master, before forking."""

import hashlib
import os
import re
import tempfile
from pathlib import Path

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_WORKERS", "4"))
# gunicorn's sync worker that, on a graceful stop (SIGTERM), first answers the connections waiting in
# the listen queue (klimapakt/core/gunicorn_worker.py): behind nginx, stopping one app server loses
# no request.
worker_class = "klimapakt.core.gunicorn_worker.DrainingSyncWorker"
preload_app = True          # import Django once, before forking: fast first requests, shared memory
timeout = 60
graceful_timeout = 5
max_requests = 5000         # recycle workers now and then (bounded memory)
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# Personal links, invitations and password resets carry their secret in the path: masked in the
# access and error logs (klimapakt/core/accesslog.py).
logger_class = "klimapakt.core.accesslog.TokenMaskingLogger"


# gunicorn's control socket (for `gunicornc`) defaults to one path per user
# ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl): a second instance on the host (another city, the
# benchmarks, a test server) took it over, and stopping either removed the other's socket.
# Each instance gets its own, named after its address, in its VAR_DIR; `--control-socket` wins.
def control_socket_for(binds: list[str], var_dir: Path) -> str:
    path = var_dir / ("gunicorn-" + re.sub(r"[^A-Za-z0-9.-]+", "_", "+".join(binds)) + ".ctl")
    if len(str(path)) > 100:  # a Unix socket path has at most 107 bytes
        digest = hashlib.sha256(str(path).encode()).hexdigest()[:16]
        path = Path(tempfile.gettempdir()) / f"klimapakt-gunicorn-{digest}.ctl"
    return str(path)


def on_starting(server):
    from gunicorn.config import ControlSocket

    if server.cfg.control_socket == ControlSocket.default:  # not chosen on the command line
        var_dir = Path(os.environ.get("VAR_DIR", Path(__file__).resolve().parent / "var"))
        server.cfg.set("control_socket", control_socket_for(server.cfg.bind, var_dir))
