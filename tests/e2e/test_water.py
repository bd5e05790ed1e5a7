"""Maps without a basemap draw the shipped water (issue 15), for UNAMSIL and MINUSCA: Sierra
Leone's and the Central African Republic's sea under their areas and rivers over them;
nothing fetched from another host."""

import re

import pytest
from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS

ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")


@pytest.mark.parametrize("acronym", ["UNAMSIL", "MINUSCA"])
def test_the_overview_map_draws_sea_and_rivers_from_the_shipped_data(page, log_in, acronym):
    elsewhere: list[str] = []
    page.on("request", lambda request: "127.0.0.1" not in request.url and elsewhere.append(request.url))
    log_in(ANALYST.username, ANALYST.password)
    page.goto(f"/missions/{acronym}/")
    mission_map = page.locator("#mission-map")
    expect(mission_map).to_have_attribute("data-water-loaded", re.compile(r"^[1-9][0-9]*$"))
    expect(mission_map.locator("path.map-water-river").first).to_be_attached()
    expect(mission_map.locator("path.map-water-ocean")).to_have_count(1)
    # The sea lies under the admin areas, the rivers over them: the SVG's order is the drawing order.
    order = mission_map.evaluate(
        """el => [...el.querySelectorAll('path.map-water-ocean, path.map-area-adm2, path.map-area-adm1,'
            + ' path.map-water-river')].map(p => p.classList.contains('map-water-ocean') ? 'sea'
            : p.classList.contains('map-water-river') ? 'river' : 'area')"""
    )
    assert order[0] == "sea" and order.index("river") > order.index("area")
    assert elsewhere == []
