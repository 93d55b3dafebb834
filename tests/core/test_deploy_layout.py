"""deploy/ and compose.yaml describe the layout `make scale-test` runs (issue 18): the drill's nginx
includes the same proxy snippet, and the units start the same commands."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def test_the_drill_uses_the_deployed_proxy_settings():
    snippet = (DEPLOY / "nginx" / "klimapakt-proxy.conf").read_text()
    assert "proxy_next_upstream error timeout" in snippet
    directives = [line.split("#")[0] for line in snippet.splitlines()]
    assert not any("non_idempotent" in line for line in directives)  # a sent POST is never repeated
    assert "deploy/nginx/klimapakt-proxy.conf" in (ROOT / "scripts" / "scale_drill.py").read_text()
    site = (DEPLOY / "nginx" / "klimapakt.conf").read_text()
    assert "ssl_certificate" in site and "include /etc/nginx/snippets/klimapakt-proxy.conf;" in site
    assert "alias /srv/klimapakt/media" not in site  # private files are never served by nginx


def test_the_units_start_what_the_drill_starts():
    web = (DEPLOY / "systemd" / "klimapakt-web@.service").read_text()
    assert "gunicorn config.wsgi:application" in web and "Environment=PORT=%i" in web
    assert "KillMode=mixed" in web  # SIGTERM to gunicorn's master: the graceful, draining stop
    worker = (DEPLOY / "systemd" / "klimapakt-rqworker@.service").read_text()
    assert "manage.py rqworker --with-scheduler" in worker
    assert "manage.py run_scheduler" in (DEPLOY / "systemd" / "klimapakt-scheduler.service").read_text()
    drill = (ROOT / "scripts" / "scale_drill.py").read_text()
    assert '"rqworker",' in drill and '"--with-scheduler"' in drill and '"run_scheduler"' in drill
    for unit in (DEPLOY / "systemd").glob("*.service"):
        assert "EnvironmentFile=/etc/klimapakt/klimapakt.env" in unit.read_text(), unit.name
        assert "Restart=always" in unit.read_text(), unit.name


def test_the_environment_template_names_what_a_scaled_out_installation_needs():
    names = {line.split("=", 1)[0].lstrip("# ") for line in (DEPLOY / "klimapakt.env.example").read_text().splitlines()
             if "=" in line and not line.startswith("# ---")}
    assert {"SECRET_KEY", "HTTPS", "BEHIND_PROXY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SITE_URL",
            "DATABASE_URL", "REDIS_URL", "TASK_BACKEND", "MEDIA_ROOT", "EMAIL_HOST"} <= names


def test_compose_follows_the_same_layout():
    compose = (ROOT / "compose.yaml").read_text()
    for service in ("postgres:", "redis:", "migrate:", "web1:", "web2:", "rqworker1:", "rqworker2:",
                    "scheduler1:", "scheduler2:", "nginx:"):
        assert f"\n  {service}" in compose, service
    assert "NOT TESTED HERE" in compose
    assert (DEPLOY / "Containerfile").exists() and (DEPLOY / "nginx" / "compose.conf").exists()
