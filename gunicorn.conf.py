"""gunicorn settings for `make run`, the benchmarks and production (override on the command line).

Sync workers, one request at a time per process: a registration holds the database's write
lock for a few milliseconds, and with several threads per process the lock holder waits for
the GIL while its siblings run, which stretches every critical section. Separate processes
let the operating system schedule the lock holder (docs/events.md, "Speed"). The app is
preloaded and warmed up (klimapakt/core/warmup.py) once in the master, before forking."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_WORKERS", "4"))
worker_class = "sync"
preload_app = True          # import Django once, before forking: fast first requests, shared memory
timeout = 60
graceful_timeout = 5
max_requests = 5000         # recycle workers now and then (bounded memory)
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# Personal links, invitations and password resets carry their secret in the path: masked in the
# access and error logs (klimapakt/core/accesslog.py).
logger_class = "klimapakt.core.accesslog.TokenMaskingLogger"
