"""Every map page of UNAMSIL (Sierra Leone), MINUSCA (Central African Republic) and UNMIL
(Liberia) opens on its mission's country, through the one map module (static/js/bhmap.js),
with no script error; and the one polling helper (static/js/poll.js) pauses a poll while the
tab is hidden and backs off after a failed one.

The boxes are the countries' own extents (OCHA/geoBoundaries outlines, rounded outwards),
written here rather than read from the database, so a map opening on the wrong country, or
on a fixed point with the sites in one corner (issue 15), fails."""

import re
import time
from pathlib import Path

import pytest
from django.urls import reverse

from bluehelmet.core.demo import DEMO_USERS
from bluehelmet.elections.models import Round
from bluehelmet.forces.models import Patrol
from bluehelmet.incidents.models import Agreement

ADMIN = next(u for u in DEMO_USERS if u.username == "admin")
ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")

# (south, west, north, east) of each host country.
COUNTRY_BOXES = {
    "UNAMSIL": (6.8, -13.4, 10.1, -10.2),  # Sierra Leone
    "MINUSCA": (2.2, 14.4, 11.1, 27.5),  # Central African Republic
    "UNMIL": (4.3, -11.6, 8.6, -7.3),  # Liberia
}

# The map pages each demo mission must have; UNMIL is not a demo mission (no units, no
# election, no boundaries for Liberia) but its Geo-PKO sites are: its overview must fit them.
EXPECTED_MAPS = {
    "UNAMSIL": {"mission-map", "coverage-map", "base-map", "patrol-map", "route-map", "incident-map", "pick-map"},
    "MINUSCA": {"mission-map", "coverage-map", "base-map", "patrol-map", "route-map", "incident-map", "pick-map"},
    "UNMIL": {"mission-map", "coverage-map", "incident-map", "pick-map"},
}


def map_pages(acronym: str) -> list[str]:
    """Every page of the mission that draws a map (those whose records exist)."""
    args = [acronym]
    pages = [
        reverse("mission-detail", args=args),
        reverse("earlywarning:index", args=args),
        reverse("civilaffairs:coverage", args=args),
        reverse("forces:index", args=args),
        reverse("forces:plan", args=args),
        reverse("forces:patrols", args=args),
        reverse("forces:patrol-new", args=args),
        reverse("incidents:index", args=args),
        reverse("incidents:report", args=args),
        reverse("humanitarian:index", args=args),
    ]
    agreement = Agreement.objects.filter(mission__acronym=acronym).first()
    if agreement:
        pages.append(reverse("incidents:ceasefire", args=[acronym, agreement.pk]))
    patrol = Patrol.objects.filter(mission__acronym=acronym, route__isnull=False).first()
    if patrol:
        pages.append(reverse("forces:patrol-report", args=[acronym, patrol.pk]))
    round_ = Round.objects.filter(election__mission__acronym=acronym).first()
    if round_:
        pages += [
            reverse("elections:round", args=[acronym, round_.pk]),
            reverse("elections:results", args=[acronym, round_.pk]),
        ]
    return pages


VIEW = """el => { const m = el.bhMap; const c = m.getCenter(); const b = m.getBounds();
  return { lat: c.lat, lon: c.lng, south: b.getSouth(), west: b.getWest(), north: b.getNorth(), east: b.getEast() }; }"""


@pytest.mark.parametrize("acronym", ["UNAMSIL", "MINUSCA", "UNMIL"])
def test_every_map_opens_on_its_missions_country(page, log_in, acronym):
    problems = []
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    page.on("console", lambda message: message.type == "error" and problems.append(f"{page.url}: {message.text}"))
    # The administrator sees every page of every mission, UNMIL's too.
    log_in(ADMIN.username, ADMIN.password)
    south, west, north, east = COUNTRY_BOXES[acronym]
    seen = set()
    for url in map_pages(acronym):
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
        for element in page.locator(".leaflet-container").all():
            name = element.get_attribute("id")
            view = element.evaluate(VIEW)
            where = f"{url} #{name}: {view}"
            assert south <= view["lat"] <= north and west <= view["lon"] <= east, where
            # Not zoomed out around the country: the view is at most four countries wide.
            assert view["east"] - view["west"] <= 4 * (east - west), where
            assert view["north"] - view["south"] <= 4 * (north - south), where
            seen.add(name)
        Path("test-results").mkdir(exist_ok=True)
    page.screenshot(path=f"test-results/maps-{acronym}.png")
    assert EXPECTED_MAPS[acronym] <= seen, f"maps missing: {EXPECTED_MAPS[acronym] - seen}"
    assert not problems, problems


def test_the_live_feed_pauses_while_hidden_and_backs_off_after_failures(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    polls = []
    failing = {"on": False}

    def answer(route):
        polls.append(time.monotonic())
        if failing["on"]:
            route.fulfill(status=503, body="down")
        else:
            route.continue_()

    page.route(re.compile(r"/incidents/feed/"), answer)
    page.goto("/missions/UNAMSIL/incidents/")
    page.wait_for_function("() => document.getElementById('feed-poller') !== null")
    # The feed polls every 3 s while shown.
    page.wait_for_timeout(7000)
    assert len(polls) >= 2, polls

    # Hidden (another tab in front): no poll at all.
    page.evaluate("""() => { Object.defineProperty(document, 'hidden', { value: true, configurable: true });
                              document.dispatchEvent(new Event('visibilitychange')); }""")
    page.wait_for_timeout(500)  # a poll already under way may finish
    before = len(polls)
    page.wait_for_timeout(7000)
    assert len(polls) == before

    # Shown again, the server failing: after each failure the wait doubles (6 s, 12 s...),
    # so in 13 s there are three polls at most, not four or five at the steady 3 s.
    failing["on"] = True
    page.evaluate("() => { delete document.hidden; document.dispatchEvent(new Event('visibilitychange')); }")
    page.wait_for_function("() => document.getElementById('feed-poller').dataset.pollFailures === '1'", timeout=8000)
    first_failure = len(polls)
    page.wait_for_timeout(13000)
    assert len(polls) - first_failure <= 2, polls
    assert page.locator("#feed-poller").get_attribute("data-poll-failures") in {"2", "3"}

    # The server back: polls resume at their own pace and the failures are forgotten.
    failing["on"] = False
    page.wait_for_function("() => !document.getElementById('feed-poller').dataset.pollFailures", timeout=30000)
