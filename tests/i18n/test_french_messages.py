"""French beyond the pages: names of models and fields (the admin, forms, API schema), form
and API errors, exports and e-mails.

Data exports keep their column names in English, on purpose: CSV, GeoJSON and HXL files are
read by other tools (the importers of this platform among them, UCDP/ACLED-style pipelines,
HDX), which need stable names whatever the language of the person who clicked. The test
below holds them to that: the same header in English and in French.
"""

import json

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.utils import translation

from bluehelmet.core.models import Role
from tests.walk.routes import ROUTES

from .catalogues import english_only_words
from .visible import words

ENGLISH = english_only_words(
    {
        "blue",
        "helmet",
        "geo",
        "pko",
        "ucdp",
        "ged",
        "acled",
        "prio",
        "grid",
        "hxl",
        "csv",
        "json",
        "api",
        "tlp",
        "clear",
        "green",
        "amber",
        "red",
        "totp",
        "otp",
        "id",
    }
)
OUR_APPS = [config for config in apps.get_app_configs() if config.name.startswith("bluehelmet.")]


def _both(text) -> tuple[str, str]:
    with translation.override("en"):
        english = str(text)
    with translation.override("fr"):
        french = str(text)
    return english, french


def _untranslated(text) -> list[str]:
    """The English words of a text that reads the same in French."""
    english, french = _both(text)
    if english != french:
        return []
    return [word for word in words(french) if word.lower() in ENGLISH]


def _model_texts(model):
    opts = model._meta
    yield "verbose_name", opts.verbose_name
    yield "verbose_name_plural", opts.verbose_name_plural
    for field in _fields(model):
        if getattr(field, "help_text", None):
            yield f"{field.name}.help_text", field.help_text
        for value, label in getattr(field, "flatchoices", None) or ():
            yield f"{field.name}.choices[{value!r}]", label


def _fields(model):
    # Reverse relations are named on the other side.
    return [field for field in model._meta.get_fields() if not (field.auto_created and not field.concrete)]


def _problems(config, texts) -> list[str]:
    problems = []
    for model in config.get_models():
        for where, text in texts(model):
            found = _untranslated(text)
            if found:
                problems.append(f"{model.__name__}.{where}: {str(text)!r} ({', '.join(found)})")
    return problems


@pytest.mark.parametrize("config", OUR_APPS, ids=lambda config: config.label)
def test_models_are_named_in_french(config):
    """What the admin, the forms built from models and the API schema show: app and model
    names, help texts, choices."""
    problems = [f"{config.label}: {config.verbose_name!r}"] if _untranslated(config.verbose_name) else []
    problems += _problems(config, _model_texts)
    assert not problems, "not translated (mark with gettext_lazy and translate):\n" + "\n".join(problems)


@pytest.mark.parametrize("config", OUR_APPS, ids=lambda config: config.label)
def test_fields_are_named_in_french(config):
    problems = _problems(
        config,
        lambda model: (
            (f"{f.name}.verbose_name", f.verbose_name) for f in _fields(model) if getattr(f, "verbose_name", None)
        ),
    )
    assert not problems, "fields named only by their attribute (give them a gettext_lazy verbose_name):\n" + "\n".join(
        problems
    )


CREATE_ROUTES = [
    route
    for route in ROUTES
    if route.is_drf
    and route.name
    and route.name.endswith("-list")
    and "post" in getattr(getattr(route.callback, "cls", None), "http_method_names", ())
    and (getattr(route.callback, "actions", None) or {}).get("post")
]


def test_api_create_endpoints_are_found():
    assert len(CREATE_ROUTES) >= 3, [route.name for route in CREATE_ROUTES]


@pytest.mark.parametrize("route", CREATE_ROUTES, ids=lambda route: route.name)
def test_api_errors_are_in_french(world, route):  # noqa: F811 (the fixture)
    """An empty or malformed record posted in French gets its field errors in French."""
    path = route.paths["A"]
    answers = {}
    for language in ("en", "fr"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(world.superuser)
        for name, body in (
            ("empty", {}),
            ("malformed", {"sharing": "¤", "latitude": "x", "month": "x", "status": "¤"}),
        ):
            response = client.post(path, data=json.dumps(body), content_type="application/json")
            assert response.status_code < 500, (path, response.status_code)
            answers[language, name] = response
    problems = []
    for name in ("empty", "malformed"):
        english, french = answers["en", name], answers["fr", name]
        if french.status_code != 400:
            continue
        assert french["Content-Language"] == "fr", path
        english_messages = set(_messages(english.json()))
        for message in _messages(french.json()):
            if message in english_messages and any(word.lower() in ENGLISH for word in words(message)):
                problems.append(f"{name}: {message!r}")
    assert not problems, f"English errors from {path} in French:\n" + "\n".join(problems)


def _messages(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _messages(item)
    elif isinstance(value, list):
        for item in value:
            yield from _messages(item)


CSV_ROUTES = [route for route in ROUTES if not route.is_drf and route.label.endswith("\\.csv")]


@pytest.mark.parametrize("route", CSV_ROUTES, ids=lambda route: route.name)
def test_csv_headers_are_the_same_in_both_languages(world, route):  # noqa: F811 (the fixture)
    """Exports keep stable column names (English or HXL) whatever the language."""
    headers = {}
    for language in ("en", "fr"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(world.superuser)
        response = client.get(route.paths["A"])
        assert response.status_code < 500, (route.paths["A"], response.status_code)
        if response.status_code != 200:
            pytest.skip(f"{route.name}: {response.status_code} for the walk's records")
        content = b"".join(response.streaming_content) if response.streaming else response.content
        headers[language] = content.decode("utf-8-sig", errors="replace").splitlines()[:1]
    assert headers["en"] == headers["fr"], headers


def _form_errors_in_french(client_for, users, path, role, data=None):
    answers = {}
    for language in ("en", "fr"):
        client = client_for(users[role])
        client.cookies["django_language"] = language
        # One unknown key: a view built on `Form(request.POST or None)` sees a bound, empty form.
        answers[language] = client.post(path, data or {"unknown-field": "x"}, HTTP_ACCEPT_LANGUAGE=language)
    assert answers["fr"].status_code in (200, 400), answers["fr"].status_code
    from .visible import english_left, visible_texts

    english = visible_texts(answers["en"].content.decode())
    french = visible_texts(answers["fr"].content.decode())
    assert any("obligatoire" in text for text in french), "no French field error on " + path
    usernames = {user.username for user in users.values()}
    return english_left(french, english, ENGLISH, lambda text: text in usernames or text.startswith("UNAMSIL"))


@pytest.mark.parametrize(
    "path, role",
    [
        ("/missions/UNAMSIL/incidents/report/", Role.REPORTER),
        ("/missions/UNAMSIL/ddr/participants/new/", Role.DDR_OFFICER),
        ("/missions/UNAMSIL/forces/equipment/new/", Role.ANALYST),
        ("/missions/UNAMSIL/lessons/new/", Role.ANALYST),
    ],
)
def test_form_errors_are_in_french(client_for, users, path, role):
    left = _form_errors_in_french(client_for, users, path, role)
    assert not left, f"English on {path} after a refused form, in French:\n" + "\n".join(left)


def test_alert_email_is_in_french(users, mission, settings):
    """An alert raised while the mission works in French mails its notice in French (the
    e-mail goes out in the language active when the alert is raised)."""
    from bluehelmet.incidents import alerts
    from bluehelmet.incidents.models import Alert, AlertRule, Severity, Subscription

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    analyst = users[Role.ANALYST]
    analyst.email = "analyst@example.org"
    analyst.save()
    rule = AlertRule.objects.create(
        mission=mission, name="Exercise rule", kind=AlertRule.Kind.CASUALTIES, casualty_threshold=1
    )
    Subscription.objects.create(rule=rule, user=analyst, by_email=True)
    alert = Alert.objects.create(
        mission=mission, rule=rule, severity=Severity.HIGH, title="Exercise", message="Exercise"
    )
    with translation.override("fr"):
        alerts.send_alert_messages(alert.pk)
        high = str(Severity.HIGH.label)
    assert len(mail.outbox) == 1, mail.outbox
    message = mail.outbox[0]
    assert high in message.subject and high != "High", message.subject
    assert "Blue Helmet" in message.body and "Acknowledge" not in message.body, message.body
