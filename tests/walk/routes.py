"""The routes of the URL configuration, found once per session and filled with a mission's
values, for every walk (tests/walk/test_walk.py, the injection and French walks).

The routes come from django.urls.get_resolver(), so a new page, API endpoint or admin screen
is covered as soon as it is routed. Path parameters are filled by name: the main records of
mission A all have the primary key A.pk and those of mission B the key B.pk, whatever their
model (tests/walk/world.py), so an `<int:pk>` of any view points at a real record of the
mission chosen; acronyms, months and years come from that mission's data too.
"""

import itertools
import re
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize
from rest_framework.views import APIView

# Mission A is UNAMSIL (Sierra Leone), mission B MINUSCA (Central African Republic): rows
# of the shipped Geo-PKO, GED and personnel files, trimmed.
A = SimpleNamespace(
    pk=4141, acronym="UNAMSIL", name="United Nations Mission in Sierra Leone", month="2000-05", year="2000"
)
B = SimpleNamespace(
    pk=4242,
    acronym="MINUSCA",
    name="United Nations Multidimensional Integrated Stabilization Mission in the Central African Republic",
    month="2014-10",
    year="2014",
)
# Not walked, each for its reason:
EXCLUDED_NAMES = {
    "login",
    "admin:login",
    "api-token",  # log-ins: open to anonymous visitors on purpose
    "logout",
    "admin:logout",  # would end the walking user's session
    "set_language",  # i18n: open to all, only sets a cookie
    "service-worker",
    "web-manifest",  # the installable app's files: open to all, nothing of a user in them
}
EXCLUDED_PREFIXES = ("/" + settings.STATIC_URL.lstrip("/"), "/" + settings.MEDIA_URL.lstrip("/"))  # files, no views


def _value_order(name: str, side) -> list[str]:
    """Values to try for a path parameter, the likeliest for its name first."""
    values = [str(side.pk), side.acronym, side.month, side.year, "json", ".json", "core"]
    hints = [
        (r"acronym|mission|slug", side.acronym),
        (r"month", side.month),
        (r"year", side.year),
        (r"format", "json"),
        (r"format", ".json"),  # DRF's suffix converter includes the dot
        (r"app_label", "core"),
        (r"^model$", "incidents.incident"),  # a discussion's record (core.comments)
    ]
    preferred = [value for pattern, value in hints if re.search(pattern, name)]
    return list(dict.fromkeys(preferred + values))


@dataclass
class Route:
    label: str
    name: str | None
    callback: object
    paths: dict  # "A"/"B" -> the path filled with that mission's values, None if unfillable

    @property
    def is_drf(self) -> bool:
        view_class = getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)
        return isinstance(view_class, type) and issubclass(view_class, APIView)


def _fill(regex: str, callback, side) -> str | None:
    for template, params in normalize(regex):
        for values in itertools.product(*(_value_order(p, side) for p in params)):
            path = "/" + template % dict(zip(params, values))
            try:
                if resolve(path).func is callback:
                    return path
            except Resolver404:
                continue
    return None


def _walk(resolver, regex="", namespace=None):
    for pattern in resolver.url_patterns:
        full = regex + pattern.pattern.regex.pattern.removeprefix("^")
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _walk(pattern, full, inner)
        else:
            name = ":".join(filter(None, [namespace, pattern.name])) if pattern.name else None
            yield full, name, pattern.callback


def routes() -> list[Route]:
    found = []
    for regex, name, callback in _walk(get_resolver()):
        if name in EXCLUDED_NAMES:
            continue
        paths = {side: _fill(regex, callback, values) for side, values in (("A", A), ("B", B))}
        if any(path and path.startswith(EXCLUDED_PREFIXES) for path in paths.values()):
            continue
        found.append(Route(label=regex.replace("\\Z", "").replace("$", ""), name=name, callback=callback, paths=paths))
    return found


ROUTES = routes()


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def is_login_redirect(response) -> bool:
    if response.status_code != 302:
        return False
    try:
        return resolve(urlsplit(response["Location"]).path).url_name == "login"
    except Resolver404:
        return False
