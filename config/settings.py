"""Settings for the Klimapakt platform: one module, everything that differs between
installations comes from the environment (see README.md, "Configuration")."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("KLIMAPAKT_TESTING", False)
# HTTPS=1 switches on everything a public deployment behind TLS needs (HSTS, secure cookies,
# redirect to https). Off by default so that `make run` can serve http://127.0.0.1:8000.
HTTPS = env_bool("HTTPS", False)

_DEV_SECRET = "dev-insecure-secret-key-change-me-in-production-0123456789-abcdefghijklmnop"
SECRET_KEY = os.environ.get("SECRET_KEY") or _DEV_SECRET
if SECRET_KEY == _DEV_SECRET and HTTPS and not TESTING:
    raise RuntimeError("Set SECRET_KEY in the environment for an HTTPS (production) deployment.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}").rstrip("/")

INSTALLED_APPS = [
    "klimapakt.core",
    "klimapakt.partners",
    "klimapakt.events",
    "klimapakt.ghg",
    "klimapakt.reports",
    "klimapakt.support",
    "klimapakt.insights",
    "klimapakt.vsme",
    "klimapakt.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "ninja",  # the API docs' Swagger UI from our own static files, not a CDN (CSP, offline)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "klimapakt.core.middleware.SecurityHeadersMiddleware",  # Permissions-Policy, Cross-Origin-Resource-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "klimapakt.api.middleware.ApiLanguageMiddleware",  # /api/ follows Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "klimapakt.core.middleware.MissingFileMiddleware",  # a download whose file is gone: a clear 404 page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "klimapakt" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "klimapakt.core.context_processors.pact",
            ],
        },
    },
    {
        # Plain-text mails and subjects: same templates, no HTML escaping ("Müller & Söhne").
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "klimapakt" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# --- Database -------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'klimapakt.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))}
# --- SQLite durability (issue 11) ---
# synchronous=FULL: a commit the person was told about survives a power loss or OS crash.
# SQLITE_SYNCHRONOUS=NORMAL is faster (about a third more writes per second) but may lose the
# last commits on such a crash; only for operators who accept that (docs/operations.md).
SQLITE_SYNCHRONOUS = os.environ.get("SQLITE_SYNCHRONOUS", "FULL").strip().upper()
if SQLITE_SYNCHRONOUS not in ("FULL", "EXTRA", "NORMAL"):
    raise ImproperlyConfigured("SQLITE_SYNCHRONOUS must be FULL, EXTRA or NORMAL")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if TESTING else 600
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE makes every write
        # transaction take the write lock at BEGIN, so capacity checks are serialised.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            f"PRAGMA journal_mode=WAL; PRAGMA synchronous={SQLITE_SYNCHRONOUS}; PRAGMA busy_timeout=20000; "
            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-20000; PRAGMA mmap_size=134217728;"
        ),
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("SQLITE_TEST_NAME") or None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, tasks -----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "klimapakt"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
else:
    # One machine without Redis (`make run`): the app runs in several gunicorn worker processes,
    # and the API throttle, login throttling and the directory's cache version must be the same
    # in all of them, so the cache lives in files shared by the processes, not in each one's
    # memory (docs/operations.md, "Cache").
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": os.environ.get("CACHE_DIR", str(VAR_DIR / "cache")),
                          "OPTIONS": {"MAX_ENTRIES": 2000}}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

TASK_BACKEND = os.environ.get("TASK_BACKEND", "immediate" if TESTING else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "dummy": "django_tasks.backends.dummy.DummyBackend",
        }[TASK_BACKEND],
        "QUEUES": ["default"],
    }
}
if TASK_BACKEND == "rq":
    # django_rq: the queues' settings and its `manage.py rqworker`; django-tasks-rq's system check
    # refuses every command without it. JOB_CLASS: the worker runs django-tasks' jobs (what
    # `rqworker --job-class django_tasks_rq.Job` would say), so a plain `manage.py rqworker` works.
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
    RQ = {"QUEUE_CLASS": "klimapakt.core.task_backends.RetryingQueue",  # RQ's retries for idempotent tasks
          "JOB_CLASS": "django_tasks_rq.Job"}

# --- Auth (django-allauth, rules) -----------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "core:home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Klimapakt] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_ADAPTER = "klimapakt.core.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "klimapakt.core.forms.SignupExtraForm"
ACCOUNT_RATE_LIMITS = {
    # Login throttling (allauth's limiter): failed logins per client address, and per account *from
    # that address* ("key", klimapakt/core/login_throttle.py), so a stranger's wrong passwords do not
    # lock the owner (the pact office) out; per account from all addresses only a wide limit.
    "login_failed": os.environ.get("LOGIN_FAILED_RATE", "10/m/ip,60/h/ip,5/5m/key"),
    "login_failed_account": os.environ.get("LOGIN_FAILED_ACCOUNT_RATE", "100/h/key"),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Klimapakt"

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
# locale_overrides holds formal-address ("Sie") overrides of third-party (allauth) German strings.
LOCALE_PATHS = [BASE_DIR / "klimapakt" / "locale", BASE_DIR / "klimapakt" / "locale_overrides"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "klimapakt" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))


def media_storages(environ) -> dict:
    """Where uploads go: "default" (logos, pact and organisation documents) and "private"
    (evidence, imports, archived report PDFs). Local folders unless MEDIA_STORAGE=s3: then one
    private bucket of an S3-compatible store (AWS, MinIO, ...) shared by all app servers, with
    no public ACL; every file is served by the app (see klimapakt/core/storage.py)."""
    kind = (environ.get("MEDIA_STORAGE") or "local").strip().lower()
    if kind == "local":
        return {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "private": {"BACKEND": "klimapakt.ghg.storage.PrivateStorage"}}
    if kind != "s3":
        raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {kind!r}.")
    if not environ.get("S3_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET.")
    options = {
        "bucket_name": environ["S3_BUCKET"],
        "default_acl": None,  # objects stay private (the bucket's setting); never public-read
        "querystring_auth": True,  # any URL the S3 library builds would be signed and expire
        "file_overwrite": False,  # a new upload never replaces another file, as on disk
    }
    # Without keys (or endpoint, region) boto3 finds them itself: AWS_* variables, instance role.
    for option, variable in [("endpoint_url", "S3_ENDPOINT_URL"), ("region_name", "S3_REGION"),
                             ("access_key", "S3_ACCESS_KEY_ID"), ("secret_key", "S3_SECRET_ACCESS_KEY")]:
        if environ.get(variable):
            options[option] = environ[variable]
    return {
        "default": {"BACKEND": "klimapakt.core.storage.MediaS3Storage", "OPTIONS": {**options, "location": "media"}},
        "private": {"BACKEND": "klimapakt.core.storage.PrivateS3Storage",
                    "OPTIONS": {**options, "location": "private"}},
    }


STORAGES = {
    **media_storages(os.environ),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 3600
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
KLIMAPAKT_MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", 20 * 1024 * 1024))

# --- E-mail ---------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Krefelder Klimapakt <klimapakt@krefeld.de>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = 20
else:
    # Development: every mail is written as a file a developer can open (var/mail/).
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"


def mail_retry_delays(environ) -> list[int]:
    """Seconds to wait after the 1st, 2nd, ... failed sending of a mail (core/mail.py); after
    the last one the mail has failed. MAIL_RETRY_DELAYS="60,300,1800,7200,43200" is the default
    (1 min, 5 min, 30 min, 2 h, 12 h); shorter series are for fault drills
    (scripts/fault_drill.py), which cannot wait hours."""
    raw = environ.get("MAIL_RETRY_DELAYS") or "60,300,1800,7200,43200"
    try:
        delays = [int(item) for item in raw.split(",") if item.strip()]
    except ValueError:
        raise ImproperlyConfigured("MAIL_RETRY_DELAYS must be whole seconds separated by commas.") from None
    if not delays or any(delay < 1 for delay in delays):
        raise ImproperlyConfigured("MAIL_RETRY_DELAYS needs at least one delay, each of at least 1 second.")
    return delays


MAIL_RETRY_DELAYS = mail_retry_delays(os.environ)

# --- Security -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "klimapakt.core.views.csrf_failure"  # 403_csrf.html in the site's layout and language
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SILENCED_SYSTEM_CHECKS: list[str] = []

# Headers Django has no setting for (klimapakt/core/middleware.py, docs/security.md): browser
# features no page uses are switched off; a page that needs one (a QR check-in page: camera)
# allows it for itself. Our responses are not to be embedded by other sites (the open data is).
PERMISSIONS_POLICY = {feature: [] for feature in (
    "camera", "microphone", "geolocation", "payment", "usb", "serial", "hid", "display-capture")}
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
if HTTPS:
    # "__Host-": the browser keeps such a cookie only if it is Secure, has Path=/ and no Domain, so
    # neither a sibling subdomain nor plain http can set or overwrite the session or CSRF cookie.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Map (docs/partners.md, "Map") ---------------------------------------------------------
# Tiles come from MAP_TILE_URL (Leaflet's {s}/{z}/{x}/{y} placeholders), loaded only after the
# visitor clicks "Karte laden"; empty: no map, only the list. The geocoder (a Nominatim-compatible
# /search endpoint) is called by the server only, never by the visitor's browser; empty: off.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png").strip()
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "© OpenStreetMap-Mitwirkende").strip()
GEOCODER_URL = os.environ.get("GEOCODER_URL", "").strip()
GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT", "5"))


def _floats(name: str, default: str, count: int) -> tuple[float, ...] | None:
    items = env_list(name, default)
    if not items:
        return None
    try:
        values = tuple(float(item) for item in items)
    except ValueError:
        values = ()
    if len(values) != count:
        raise ImproperlyConfigured(f"{name} needs {count} comma-separated numbers, e.g. {default or '51.2,6.4,51.5,6.7'}")
    return values


# Where the map opens (Krefeld), and the pact's region as south,west,north,east: partners'
# locations must lie inside it (empty: any place on earth).
MAP_CENTER = _floats("MAP_CENTER", "51.3338,6.5623", 2)
MAP_BOUNDS = _floats("MAP_BOUNDS", "", 4)
if MAP_BOUNDS and not (-90 <= MAP_BOUNDS[0] < MAP_BOUNDS[2] <= 90 and -180 <= MAP_BOUNDS[1] < MAP_BOUNDS[3] <= 180):
    raise ImproperlyConfigured("MAP_BOUNDS: south,west,north,east with south < north and west < east")


def tile_origin(url: str) -> str:
    """The origin the CSP must allow images from: scheme and host of the tile URL, with Leaflet's
    subdomain placeholder {s} as a wildcard ("https://{s}.tile.example.org" -> "https://*.tile.example.org")."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "SUBDOMAIN"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc.replace('SUBDOMAIN', '*')}"


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *filter(None, [tile_origin(MAP_TILE_URL)])],  # tiles: images only
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- API ------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 100
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "60/m")
# Registrations for events per e-mail address, across events (a person, not a client, is limited).
EVENTS_REGISTRATION_EMAIL_RATE = os.environ.get("EVENTS_REGISTRATION_EMAIL_RATE", "10/h")

# The back office's counts and yearly overviews (core/derived.py) are cached until a write of
# their rows; at most this long when a write bypassed the services (docs/operations.md, "Caches").
DERIVED_CACHE_SECONDS = int(os.environ.get("DERIVED_CACHE_SECONDS", "600"))

# --- The pact's progress (insights) ------------------------------------------------------
# A figure built from fewer organisations than this is not shown publicly ("zu wenige Angaben"),
# with complementary suppression (docs/insights.md). The public page and API cache their figures
# for PROGRESS_CACHE_SECONDS.
PUBLIC_MIN_ORGANISATIONS = max(int(os.environ.get("PUBLIC_MIN_ORGANISATIONS", "5")), 2)
PROGRESS_CACHE_SECONDS = int(os.environ.get("PROGRESS_CACHE_SECONDS", "300"))
# A balance year's public figures are fixed this many days after the end of the year its reports are
# due in (2024: 31 March 2026 with 90; the office can close it earlier); later or corrected reports
# do not change them (docs/insights.md, "Closed balance years").
PUBLIC_CLOSE_AFTER_DAYS = max(int(os.environ.get("PUBLIC_CLOSE_AFTER_DAYS", "90")), 0)
# The office's dashboard (every organisation, per filter) for this long: docs/insights.md.
OFFICE_PROGRESS_CACHE_SECONDS = int(os.environ.get("OFFICE_PROGRESS_CACHE_SECONDS", "60"))

# --- Open data (insights: /offene-daten/, its DCAT-AP.de catalogue; docs/insights.md, "Open data")
# The licence of the open data: a URI of the dcat-ap.de licence list (default: Datenlizenz
# Deutschland – Namensnennung – 2.0). Its name and legal text are known for the common ones;
# for another licence give OPEN_DATA_LICENCE_NAME and OPEN_DATA_LICENCE_URL too.
OPEN_DATA_LICENCE = os.environ.get("OPEN_DATA_LICENCE", "http://dcat-ap.de/def/licenses/dl-by-de/2.0")
OPEN_DATA_LICENCE_NAME = os.environ.get("OPEN_DATA_LICENCE_NAME", "")
OPEN_DATA_LICENCE_URL = os.environ.get("OPEN_DATA_LICENCE_URL", "")
# The city's Regionalschlüssel (12 digits; Krefeld: 051140000000) for dcatde:politicalGeocodingURI.
OPEN_DATA_REGIONAL_KEY = os.environ.get("OPEN_DATA_REGIONAL_KEY", "051140000000")
# The Datenbereitsteller-ID GovData assigned (dcatde:contributorID), if the catalogue goes to GovData directly.
OPEN_DATA_CONTRIBUTOR_ID = os.environ.get("OPEN_DATA_CONTRIBUTOR_ID", "")
# The day the open data was first published (ISO date; default: the council's decision of the pact).
OPEN_DATA_ISSUED = os.environ.get("OPEN_DATA_ISSUED", "")

# --- Client address (API throttle, login throttling) ------------------------------------
# X-Forwarded-For is written by whoever sends the request. Only behind our own proxy
# (BEHIND_PROXY=1) is its last entry, the one that proxy appended, the client's address; else
# the throttles key on REMOTE_ADDR (a random header per request must not reset the limit).
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "1")) if env_bool("BEHIND_PROXY", False) else 0
NINJA_NUM_PROXIES = TRUSTED_PROXIES
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXIES

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Secret links (registration, invitation, password reset) masked, e.g. in "Not Found: /…".
    "filters": {"mask_tokens": {"()": "klimapakt.core.accesslog.MaskTokensFilter"},
                "forbidden_without_traceback": {"()": "klimapakt.core.accesslog.ForbiddenWithoutTracebackFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # A 403 is one warning line, not a traceback (the refusal is expected, not an error).
    "loggers": {"django.request": {"filters": ["forbidden_without_traceback"]}},
}

# --- Pact-specific defaults -----------------------------------------------------------
KLIMAPAKT_REGISTRATION_RETENTION_DAYS = int(os.environ.get("REGISTRATION_RETENTION_DAYS", "90"))
# Days before an event when confirmed participants are reminded (0: no reminders).
KLIMAPAKT_EVENT_REMINDER_DAYS = int(os.environ.get("EVENT_REMINDER_DAYS", "2"))
# Daily jobs of the built-in scheduler (`manage.py run_scheduler`, started by `make run`): each app
# registers its jobs with a default local time (core.registry.scheduled_jobs); each runs once a
# day, also with several schedulers. A list of (command, "HH:MM") here replaces that schedule.
KLIMAPAKT_SCHEDULE = None
# Seconds the scheduler's clock is moved (which day and time it believes it is). For the scale-out
# drill only, which takes two schedulers over a day boundary; never set it in production.
SCHEDULER_CLOCK_OFFSET = float(os.environ.get("SCHEDULER_CLOCK_OFFSET") or 0)
