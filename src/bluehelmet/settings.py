"""Django settings. Everything a deployment changes comes from environment variables:

BLUEHELMET_HOME      where the SQLite file and uploads live (default ~/.bluehelmet)
DATABASE_URL         e.g. postgres://user@127.0.0.1:5432/bluehelmet; SQLite in BLUEHELMET_HOME when unset
CELERY_BROKER_URL    e.g. redis://127.0.0.1:6379/0; jobs run in-process when unset
BLUEHELMET_CACHE_URL e.g. redis://127.0.0.1:6379/1; the broker's Redis when unset, else memory
BLUEHELMET_CELERY_VISIBILITY_TIMEOUT, BLUEHELMET_JOB_TIMEOUT  redelivery of a dead worker's jobs
                     (7200 s) and when a job still running is given up (10800 s); see jobs.py
BLUEHELMET_FIELD_KEYS  Fernet keys for personal data at rest, newest first (see core/crypto.py)
BLUEHELMET_SECRET_KEY, BLUEHELMET_DEBUG, BLUEHELMET_ALLOWED_HOSTS
BLUEHELMET_HTTPS     1 behind a TLS proxy: secure cookies, HSTS, redirect to HTTPS
BLUEHELMET_RETENTION_DAYS  e.g. incident_sources=730,ddr_participants=1825 (see core/retention.py)
BLUEHELMET_ACTOR     user name the change history records for commands (default command:<OS user>)
BLUEHELMET_LOGIN_FAILURE_LIMIT, BLUEHELMET_LOGIN_COOLOFF_MINUTES  lockout after failed log-ins (5, 15)
BLUEHELMET_SESSION_IDLE_MINUTES  log out after this long without a request (default 60)
BLUEHELMET_IMPORT_MAX_MB  largest file the import pages take (default 256)
BLUEHELMET_API_TOKEN_DAYS  an API token stops working this many days after it was issued (default 30)
BLUEHELMET_SMS_MAX_BODY_BYTES, BLUEHELMET_SMS_REPLAY_WINDOW_HOURS  the SMS gateway endpoint's largest body
                     (65536) and how long a message without id or sending time is deduplicated (24)
BLUEHELMET_TRUSTED_PROXIES  reverse proxies in front that append to X-Forwarded-For (default 0)
BLUEHELMET_PROFILE_DIR  load benchmarks: a folder for the per-request time profile (core/profiling.py)
BLUEHELMET_TILE_URL  optional map tiles, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (maps
                     draw admin boundaries without tiles); BLUEHELMET_TILE_ATTRIBUTION credits them.
                     A mission's own offline basemap (a PMTiles file) is set with `bluehelmet basemap`
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from bluehelmet.core import env, profiling
from bluehelmet.core.csp_hashes import style_block_hashes, swagger_ui_template

# Importing this module writes nothing to disk. The folders under HOME are made when they are
# first used (core.apps.CoreConfig.ready), and SECRET_KEY is read, or generated once and kept in
# HOME, only when Django asks for it (the module-level __getattr__ at the end of this file).
PACKAGE_DIR = Path(__file__).resolve().parent
HOME = env.home()
# One lock file per running job (jobs.py): what tells a dead worker's job from a running one.
JOB_LOCK_DIR = HOME / "jobs"

# Keys that encrypt personal data at rest (Fernet; comma-separated: the first encrypts, all
# decrypt, so keys rotate). Unset: a key generated once and kept in BLUEHELMET_HOME/field_key.
BLUEHELMET_FIELD_KEYS = env.words("BLUEHELMET_FIELD_KEYS")
DEBUG = env.flag("BLUEHELMET_DEBUG")
ALLOWED_HOSTS = env.words("BLUEHELMET_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",  # before bluehelmet.core, whose ready() adjusts auditlog's registrations
    "bluehelmet.core",
    "bluehelmet.datasets",
    "bluehelmet.incidents",
    "bluehelmet.forces",
    "bluehelmet.earlywarning",
    "bluehelmet.performance",
    "bluehelmet.elections",
    "bluehelmet.ddr",
    "bluehelmet.civilaffairs",
    "bluehelmet.humanitarian",
    "bluehelmet.importers",
    "bluehelmet.overview",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, which answers static files itself: a year for a content-hashed URL.
    "bluehelmet.core.staticfiles.StaticCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for JSON and GeoJSON only (BREACH: see core/compression.py), before any
    # middleware that reads the body.
    "bluehelmet.core.compression.JsonGZipMiddleware",
    # Near the top: a database outage anywhere below becomes a 503 with Retry-After.
    "bluehelmet.core.resilience.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "bluehelmet.core.middleware.RejectNulBytesMiddleware",
    "bluehelmet.core.middleware.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "bluehelmet.core.history.AuditActorMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "bluehelmet.core.security.SecurityHeadersMiddleware",
    # Before the log-in check: an idle session is logged out, polls are not activity.
    "bluehelmet.core.idle.IdleTimeoutMiddleware",
    "bluehelmet.core.middleware.LoginRequiredMiddleware",
    "bluehelmet.core.twofactor.TwoFactorMiddleware",
    # Last: it turns the lockout signalled by the axes backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]
# Load benchmarks only: where each request's time goes, per URL name, written to this folder
# (core/profiling.py). Unset, nothing of it runs.
BLUEHELMET_PROFILE_DIR = env.text("BLUEHELMET_PROFILE_DIR")
if BLUEHELMET_PROFILE_DIR:
    MIDDLEWARE = profiling.instrument(MIDDLEWARE)

# django-axes checks every log-in (pages, admin and the API token endpoint) before the
# password backend: after BLUEHELMET_LOGIN_FAILURE_LIMIT failures for one user name from one
# address, that pair is refused for the cool-off period. Administrators unlock early in the
# Django admin (Axes > Access attempts: delete) or with `bluehelmet axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

ROOT_URLCONF = "bluehelmet.urls"
WSGI_APPLICATION = "bluehelmet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ]
        },
    }
]

DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{HOME / 'bluehelmet.sqlite3'}", conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers (pages) go on while an import writes; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # A file, not memory, so the browser tests' live server thread sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(HOME / "test.sqlite3")}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A database that does not answer fails the request within seconds (a 503, see
    # core/resilience.py) instead of hanging it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
# A kept connection that died (a database restart) is noticed and replaced at the start of
# the next request instead of failing it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"  # made by CoreConfig.ready: WhiteNoise warns on every start when it is missing
# The site-wide CSS, JS and vendored libraries live beside the templates, not in an app.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# WhiteNoise serves the vendored front-end files straight from the package: no CDN, no
# collectstatic step for the demo (run collectstatic in production for compressed copies).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# `{% static %}` URLs carry the file's content hash (?v=...), and are kept a year by the
# browser (core/staticfiles.py); no collectstatic needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "bluehelmet.core.staticfiles.ContentVersionedStaticFilesStorage"},
}
MEDIA_ROOT = HOME / "uploads"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Import files above this size are refused before they are read (importers.uploads).
BLUEHELMET_IMPORT_MAX_MB = env.integer("BLUEHELMET_IMPORT_MAX_MB", 256, minimum=1)
# API tokens expire this many days after they were issued (core.tokens).
BLUEHELMET_API_TOKEN_DAYS = env.integer("BLUEHELMET_API_TOKEN_DAYS", 30, minimum=1)
# A request body other than uploaded files (form fields, JSON): the largest legitimate one is a
# drawn zone or patrol route, a few hundred kilobytes. Files are streamed to disk by the upload
# handlers and do not count.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The SMS gateway endpoint (civilaffairs.api): the largest body it reads (an SMS is a few
# hundred bytes), and how long a message without a message id or sending time is recognised
# when it is sent again (civilaffairs.cases.receive_sms).
BLUEHELMET_SMS_MAX_BODY_BYTES = env.integer("BLUEHELMET_SMS_MAX_BODY_BYTES", 64 * 1024, minimum=160)
BLUEHELMET_SMS_REPLAY_WINDOW_HOURS = env.integer("BLUEHELMET_SMS_REPLAY_WINDOW_HOURS", 24, minimum=1)

AXES_FAILURE_LIMIT = env.integer("BLUEHELMET_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.integer("BLUEHELMET_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "bluehelmet.core.security.lockout_response"
# Behind N reverse proxies that append to X-Forwarded-For, the address the outermost one saw
# is the visitor's (0: the connection's own address). See core.security.client_ip.
BLUEHELMET_TRUSTED_PROXIES = env.integer("BLUEHELMET_TRUSTED_PROXIES", 0, maximum=10)
AXES_CLIENT_IP_CALLABLE = "bluehelmet.core.security.client_ip"

# Sessions: cookies out of reach of scripts and of other sites' forms; a session ends when the
# browser closes and after BLUEHELMET_SESSION_IDLE_MINUTES without a request of the user's own
# (core.idle: what pages poll by themselves does not count). The idle middleware marks every
# other request, which saves the session and renews its stored expiry.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env.integer("BLUEHELMET_SESSION_IDLE_MINUTES", 60, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = False
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token, JS reads the form field
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent by core.security.SecurityHeadersMiddleware: no page needs these browser features.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients):
# cookies only over HTTPS, HSTS for a year, plain HTTP redirected.
if env.flag("BLUEHELMET_HTTPS"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "bluehelmet.core.tokens.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["bluehelmet.core.permissions.MissionMemberReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "bluehelmet.core.schema.ErrorDocumentingAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Blue Helmet API",
    "DESCRIPTION": "Missions, places, organizations, conflict events and UN deployments.",
    "VERSION": "0.1.0",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI and Redoc files come from the drf-spectacular-sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Places and organizations both have a `kind` with different choices: name both enums.
    "ENUM_NAME_OVERRIDES": {
        "PlaceKindEnum": "bluehelmet.core.models.Place.Kind",
        "OrganizationKindEnum": "bluehelmet.core.models.Organization.Kind",
    },
}

# Map background tiles: none by default, so maps work offline and nothing leaks to a tile server.
BLUEHELMET_TILE_URL = env.text("BLUEHELMET_TILE_URL")
BLUEHELMET_TILE_ATTRIBUTION = env.text("BLUEHELMET_TILE_ATTRIBUTION")
# Each mission's offline basemap, a PMTiles file set by `bluehelmet basemap` (core/basemaps.py).
BLUEHELMET_BASEMAP_DIR = HOME / "basemaps"


# Content Security Policy (django-csp): scripts only from this site's own files (no inline code,
# no eval); styles from its own files plus two exact <style> blocks allowed by their hashes (the
# standalone report file and drf-spectacular's Swagger UI page); no style attributes (pages size
# things through CSS classes and the CSSOM); images also from the tile server and data: URIs.
def _tile_origin(url: str) -> list[str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme in ("http", "https") and parts.netloc else []


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": [
            "'self'",
            *style_block_hashes(PACKAGE_DIR / "performance/templates/performance/report.html", swagger_ui_template()),
        ],
        "img-src": ["'self'", "data:", *_tile_origin(BLUEHELMET_TILE_URL)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Change history of every record (django-auditlog; see core/history.py). Models added later
# are tracked without registration; personal fields are masked by core.history.
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "sessions",
    "contenttypes",
    "auth.permission",
    "core.sensitiveaccess",  # noise, and the trail itself
    "core.searchentry",  # the search index: derived from audited records, rebuilt at will
    "authtoken",  # a token's key is its primary key: it would be written into the history
    "axes",
    "otp_totp",
    "otp_static",  # login attempts and second-factor secrets
)
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("last_login",)
AUDITLOG_MASK_TRACKING_FIELDS = ("password",)
AUDITLOG_MASK_CALLABLE = "bluehelmet.core.history.mask_value"
AUDITLOG_STORE_JSON_CHANGES = True

# Personal data kept this many days, then anonymised by `bluehelmet apply_retention` (see
# core/retention.py). Per category, from BLUEHELMET_RETENTION_DAYS, e.g.
# "incident_sources=730,ddr_participants=1825"; a category left out keeps its default, 0
# turns a category off.
# "failed_imports": the stored files of failed imports are deleted (importers/retention.py).
BLUEHELMET_RETENTION_DEFAULTS = {"incident_sources": 730, "ddr_participants": 1825, "failed_imports": 30}
BLUEHELMET_RETENTION_DAYS = env.day_counts("BLUEHELMET_RETENTION_DAYS", BLUEHELMET_RETENTION_DEFAULTS)

# Celery: a broker URL sends jobs to workers; without one, jobs run in this process.
CELERY_BROKER_URL = env.text("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env.text("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_DEFAULT_QUEUE = env.text("BLUEHELMET_CELERY_QUEUE", "bluehelmet")
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# `celery -A bluehelmet beat`: periodic jobs (embedded mode without Celery: cron, see docs/deployment.md).
CELERY_BEAT_SCHEDULE = {
    "apply-retention": {"task": "bluehelmet.core.tasks.apply_retention_task", "schedule": 24 * 3600},
    # Overdue response tasks (incidents.escalation; the web processes' sweep runs it too).
    "escalate-overdue-tasks": {"task": "bluehelmet.incidents.tasks.escalate_overdue_tasks_task", "schedule": 300},
}
# A job is acknowledged when it has finished, and handed back to the broker when its worker
# process dies (SIGKILL, out of memory), so another worker runs it (see bluehelmet/jobs.py).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Redis hands a job that was taken but never acknowledged (its whole worker was killed) to
# another worker after this many seconds: longer than the longest job, or a job still
# running is started a second time (it then gives way if on the same machine, see jobs.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.integer("BLUEHELMET_CELERY_VISIBILITY_TIMEOUT", 7200, minimum=1),
    "unacked_restore_throttle": 1,  # look for such jobs every 10 s, not every 100 s
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# A job still "running" after this many seconds has lost its runner: it is marked failed with
# the reason (bluehelmet.jobs.recover_stale_jobs). In-process jobs are recovered as soon as the
# web process that ran them is gone.
BLUEHELMET_JOB_TIMEOUT = env.integer("BLUEHELMET_JOB_TIMEOUT", 10800, minimum=1)
# Tests set this to run in-process jobs synchronously instead of on a background thread.
BLUEHELMET_JOBS_SYNC = env.flag("BLUEHELMET_JOBS_SYNC")

# The cache: heavy aggregates (overview timeline, dashboard counts, patrol coverage) and the
# per-mission generation that retires them (core/freshness.py). Several server processes must
# share it: Redis at BLUEHELMET_CACHE_URL, else the broker's Redis when jobs go through one,
# else this process's memory (one process, jobs in it: nothing to share).
_REDIS = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
BLUEHELMET_CACHE_URL = env.text("BLUEHELMET_CACHE_URL") or _REDIS
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": BLUEHELMET_CACHE_URL, "KEY_PREFIX": "bh"}
        if BLUEHELMET_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}
    )
}

# Mail (alert notifications): printed to the console unless a backend is configured, e.g.
# BLUEHELMET_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST etc.
EMAIL_BACKEND = env.text("BLUEHELMET_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.text("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", 25, minimum=1, maximum=65535)
DEFAULT_FROM_EMAIL = env.text("BLUEHELMET_FROM_EMAIL", "bluehelmet@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}


def __getattr__(name: str) -> str:
    """SECRET_KEY, read or generated when Django configures itself rather than on import (see top)."""
    if name == "SECRET_KEY":
        return env.secret_key(HOME)
    raise AttributeError(name)


def __dir__() -> list[str]:
    # Django reads the settings it finds in dir(module).
    return [*globals(), "SECRET_KEY"]
