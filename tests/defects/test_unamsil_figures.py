"""UNAMSIL's overview reconciles its two troop counts (issue 15): the slider said "March 2002:
36 sites, 20,750 troops" while the timeline said troops peaked at 17,129 in April 2002, and
"December 1999: 8 sites, 0 troops". On the shipped files, each figure now names its source, the
UN strength report of the month stands beside the deployment map's count, and a map with no
troop number says so instead of 0.

Why the map's figure is the higher: Geo-PKO counts each unit on the UN's deployment map at a
standard size, and every UNAMSIL figure is a sum of 650s, 150s and 35s (battalion, company,
platoon), checked below on the file itself."""

import csv

import pytest

from bluehelmet.core.demo import DATA_DIR
from bluehelmet.core.models import Role
from bluehelmet.importers.registry import run_import

GEOPKO = DATA_DIR / "geopko/geopko_v1_2_africa_1994_2018_location_month.csv"
STRENGTH = DATA_DIR / "personnel/personnel_shortfall_mission_month_1990_2015.csv"


@pytest.fixture
def shipped(users):
    for kind, path in (
        ("missions", DATA_DIR / "missions/un_pko_list_start_end_month.csv"),
        ("mission-countries", DATA_DIR / "missions/ipi_mission_country_continent.csv"),
        ("strength", STRENGTH),
        ("geopko", GEOPKO),
    ):
        run_import(kind, path)
    return users


def test_march_2002_shows_both_counts_with_their_sources(client_for, shipped):
    client = client_for(shipped[Role.ANALYST])
    data = client.get("/missions/UNAMSIL/map/deployments/2002-03.json").json()
    assert (data["sites"], data["troops"], data["unknown_sites"]) == (36, 20750, 0)
    assert data["summary"] == "Deployment map (Geo-PKO), March 2002: 36 sites, 20,750 troops at standard unit sizes"
    assert data["strength"] == {"troops": 17109, "police": 87, "observers": 259}
    assert data["strength_summary"] == (
        "UN strength reports, March 2002: 17,109 troops, 87 police, 259 military observers"
    )
    # The timeline's sentence is the strength reports' peak, and the page says so.
    page = client.get("/missions/UNAMSIL/")
    assert "Troops peaked at 17,129 in April 2002." in page.context["caption"]
    content = page.content.decode()
    assert 'id="figures-note"' in content and "standard size" in content
    assert (
        "from the UN&#x27;s monthly strength reports" in content or "from the UN's monthly strength reports" in content
    )
    # The control opens on that map: the one with the most troops.
    config = page.context["map_config"]
    assert config["months"][config["to"]]["value"] == "2002-03"


def test_december_1999_never_says_0_troops(client_for, shipped):
    data = client_for(shipped[Role.ANALYST]).get("/missions/UNAMSIL/map/deployments/1999-12.json").json()
    # Seven observer sites the map gives 0 troops, and Lungi, whose Kenyan troops it does not count.
    assert (data["sites"], data["unknown_sites"]) == (8, 1)
    lungi = next(f["properties"] for f in data["features"] if f["properties"]["site"] == "Lungi")
    assert lungi["troops"] is None
    assert data["summary"] == "Deployment map (Geo-PKO), December 1999: 8 sites, troop numbers not given"
    assert "0 troops" not in data["summary"]
    # The strength reports (filed under UNOMSIL that month) count the troops UNAMSIL had.
    assert data["strength"]["troops"] == 4297
    assert data["strength_summary"].startswith("UN strength reports, December 1999: 4,297 troops")


def test_the_map_figures_are_standard_unit_sizes():
    """Every UNAMSIL troop figure in the Geo-PKO file is made of 650s, 150s and 35s, so it is a
    count of units at their standard sizes, not of people."""

    def of_units(n: int) -> bool:
        return any(
            (n - 650 * b - 150 * c) % 35 == 0 for b in range(n // 650 + 1) for c in range((n - 650 * b) // 150 + 1)
        )

    with open(GEOPKO, encoding="utf-8") as f:
        figures = [row["No.troops"] for row in csv.DictReader(f) if row["Mission"] == "UNAMSIL"]
    numbers = [int(n) for n in figures if n.isdigit()]
    assert len(numbers) > 600 and all(of_units(n) for n in numbers)
    # Not a test that cannot fail: a head count such as the strength reports' is not.
    assert not of_units(17109)
