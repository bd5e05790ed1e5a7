"""The one time control (static/js/timerange.js), in Chromium, for UNAMSIL and MINUSCA: on the
overview, moving the month range redraws the map's layers (deployments for the range's last
month, events and incidents within it: each layer draws exactly what the server answers for
the range) and the chart's shaded months together; a month clicked on the chart moves the
range, and so the map, there; on the incident map the range narrows the incidents drawn."""

import datetime
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS

ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")

DRAWN = """prefix => { const f = document.getElementById(prefix + '-timerange');
  const m = document.getElementById(prefix === 'mission' ? 'mission-map' : 'incident-map');
  const want = prefix === 'mission' ? 'from=' + f.dataset.from + '&to=' + f.dataset.to : f.dataset.from + '/' + f.dataset.to;
  return m.dataset.shownRange === want; }"""


def watch_errors(page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    return problems


def set_range(page, prefix: str, first: int, last: int) -> None:
    """Move the two inputs as a person does (the `to` end first when it moves right)."""
    page.locator(f"#{prefix}-to").fill(str(last))
    page.locator(f"#{prefix}-from").fill(str(first))
    page.locator(f"#{prefix}-to").fill(str(last))
    page.wait_for_function(DRAWN, arg=prefix)


def layer_counts(page) -> dict[str, int]:
    return {
        "deployments": page.locator("#mission-map path.deployment-marker").count(),
        "events": page.locator("#mission-map path.event-marker").count(),
        "incidents": page.locator("#mission-map path.incident-marker").count(),
    }


def server_counts(page, acronym: str, first: str, last: str, deployment_month: str | None) -> dict[str, int]:
    """What the server answers for the range: the layers must draw exactly this."""
    query = f"from={first}&to={last}"
    events = page.request.get(f"/missions/{acronym}/map/events.geojson?{query}").json()
    incidents = page.request.get(f"/missions/{acronym}/incidents/map.geojson?{query}").json()
    deployments = (
        page.request.get(f"/missions/{acronym}/map/deployments/{deployment_month}.json").json()["features"]
        if deployment_month
        else []
    )
    return {"deployments": len(deployments), "events": len(events["features"]), "incidents": len(incidents["features"])}


def state(page) -> dict:
    return page.evaluate(
        """() => { const f = document.getElementById('mission-timerange'); const m = document.getElementById('mission-map');
             return { from: f.dataset.from, to: f.dataset.to, map: m.dataset.deploymentMonth || null,
                      highlight: document.getElementById('timeline-chart').dataset.highlight,
                      summary: document.getElementById('deployment-summary').textContent,
                      strength: document.getElementById('strength-summary').textContent }; }"""
    )


@pytest.mark.parametrize("acronym", ["UNAMSIL", "MINUSCA"])
def test_the_range_moves_the_map_and_the_chart_together(page, log_in, acronym):
    problems = watch_errors(page)
    log_in(ANALYST.username, ANALYST.password)
    page.goto(f"/missions/{acronym}/")
    page.wait_for_function(DRAWN, arg="mission")
    config = page.evaluate("() => JSON.parse(document.getElementById('map-config').textContent)")
    months = [m["value"] for m in config["months"]]
    maps = config["deploymentMonths"]
    assert maps, "the demo has deployment maps for both missions"
    # Incidents and their heat are layers to choose: turn the incidents on.
    page.locator(".leaflet-control-layers-overlays label", has_text="Incidents reported").locator("input").check()
    page.wait_for_function("() => document.getElementById('mission-map').dataset.incidentsShown !== undefined")

    before = state(page)
    assert before["highlight"] == f"{before['from']}/{before['to']}"
    assert before["map"] == max(m for m in maps if m <= before["to"])
    drawn_before = layer_counts(page)
    assert drawn_before == server_counts(page, acronym, before["from"], before["to"], before["map"])
    chart_before = page.locator("#timeline-chart").screenshot()

    # A year up to the first deployment map: another map, other events and incidents.
    first_map = months.index(maps[0])
    set_range(page, "mission", max(0, first_map - 11), first_map)
    after = state(page)
    assert (after["from"], after["to"], after["map"]) == (months[max(0, first_map - 11)], maps[0], maps[0])
    page.wait_for_function(
        "n => document.querySelectorAll('#mission-map path.incident-marker').length === n",
        arg=server_counts(page, acronym, after["from"], after["to"], after["map"])["incidents"],
    )
    drawn_after = layer_counts(page)
    assert drawn_after == server_counts(page, acronym, after["from"], after["to"], after["map"])
    assert drawn_after != drawn_before
    # The chart follows: its shaded months are the range's, and it is drawn again.
    assert after["highlight"] == f"{after['from']}/{after['to']}" != before["highlight"]
    assert page.locator("#timeline-chart").screenshot() != chart_before
    assert after["summary"] != before["summary"] and after["summary"].startswith("Deployment map (Geo-PKO)")
    assert after["strength"].startswith("UN strength reports")
    assert " 0 troops" not in after["summary"]

    # Before any map: none drawn, and the page says so.
    if first_map > 0:
        page.locator("#mission-to").focus()
        page.keyboard.press("Home")  # the keyboard moves the control too
        page.wait_for_function(DRAWN, arg="mission")
        assert page.locator("#mission-map path.deployment-marker").count() == 0
        expect(page.locator("#deployment-summary")).to_contain_text("No deployment map on or before")
        assert page.locator("#mission-from").input_value() == "0"

    # A month clicked on the chart moves the range, and the map, there.
    target = months.index(maps[-1])
    x, y = page.evaluate(
        """i => { const c = Chart.getChart(document.getElementById('timeline-chart'));
             return [c.scales.x.getPixelForValue(i), (c.chartArea.top + c.chartArea.bottom) / 2]; }""",
        target,
    )
    page.locator("#timeline-chart").click(position={"x": x, "y": y})
    # Chart.js handles a click on the next animation frame: wait for the range to move first.
    page.wait_for_function("v => document.getElementById('mission-timerange').dataset.to === v", arg=maps[-1])
    page.wait_for_function(DRAWN, arg="mission")
    clicked = state(page)
    assert clicked["to"] == maps[-1] and clicked["map"] == maps[-1]
    assert clicked["highlight"].endswith("/" + maps[-1])
    assert (
        page.locator("#mission-map path.deployment-marker").count()
        == (server_counts(page, acronym, clicked["from"], clicked["to"], maps[-1])["deployments"])
    )
    # The control is labelled for assistive technology, month by name.
    assert page.locator("#mission-to").get_attribute("aria-valuetext") == config["months"][target]["label"]
    control = page.locator("#mission-timerange")
    expect(control.get_by_label("From", exact=True)).to_have_attribute("type", "range")
    expect(control.get_by_label("To", exact=True)).to_have_attribute("type", "range")
    assert not problems, problems


@pytest.fixture
def minusca_incidents(server_url):
    """The demo files no incident in MINUSCA: two, a year apart in Bangui, for as long as the
    test runs (the browser tests share one database and only read it)."""
    from bluehelmet.core.models import Mission
    from bluehelmet.incidents.models import Incident, IncidentType

    mission = Mission.objects.get(acronym="MINUSCA")
    kind = IncidentType.objects.filter(mission=mission).first()
    made = [
        Incident.objects.create(
            mission=mission,
            type=kind,
            occurred_at=timezone.make_aware(datetime.datetime(year, 6, 15, 9, 0)),
            latitude=4.3612,
            longitude=18.5550,
            narrative="Browser test of the time control.",
            client_id=uuid.uuid4(),
        )
        for year in (2019, 2020)
    ]
    yield made
    Incident.objects.filter(pk__in=[incident.pk for incident in made]).delete()


@pytest.mark.parametrize("acronym", ["UNAMSIL", "MINUSCA"])
def test_the_incident_map_follows_its_range(page, log_in, minusca_incidents, acronym):
    problems = watch_errors(page)
    log_in(ANALYST.username, ANALYST.password)
    page.goto(f"/missions/{acronym}/incidents/")
    page.wait_for_function(DRAWN, arg="incident")
    config = page.evaluate("() => JSON.parse(document.getElementById('incident-map-config').textContent)")
    months = [m["value"] for m in config["months"]]
    markers = page.locator("#incident-map path.incident-marker")
    everything = markers.count()
    assert everything > 0

    def server(first: int, last: int) -> int:
        url = f"/missions/{acronym}/incidents/map.geojson?from={months[first]}&to={months[last]}"
        return len(page.request.get(url).json()["features"])

    # A range that holds fewer incidents than the whole: its first month, its last, its first half.
    candidates = [(0, 0), (len(months) - 1, len(months) - 1), (0, len(months) // 2)]
    first, last = next(c for c in candidates if server(*c) != everything)
    set_range(page, "incident", first, last)
    expect(markers).to_have_count(server(first, last))
    assert markers.count() != everything

    set_range(page, "incident", 0, len(months) - 1)
    expect(markers).to_have_count(everything)
    assert not problems, problems
