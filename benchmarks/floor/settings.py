"""Settings of the floor endpoint: Blue Helmet's middleware list less the project's own
middleware, token authentication, one app with one model. Environment as for Blue Helmet
(DATABASE_URL, BLUEHELMET_SECRET_KEY, BLUEHELMET_HOME, BLUEHELMET_PROFILE_DIR)."""

import os

import dj_database_url

from bluehelmet import settings as product
from bluehelmet.core import profiling

SECRET_KEY = os.environ["BLUEHELMET_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    # The third-party apps whose middleware stays in the list.
    "axes",
    "django_otp",
    "auditlog",
    "floor",
]
MIDDLEWARE = [path for path in product.MIDDLEWARE if not path.startswith("bluehelmet.")]
BLUEHELMET_PROFILE_DIR = os.environ.get("BLUEHELMET_PROFILE_DIR", "")
if BLUEHELMET_PROFILE_DIR:
    MIDDLEWARE = profiling.instrument(MIDDLEWARE)
ROOT_URLCONF = "floor.urls"
DATABASES = {"default": dj_database_url.config(conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = product.STATIC_ROOT
AUTHENTICATION_BACKENDS = product.AUTHENTICATION_BACKENDS
AXES_FAILURE_LIMIT = product.AXES_FAILURE_LIMIT
CONTENT_SECURITY_POLICY = product.CONTENT_SECURITY_POLICY
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
LOGGING = product.LOGGING
