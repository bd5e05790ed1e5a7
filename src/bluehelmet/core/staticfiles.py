"""Static files cached by the browser for a year, yet never stale.

Django's ManifestStaticFilesStorage would name each file by its content hash, but only after
`collectstatic`: the demo and the tests serve the files straight from the package (WhiteNoise
with its finders), where it fails. So the URL of a static file carries its content hash in
the query string instead (`/static/js/app.js?v=3f2a...`), computed from the file itself, and
an answer asked with that hash may be kept for a year: a changed file has a new hash, so a new
URL. Files reached without the hash (a stylesheet's own url(...) references) keep WhiteNoise's
short default."""

import hashlib
import os
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import StaticFilesStorage

VERSION_PARAMETER = "v"
FAR_FUTURE = 365 * 24 * 3600


@lru_cache(maxsize=4096)
def _content_hash(path: str, mtime_ns: int, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]


def content_version(name: str, collected_path: str | None = None) -> str | None:
    """The first 12 hex digits of the file's SHA-256 (cached while the file is unchanged),
    None when there is no such file."""
    path = finders.find(name) or collected_path
    if not path or not os.path.isfile(path):
        return None
    stat = os.stat(path)
    return _content_hash(path, stat.st_mtime_ns, stat.st_size)


class ContentVersionedStaticFilesStorage(StaticFilesStorage):
    """`{% static %}` URLs with `?v=<content hash>`."""

    def url(self, name):
        url = super().url(name)
        if name is None or "?" in url:
            return url
        version = content_version(name, self.path(name))
        return f"{url}?{VERSION_PARAMETER}={version}" if version else url


class StaticCacheMiddleware:
    """A static file asked with its content hash may be kept a year (`immutable`: not even
    revalidated on reload). Placed above WhiteNoise, which answers static files itself."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path_info.startswith(self.prefix)
            and response.status_code == 200
            and request.GET.get(VERSION_PARAMETER)
        ):
            response["Cache-Control"] = f"public, max-age={FAR_FUTURE}, immutable"
        return response
