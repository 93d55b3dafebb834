# Klimapakt platform. The two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
PORT ?= 8000
HOST ?= 127.0.0.1
WEB_WORKERS ?= 4

.PHONY: run test test-sqlite test-postgres bench fault-drill scale-test nginx restore-drill install browser lint messages clean

# Bootstrap: a virtual environment with the locked dependencies. Re-runs only when the
# lock file changes, so a second `make run` starts at once.
$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.8
	$(UV) pip install --quiet --compile-bytecode --python $(PY) -r requirements.lock
	@touch $@

install: $(VENV)/.installed

# Chromium for the browser tests: Debian's package, installed when missing and possible.
browser:
	@if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped"; \
	  else echo "chromium is missing and cannot be installed here: browser tests will be skipped"; fi; \
	fi

# Background work (mails, PDFs, the daily jobs) runs at a lower CPU priority than the web
# workers: on a small machine a visitor's request comes first, a mail a moment later. The task
# worker (with its heartbeat) and the scheduler are kept alive by scripts/supervise.sh, which
# restarts either when it exits, as systemd's Restart=always does in production.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo
	@echo "Klimapakt: http://$(HOST):$(PORT)/  (demo logins in README.md)"
	@trap 'kill $$worker $$scheduler 2>/dev/null; wait' EXIT INT TERM; \
	scripts/supervise.sh worker nice -n 10 $(PY) manage.py run_worker --queue-name '*' --interval 1 & worker=$$!; \
	scripts/supervise.sh scheduler nice -n 10 $(PY) manage.py run_scheduler & scheduler=$$!; \
	HOST=$(HOST) PORT=$(PORT) WEB_WORKERS=$(WEB_WORKERS) $(VENV)/bin/gunicorn config.wsgi:application

# The whole suite on SQLite; again on PostgreSQL when DATABASE_URL points to one.
test: install browser
	$(VENV)/bin/ruff check --quiet .
	$(VENV)/bin/lint-imports --no-cache --no-logo >/dev/null || $(VENV)/bin/lint-imports --no-cache --no-logo
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(MAKE) test-sqlite
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) test-postgres; else echo "DATABASE_URL not set: PostgreSQL run skipped"; fi

test-sqlite: install
	env -u DATABASE_URL KLIMAPAKT_TESTING=1 $(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test-postgres: install
	KLIMAPAKT_TESTING=1 $(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

bench: install
	$(PY) benchmarks/run.py $(BENCH_ARGS)

# Fault drill against real processes (docs/operations.md, "Fault drill"): SMTP down during
# registrations, the worker killed during an import, web workers killed during a burst. SQLite in
# var/drill/; with DATABASE_URL (an admin URL) a database `drill` on that PostgreSQL server.
# Not part of `make test`. DRILL_ARGS e.g. "--smtp-down 600".
fault-drill: install
	$(PY) scripts/fault_drill.py $(DRILL_ARGS)

# nginx for the scale-out drill: Debian's package, installed when missing and possible (as for chromium).
nginx:
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's nginx for the scale-out drill"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null) \
	      || (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null) \
	      || echo "nginx could not be installed"; \
	  else echo "nginx is missing and cannot be installed here"; fi; \
	fi

# Scale-out drill (docs/operations.md, "Scale-out drill"): nginx over two app servers, two RQ
# workers, two schedulers, PostgreSQL (DATABASE_URL as an admin URL, or a private cluster) and a
# private Redis under a mixed locust load for SCALE_MINUTES (default 5). Not part of `make test`.
scale-test: install nginx
	SCALE_MINUTES="$(SCALE_MINUTES)" SCALE_USERS="$(SCALE_USERS)" PATH="$$PATH:/usr/sbin" $(PY) scripts/scale_drill.py $(SCALE_ARGS)

# Backup and restore drill (docs/operations.md, "Backup and restore"): pg_dump and the media
# folders restored into a fresh database and folder, pages, downloads and counts compared, media
# removed to see a clear message. With DATABASE_URL (an admin URL) databases restore_src and
# restore_dst on that server, dropped afterwards; without, the SQLite variant. Not part of `make test`.
restore-drill: install
	$(PY) scripts/restore_drill.py $(RESTORE_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache --no-logo

messages: install
	scripts/update-translations.sh

clean:
	rm -rf $(VENV) var
