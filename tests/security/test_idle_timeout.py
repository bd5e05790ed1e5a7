"""The idle timeout with a fake clock: the user's own requests keep a session alive, what
pages poll by themselves (the live feed every 3 seconds, progress panels) does not."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from bluehelmet.core import idle
from bluehelmet.core.models import Role
from tests.factories import PASSWORD, make_user

MINUTE = 60.0
PACKAGE = Path(idle.__file__).resolve().parents[1]


class FakeClock:
    def __init__(self):
        self.time = 1_800_000_000.0

    def __call__(self):
        return self.time

    def advance(self, minutes):
        self.time += minutes * MINUTE


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(idle, "now", fake)
    return fake


@pytest.fixture
def analyst(mission, settings):
    settings.SESSION_COOKIE_AGE = 60 * 60
    user = make_user("ana", mission, Role.ANALYST)
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


FEED = "/missions/UNAMSIL/incidents/feed/"


def test_polling_the_live_feed_does_not_keep_the_session_alive(analyst, clock):
    assert analyst.get("/missions/UNAMSIL/incidents/").status_code == 200
    for _minute in range(59):  # the page polls on, nobody touches it
        clock.advance(1)
        assert analyst.get(FEED).status_code == 200
    clock.advance(2)  # 61 minutes after the last thing the user did
    response = analyst.get(FEED)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert analyst.get("/").status_code == 302  # logged out for good


def test_the_users_own_requests_keep_it_alive(analyst, clock):
    for _hour in range(3):
        clock.advance(50)
        assert analyst.get("/missions/UNAMSIL/incidents/").status_code == 200
    clock.advance(61)
    assert analyst.get("/missions/UNAMSIL/incidents/").status_code == 302


def test_a_poll_does_not_save_the_session(analyst, clock):
    """Nor does it move the stored session's own expiry."""
    from django.contrib.sessions.models import Session

    analyst.get("/")
    expiry = Session.objects.get().expire_date
    clock.advance(1)
    analyst.get(FEED)
    assert Session.objects.get().expire_date == expiry


def test_a_page_that_polls_itself_counts_only_the_users_requests(analyst, clock):
    """The election dashboard refreshes its #live panel through htmx: that is a poll; opening
    the dashboard is not."""
    from django.test import RequestFactory

    path = "/missions/UNAMSIL/elections/rounds/1/dashboard/"
    assert reverse("elections:dashboard", args=["UNAMSIL", 1]) == path
    factory = RequestFactory()
    assert idle.is_polling(factory.get(path, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="live"))
    assert not idle.is_polling(factory.get(path))
    assert not idle.is_polling(factory.get(path, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="something-else"))
    assert idle.is_polling(factory.get(FEED)) and not idle.is_polling(factory.get("/missions/UNAMSIL/incidents/"))


def test_every_polling_element_is_a_listed_poll():
    """Each `hx-trigger="every ..."` in a template polls a route in POLLING_ROUTES (with its
    element's id when the route is also a page), so a new poll cannot keep sessions alive."""
    import bluehelmet.urls  # noqa: F401  (every views module, so every job status box)
    from bluehelmet.core.job_views import TEMPLATE, status_boxes

    polls = []
    for template in PACKAGE.rglob("templates/**/*.html"):
        if template.as_posix().endswith(TEMPLATE):
            continue  # the job status box polls the route each of its uses names: below
        for tag in re.findall(r"<[^>]*hx-trigger=\"every [^>]*>", template.read_text()):
            route = re.search(r"\{% url '([a-z-]+:[a-z-]+)'", tag)
            element = re.search(r"\bid=\"([^\"]+)\"", tag)
            polls.append((template.name, route and route.group(1), element and element.group(1)))
    polls += [(TEMPLATE, box.url_name, box.box_id) for box in status_boxes()]
    assert len(polls) >= 6 and len(status_boxes()) >= 5
    for name, route, element in polls:
        assert route in idle.POLLING_ROUTES, (name, route)
        assert idle.POLLING_ROUTES[route] in (None, element), (name, route, element)
