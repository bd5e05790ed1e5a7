"""Django settings. Everything a deployment changes comes from environment variables:

BLUEHELMET_HOME      where the SQLite file and uploads live (default ~/.bluehelmet)
DATABASE_URL         e.g. postgres://user@127.0.0.1:5432/bluehelmet; SQLite in BLUEHELMET_HOME when unset
CELERY_BROKER_URL    e.g. redis://127.0.0.1:6379/0; jobs run in-process when unset
BLUEHELMET_FIELD_KEYS  Fernet keys for personal data at rest, newest first (see core/crypto.py)
BLUEHELMET_SECRET_KEY, BLUEHELMET_DEBUG, BLUEHELMET_ALLOWED_HOSTS
BLUEHELMET_HTTPS     1 behind a TLS proxy: secure cookies, HSTS, redirect to HTTPS
BLUEHELMET_TILE_URL  optional map tiles, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (maps
                     draw admin boundaries without tiles); BLUEHELMET_TILE_ATTRIBUTION credits them
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("BLUEHELMET_HOME", Path.home() / ".bluehelmet")).expanduser()
HOME.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use the configured key, else one generated once and kept in BLUEHELMET_HOME."""
    if key := os.environ.get("BLUEHELMET_SECRET_KEY"):
        return key
    path = HOME / "secret_key"
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Keys that encrypt personal data at rest (Fernet; comma-separated: the first encrypts, all
# decrypt, so keys rotate). Unset: a key generated once and kept in BLUEHELMET_HOME/field_key.
BLUEHELMET_FIELD_KEYS = [k.strip() for k in os.environ.get("BLUEHELMET_FIELD_KEYS", "").split(",") if k.strip()]
DEBUG = os.environ.get("BLUEHELMET_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("BLUEHELMET_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

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
    "bluehelmet.core",
    "bluehelmet.incidents",
    "bluehelmet.forces",
    "bluehelmet.earlywarning",
    "bluehelmet.performance",
    "bluehelmet.elections",
    "bluehelmet.ddr",
    "bluehelmet.civilaffairs",
    "bluehelmet.humanitarian",
    "bluehelmet.importers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bluehelmet.core.middleware.LoginRequiredMiddleware",
]

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{HOME / 'bluehelmet.sqlite3'}", conn_max_age=60
    )
}
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
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start when it is missing
# The site-wide CSS, JS and vendored libraries live beside the templates, not in an app.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# WhiteNoise serves the vendored front-end files straight from the package: no CDN, no
# collectstatic step for the demo (run collectstatic in production for compressed copies).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = HOME / "uploads"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 200 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients):
# cookies only over HTTPS, HSTS for a year, plain HTTP redirected.
if os.environ.get("BLUEHELMET_HTTPS", "0") == "1":
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["bluehelmet.core.permissions.MissionMemberReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
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
BLUEHELMET_TILE_URL = os.environ.get("BLUEHELMET_TILE_URL", "")
BLUEHELMET_TILE_ATTRIBUTION = os.environ.get("BLUEHELMET_TILE_ATTRIBUTION", "")

# Celery: a broker URL sends jobs to workers; without one, jobs run in this process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("BLUEHELMET_CELERY_QUEUE", "bluehelmet")
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Tests set this to run in-process jobs synchronously instead of on a background thread.
BLUEHELMET_JOBS_SYNC = os.environ.get("BLUEHELMET_JOBS_SYNC", "0") == "1"

# Mail (alert notifications): printed to the console unless a backend is configured, e.g.
# BLUEHELMET_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST etc.
EMAIL_BACKEND = os.environ.get("BLUEHELMET_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("BLUEHELMET_FROM_EMAIL", "bluehelmet@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
