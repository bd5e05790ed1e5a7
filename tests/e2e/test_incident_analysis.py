"""The incident analysis page in a real browser, on the demo's UNAMSIL incidents: an analyst
clicks a type bar and the other charts, the map and the address follow, clicks an area on the
map, downloads a chart as PNG, saves the view and opens it again; a reporter counts every
report but the RED ones of others; a partner sees only the shared reports."""

import uuid

from django.db.models import Q
from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS
from bluehelmet.core.models import Sharing
from bluehelmet.core.sensitivity import Sensitivity
from bluehelmet.incidents.models import Incident

ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")
PARTNER = next(u for u in DEMO_USERS if u.username == "partner")
REPORTER = next(u for u in DEMO_USERS if u.username == "reporter")
ANALYSIS = "/missions/UNAMSIL/incidents/analysis/"
# Every month of the demo's UNAMSIL exercise (and none of the reports other tests file today).
MONTHS = "?from=2000-01&to=2003-12"


def wait_ready(page, filters_contain: str = "") -> None:
    page.wait_for_function(
        "(text) => { const root = document.getElementById('analysis');"
        " return root.dataset.state === 'ready' && (root.dataset.filters || '').includes(text); }",
        arg=filters_contain,
    )


def chart_attr(page, name: str, attribute: str) -> str:
    return page.get_attribute(f"#chart-{name}", f"data-{attribute}")


def test_analyst_filters_by_a_type_bar_and_an_area_then_saves_and_reopens_the_view(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto(ANALYSIS + MONTHS)
    page.wait_for_selector("#analysis-map[data-coloured-areas]")
    wait_ready(page)
    areas_before = int(page.get_attribute("#analysis-map", "data-coloured-areas"))
    perpetrators_before = chart_attr(page, "perpetrator", "total")
    total_before = int(page.get_attribute("#analysis", "data-total"))
    assert areas_before >= 3 and total_before >= 10

    # Click the largest bar of the types chart: the other charts, the map and the address follow.
    page.locator("#chart-type").scroll_into_view_if_needed()
    canvas = page.locator("#chart-type").bounding_box()
    bar = page.evaluate(
        "() => { const chart = Chart.getChart('chart-type'); const bar = chart.getDatasetMeta(0).data[0];"
        " return { x: bar.x, y: bar.y, label: chart.data.labels[0], count: chart.data.datasets[0].data[0] }; }"
    )
    page.mouse.click(canvas["x"] + bar["x"] - 4, canvas["y"] + bar["y"])
    wait_ready(page, "type=")
    assert int(page.get_attribute("#analysis", "data-total")) == bar["count"] < total_before
    assert chart_attr(page, "perpetrator", "total") != perpetrators_before
    assert int(page.get_attribute("#analysis-map", "data-coloured-areas")) < areas_before
    assert "type=" in page.url
    expect(page.locator("#analysis-type option:checked")).to_contain_text(bar["label"])
    expect(page.locator("#table-type tr.selected")).to_contain_text(bar["label"])
    # The types chart still offers the other types (its own filter is left out).
    assert int(chart_attr(page, "type", "bars")) > 1

    # Click an area with some of these incidents on the map: the charts follow it.
    page.locator("#analysis-map").scroll_into_view_if_needed()
    point = page.evaluate(
        """() => {
          const element = document.getElementById('analysis-map');
          const map = element.bhMap;
          let target = null;
          map.eachLayer((layer) => {
            if (layer.feature && layer.feature.properties.kind !== 'country' && layer.options.fillOpacity > 0.5
                && layer.options.fillColor !== '#f4f6f8' && !target) target = layer;
          });
          map.fitBounds(target.getBounds(), { animate: false });
          const p = map.latLngToContainerPoint(target.getCenter());
          return { x: p.x, y: p.y, id: String(target.feature.id), name: target.feature.properties.name };
        }"""
    )
    box = page.locator("#analysis-map").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    wait_ready(page, "place=" + point["id"])
    expect(page.locator("#analysis-place option:checked")).to_contain_text(point["name"])
    assert int(chart_attr(page, "type", "total")) <= total_before

    # Each chart downloads as a PNG.
    with page.expect_download() as download:
        page.click("[data-png=type]")
    assert download.value.suggested_filename.endswith(".png")

    # Save the view, open it again from the list and after a reload: the same filters.
    name = f"E2E analysis {uuid.uuid4().hex[:8]}"
    page.fill("#analysis-save input[name=name]", name)
    page.click("#analysis-save button[type=submit]")
    expect(page.locator("#saved-views")).to_contain_text(name)
    wait_ready(page)
    expect(page.locator("#analysis-type option:checked")).to_contain_text(bar["label"])
    expect(page.locator("#analysis-place option:checked")).to_contain_text(point["name"])
    page.goto(ANALYSIS)
    page.click(f"#saved-views a:text('{name}')")
    wait_ready(page, "place=" + point["id"])
    assert "type=" in page.url and "from=2000-01" in page.url
    saved_total = page.get_attribute("#analysis", "data-total")
    page.reload()
    wait_ready(page, "place=" + point["id"])
    assert page.get_attribute("#analysis", "data-total") == saved_total


def test_partner_counts_only_shared_reports(page, log_in, django_db_blocker):
    with django_db_blocker.unblock():
        shared = Incident.objects.filter(
            mission__acronym="UNAMSIL",
            merged_into__isnull=True,
            sharing=Sharing.PUBLIC,
            sensitivity__in=[Sensitivity.CLEAR, Sensitivity.GREEN],
            occurred_at__year__range=(2000, 2003),
        ).count()
        everything = Incident.objects.filter(mission__acronym="UNAMSIL", occurred_at__year__range=(2000, 2003)).count()
    assert 0 < shared < everything
    log_in(PARTNER.username, PARTNER.password)
    page.goto(ANALYSIS + MONTHS)
    wait_ready(page)
    assert int(page.get_attribute("#analysis", "data-total")) == shared
    expect(page.locator("#analysis-summary tr[data-measure=count] .current")).to_have_text(str(shared))
    # A partner saves views for themself only: no sharing with the mission offered.
    expect(page.locator("#analysis-save input[name=shared]")).to_have_count(0)


def test_reporter_counts_all_but_the_red_reports_of_others(page, log_in, django_db_blocker):
    with django_db_blocker.unblock():
        in_view = Incident.objects.filter(
            mission__acronym="UNAMSIL", merged_into__isnull=True, occurred_at__year__range=(2000, 2003)
        )
        visible = in_view.filter(~Q(sensitivity=Sensitivity.RED) | Q(reported_by__username=REPORTER.username)).count()
    assert visible > 0
    log_in(REPORTER.username, REPORTER.password)
    page.goto(ANALYSIS + MONTHS)
    wait_ready(page)
    assert int(page.get_attribute("#analysis", "data-total")) == visible
    # Mission staff may share a view with the mission.
    expect(page.locator("#analysis-save input[name=shared]")).to_have_count(1)
