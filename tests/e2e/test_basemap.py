"""The offline basemap in a real browser, with the network cut off: UNAMSIL's and MINUSCA's
overview and incident maps draw their mission's PMTiles basemap (built here from the shipped
boundaries, tests/basemap_file.py), read from Blue Helmet itself with byte ranges (206), and
nothing is asked of any other host."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse

from bluehelmet.core.basemaps import remove_basemap, set_basemap
from bluehelmet.core.demo import DEMO_USERS
from bluehelmet.core.models import Mission

from ..basemap_file import build_basemap

ADMIN = next(u for u in DEMO_USERS if u.username == "admin")
COUNTRY_OF = {"UNAMSIL": "SLE", "MINUSCA": "CAF"}
MAPS = {"mission-detail": "mission-map", "incidents:index": "incident-map"}

# Pixels of a canvas tile that are painted, and not the style's background (protomaps-leaflet's
# "light" flavour fills every tile with #cccccc first): land, boundaries, labels.
PAINTED = """map => Array.from(map.querySelectorAll('.leaflet-tile-pane canvas.leaflet-tile')).map(canvas => {
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const background = pixels[i] === 204 && pixels[i + 1] === 204 && pixels[i + 2] === 204;
    if (pixels[i + 3] > 0 && !background) painted += 1;
  }
  return painted;
})"""


@pytest.fixture(scope="module")
def mission_basemaps(server_url, django_db_blocker, tmp_path_factory):
    """UNAMSIL's and MINUSCA's basemaps, set as `bluehelmet basemap` sets them, for this
    module's tests only (the other browser tests draw the maps without one)."""
    folder = tmp_path_factory.mktemp("e2e-basemaps")
    with override_settings(BLUEHELMET_BASEMAP_DIR=folder / "basemaps"), django_db_blocker.unblock():
        missions = []
        for acronym, country in COUNTRY_OF.items():
            mission = Mission.objects.get(acronym=acronym)
            set_basemap(mission, build_basemap(folder / f"{country}.pmtiles", countries=(country,), max_zoom=8))
            missions.append(mission)
        yield
        for mission in missions:
            remove_basemap(mission)


@pytest.mark.parametrize("acronym", ["UNAMSIL", "MINUSCA"])
def test_the_maps_draw_the_missions_basemap_with_the_network_cut_off(
    page, log_in, server_url, mission_basemaps, acronym
):
    own_host = urlsplit(server_url).netloc
    elsewhere, basemap_answers, problems = [], [], []

    def only_this_server(route):
        if urlsplit(route.request.url).netloc == own_host:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    page.on("response", lambda r: "/map/basemap.pmtiles" in r.url and basemap_answers.append(r))
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    page.on("console", lambda message: message.type == "error" and problems.append(f"{page.url}: {message.text}"))
    log_in(ADMIN.username, ADMIN.password)

    for url_name, map_id in MAPS.items():
        basemap_answers.clear()
        page.goto(reverse(url_name, args=[acronym]))
        map_element = page.locator(f"#{map_id}")
        assert map_element.get_attribute("data-basemap-url").startswith(f"/missions/{acronym}/map/basemap.pmtiles?v=")
        # Tiles are drawn once their bytes have come: wait for painted canvas tiles.
        page.wait_for_function(
            f"() => ({PAINTED})(document.getElementById('{map_id}')).filter(n => n > 1000).length >= 2", timeout=20_000
        )
        painted = map_element.evaluate(PAINTED)
        assert sum(1 for n in painted if n > 1000) >= 2, painted
        assert map_element.evaluate("el => !!el.bhMap.bhBasemap")
        # Over the basemap the districts are outlines, not the opaque fill of the maps without one.
        page.wait_for_function(f"() => document.querySelector('#{map_id} path.map-area-adm2') !== null")
        assert map_element.locator("path.map-area-adm2").first.get_attribute("fill-opacity") == "0"
        # The reader asked for byte ranges and got them: the header and directory, then tiles.
        statuses = [answer.status for answer in basemap_answers]
        assert statuses and set(statuses) == {206}, statuses
        ranges = [answer.request.headers.get("range") for answer in basemap_answers]
        assert "bytes=0-16383" in ranges, ranges
        assert all(answer.headers["content-range"].startswith("bytes ") for answer in basemap_answers)
        Path("test-results").mkdir(exist_ok=True)
        page.screenshot(path=f"test-results/basemap-{acronym}-{map_id}.png")

    assert not elsewhere, elsewhere
    assert not problems, problems
