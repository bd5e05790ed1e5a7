"""Every page in French: nothing visible left in English.

The demo data is loaded (inside a transaction rolled back at the end), then an administrator
walks the site from every route of the URL conf (the route discovery of tests/walk/routes.py):
routes with a mission acronym, a month or a year are filled with the demo's UNAMSIL values,
and routes with a record key are reached by following the links of the pages already
walked. Each page is rendered in French and, when it shows English words, in English too:
`visible.english_left` reports the French page's text that is still the English one and
holds English words (not data values: every text stored in the database counts as data).

The Django admin is walked on its index and an app page (every model's name); the labels
of every model field are checked in test_french_messages.py. API
endpoints answer JSON and are checked there too.
"""

import bisect
import re
from collections import defaultdict

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.test import Client
from django.urls import Resolver404, resolve

from tests.walk.routes import EXCLUDED_NAMES, ROUTES

from .catalogues import english_only_words
from .visible import english_left, normalise, pieces, visible_texts

# What a page says does not depend on the database under it: crawled once, on SQLite.
pytestmark = pytest.mark.presentation

UNAMSIL = {"acronym": "UNAMSIL", "month": "2000-05", "year": "2000"}
# Routes a walk cannot reach by a link from another page, with why (they are forms answering
# a POST, file downloads, or fragments polled by htmx whose text is checked on their page).
UNREACHABLE = {
    "incidents:status",
    "incidents:add-source",
    "incidents:add-attachment",
    "incidents:merge",
    "incidents:reject-duplicate",
    "incidents:alert-acknowledge",
    "incidents:alert-close",
    "incidents:subscribe",
    "incidents:source-identity",
    "incidents:attachment",
    "incidents:map-data",
    "incidents:export",
    "incidents:zones-geojson",
    "forces:plan-status",
    "forces:award-decide",
    "forces:certificate",
    "earlywarning:map-data",
    "earlywarning:unit-data",
    "earlywarning:start-run",
    "earlywarning:run-status",
    "performance:compute",
    "performance:measurement-add",
    "performance:assessment-add",
    "performance:effects-run",
    "performance:effect-figure",
    "performance:report-pdf",
    "performance:lesson-apply",
    "performance:lesson-link",
    "ddr:record-stage",
    "importers:job-status",
    "mission-events-csv",
    "mission-events-geojson",
    "mission-areas",
    "mission-basemap",  # the maps' PMTiles file (binary), named in their data attributes
    "mission-event-points",
    "mission-deployments",
    "performance:report-request",  # answers a POST: generates a report
    "incidents:analysis-save",  # answers a POST: saves the analysis page's filters as a view
    # Two-factor log-in: the code page is reached in the middle of a log-in, the others with
    # an authenticator set up (the walk's administrator passes with a static device).
    "two-factor-verify",
    "two-factor-backup-codes",
    "two-factor-remove",
}
# Words that read the same in both languages on these pages and are not data values:
# proper names, acronyms and codes of standards and products.
ALLOWED_WORDS = {
    "blue",
    "helmet",  # the product's name, kept in French like other UN system names
    "geo",
    "pko",
    "ucdp",
    "ged",
    "acled",
    "prio",
    "grid",
    "hxl",
    "csv",
    "geojson",
    "json",
    "pdf",
    "svg",
    "api",
    "openapi",
    "swagger",
    "redoc",
    "tlp",
    "clear",
    "green",
    "amber",
    "red",  # TLP labels are an international standard (FIRST)
    "lightgbm",
    "highs",
    "poisson",
    "totp",
    "id",
    "ok",
    "geoboundaries",
    "naturalearth",
    "uppsala",
    "program",
}

User = get_user_model()


def _data_values() -> set[str]:
    """Every text stored in the database (and its pieces): data, shown as entered."""
    from django.db import connection

    found = set()
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.db_table not in tables:  # an app still being built, without its migration
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices
        ]
        json_fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        for row in model._default_manager.values_list(*fields, *json_fields).iterator():
            for value in row:
                for text in _strings(value):
                    text = normalise(text)
                    found.add(text)
                    found.update(pieces(text))
    return found


def _strings(value, depth=0):
    """The strings of a stored value, inside JSON too (a history's before/after)."""
    if isinstance(value, str):
        if value:
            yield value
    elif isinstance(value, dict) and depth < 4:
        for item in value.values():
            yield from _strings(item, depth + 1)
    elif isinstance(value, list) and depth < 4:
        for item in value[:500]:
            yield from _strings(item, depth + 1)


NUMBERISH = re.compile(r"^[\W\d_]*$|^\d[\d\s.,:%/–-]*\w{0,3}$")


def _route_key(path: str):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or match.route


def _fill(route_label: str):
    path = route_label.replace("\\", "")
    for name, value in UNAMSIL.items():
        path = re.sub(rf"\(\?P<{name}>[^)]*\)", value, path)
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "core", path)
    return None if "(?P<" in path or "(" in path else "/" + path


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker):
    """The walk: {route label: [(path, English left on the French page)]}, and the routes not reached."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from bluehelmet.overview.demo import load_demo_data

    with django_db_blocker.unblock():
        # As in the browser tests: pytest-django builds the test database only for a test
        # that asks for `db`, which would hold its own transaction.
        own_setup = None
        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
            own_setup = setup_databases(verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set())
        try:
            yield from _walk_the_site(load_demo_data)
        finally:
            if own_setup is not None:
                teardown_databases(own_setup, verbosity=0)


def _walk_the_site(load_demo_data):
    with transaction.atomic():
        if not User.objects.filter(username="admin").exists():  # the browser tests may have loaded it
            load_demo_data(progress=lambda message: None)
        admin = User.objects.get(username="admin")
        vocabulary = english_only_words(ALLOWED_WORDS)
        data = _data_values()
        data.update(User.objects.values_list("username", flat=True))

        prefixes = sorted(data)

        def is_data(text: str) -> bool:
            if text in data or NUMBERISH.match(text):
                return True
            if text.endswith("…"):  # a long value cut short by truncatechars
                start = text[:-1].rstrip()
                index = bisect.bisect_left(prefixes, start)
                return index < len(prefixes) and prefixes[index].startswith(start)
            return False

        clients = {}
        for language in ("en", "fr"):
            clients[language] = Client(HTTP_ACCEPT_LANGUAGE=language)
            clients[language].force_login(admin)
            _pass_two_factor(clients[language], admin)
            clients[language].cookies["django_language"] = language

        label_of = {}
        for route in ROUTES:
            label_of[route.label] = route
        queue = []
        for route in ROUTES:
            if route.is_drf or route.name in EXCLUDED_NAMES or route.name in UNREACHABLE:
                continue
            if (route.name or "").startswith("admin:") and route.name not in ("admin:index", "admin:app_list"):
                continue
            path = _fill(route.label)
            if path and _worth_following(path):
                queue.append(path)

        results = defaultdict(list)
        seen_routes, seen_paths = set(), set()
        while queue:
            path = queue.pop(0)
            key = _route_key(path)
            if path in seen_paths or key is None or key in seen_routes:
                continue
            seen_paths.add(path)
            seen_routes.add(key)
            try:
                french = _get(clients["fr"], path)
            except Exception as error:  # noqa: BLE001 - reported on the route's test, the walk goes on
                results[key].append((path, [f"the page fails: {error!r}"]))
                continue
            if french.status_code >= 500:
                results[key].append((path, [f"the page answers {french.status_code}"]))
            if french.status_code != 200 or "text/html" not in french.get("Content-Type", ""):
                continue
            if french.streaming:  # a stored file (a generated report): a document in the language it was made in
                continue
            html = french.content.decode("utf-8", errors="replace")
            french_texts = visible_texts(html)
            # The English page is needed only to confirm English words found on the French one.
            left = english_left(french_texts, french_texts, vocabulary, is_data)
            if left:
                english = _get(clients["en"], path).content.decode("utf-8", errors="replace")
                left = english_left(french_texts, visible_texts(english), vocabulary, is_data)
            results[key].append((path, left))
            for href in re.findall(r'href="(/[^"#?]*)', html):
                if href not in seen_paths and _worth_following(href):
                    queue.append(href)
        yield results
        transaction.set_rollback(True)


def _pass_two_factor(client, user):
    """Administrators pass two-factor log-in before any page: mark the session verified
    with a real django-otp device, as tests/conftest.py does for function-scoped clients."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    device, _created = StaticDevice.objects.get_or_create(user=user, name="i18n walk", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _get(client, path):
    with transaction.atomic():  # a failing page must not break the walk's transaction
        return client.get(path)


def _is_own_admin(path: str) -> bool:
    parts = path.strip("/").split("/")
    return len(parts) < 2 or parts[1] in {
        config.label for config in apps.get_app_configs() if config.name.startswith("bluehelmet.")
    }


def _worth_following(href: str) -> bool:
    if href.startswith(("/static/", "/media/", "/i18n/", "/accounts/logout", "/api/")):
        return False
    if href.startswith("/admin/"):
        # The index and app pages name every model; the names and help of every field (the
        # change lists' columns, the forms) are checked model by model in test_french_messages.
        return href.count("/") <= 3 and _is_own_admin(href)
    return not re.search(r"\.(csv|geojson|json|pdf|svg|png|zip)$", href)


FILES = re.compile(
    r"\\\.(csv|geojson|json|pdf|svg|png|zip)(\$|\\Z)?$"
)  # downloads: their text is checked in test_french_messages
PAGE_ROUTES = [
    route
    for route in ROUTES
    if not route.is_drf
    and route.name not in EXCLUDED_NAMES
    and route.name not in UNREACHABLE
    and not (route.name or "").startswith("admin:")
    and route.name is not None
    and not FILES.search(route.label)
]


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda route: route.name)
def test_page_is_in_french(walk, route):
    if route.name not in walk:
        # A page of one record is reached only when the demo has such a record and links
        # to it; a page with no record key must always be reached.
        assert "(?P<" in route.label.replace("(?P<acronym>", ""), (
            f"{route.name} ({route.label}) was not reached by the walk: link it from a page, or list it in UNREACHABLE with why"
        )
        pytest.skip(f"{route.name}: no link to such a record in the demo data")
    problems = [f"{path}: {text}" for path, left in walk[route.name] for text in left]
    assert not problems, f"English left on the French page of {route.name}:\n" + "\n".join(problems)


def test_admin_is_in_french(walk):
    admin_pages = {key: pages for key, pages in walk.items() if key.startswith("admin:")}
    assert "admin:index" in admin_pages and "admin:app_list" in admin_pages, sorted(admin_pages)
    problems = [f"{path}: {text}" for pages in admin_pages.values() for path, left in pages for text in left]
    assert not problems, "English left on the French admin:\n" + "\n".join(problems)
