"""P-codes as place identifiers: the places API, the events and incidents CSV, and the
humanitarian HXL files (#adm1+code), on OCHA's real boundaries of the Central African
Republic."""

import csv
import io

import pytest
from django.urls import reverse

from bluehelmet.core.models import Place, Role
from bluehelmet.humanitarian.models import NeedsAssessment
from bluehelmet.importers.base import ImportFailed
from bluehelmet.importers.registry import run_import
from tests.factories import make_user

from .conftest import GED
from .test_car_boundaries import PREFECTURES, SUBPREFECTURES

pytestmark = pytest.mark.django_db

NEEDS_BY_PCODE = """
Prefecture code,Sub-prefecture code,Sector,In need,Severity,Date
#adm1+code,#adm2+code,#sector,#inneed,#severity,#date
CF52,,Health,4000,5,2021-02-15
,CF121,WASH,1000,3,2021-02-15
"""


@pytest.fixture
def car(other_mission):
    run_import("boundaries", PREFECTURES)
    run_import("boundaries", SUBPREFECTURES)
    return other_mission


def test_places_api_gives_and_filters_by_pcode(car, client_for):
    client = client_for(make_user("analyst", car, Role.ANALYST))
    listed = client.get("/api/places/", {"pcode": "CF52"}).json()["results"]
    assert [(p["name"], p["kind"], p["pcode"]) for p in listed] == [("Haute-Kotto", "adm1", "CF52")]
    detail = client.get(f"/api/places/{Place.objects.get(pcode='CF121').pk}/").json()
    assert detail["pcode"] == "CF121"


def test_the_maps_get_outlines_and_pcodes(car, client_for):
    client = client_for(make_user("analyst", car, Role.ANALYST))
    response = client.get(reverse("mission-areas", args=["MINUSCA"]))
    features = response.json()["features"]
    assert len(features) == 17 + 72
    assert {f["properties"]["pcode"] for f in features if f["properties"]["kind"] == "adm1"} >= {"CF52", "CF71"}
    assert len(response.content) < 400_000  # the full geometries are over 3 MB


def test_events_csv_names_the_pcode_of_adm_1(car, client_for, tmp_path):
    run_import("ged", GED)
    client = client_for(make_user("analyst", car, Role.ANALYST))
    response = client.get(reverse("mission-events-csv", args=["MINUSCA"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows and {r["adm_1_pcode"] for r in rows if r["adm_1"] == "Haute-Kotto province"} == {"CF52"}
    assert {r["adm_1_pcode"] for r in rows if not r["adm_1"]} == {""}


def test_hxl_needs_import_by_pcode_and_export_it_again(car, client_for, tmp_path):
    path = tmp_path / "needs.csv"
    path.write_text(NEEDS_BY_PCODE.strip() + "\n", encoding="utf-8")
    summary = run_import("humanitarian-needs", path, mission="MINUSCA")
    assert summary.created == 2
    assert NeedsAssessment.objects.get(people_in_need=4000).place.pcode == "CF52"
    assert NeedsAssessment.objects.get(people_in_need=1000).place.name == "Mbaïki"

    client = client_for(make_user("humanitarian", car, Role.HUMANITARIAN))
    hxl = client.get(reverse("humanitarian:needs-hxl", args=["MINUSCA"])).content.decode()
    lines = list(csv.reader(io.StringIO(hxl)))
    tags = lines[1]
    assert "#adm1+code" in tags and "#adm2+code" in tags
    by_tag = [dict(zip(tags, line)) for line in lines[2:]]
    assert {(r["#adm1+name"], r["#adm1+code"]) for r in by_tag} == {("Haute-Kotto", "CF52"), ("Lobaye", "CF12")}
    assert {r["#adm2+code"] for r in by_tag} == {"", "CF121"}
    exported = tmp_path / "exported.csv"
    exported.write_text(hxl, encoding="utf-8")
    again = run_import("humanitarian-needs", exported, mission="MINUSCA")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_an_unknown_pcode_is_refused_on_its_row(car, tmp_path):
    path = tmp_path / "needs.csv"
    path.write_text(NEEDS_BY_PCODE.replace("CF52", "CF99").strip() + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        run_import("humanitarian-needs", path, mission="MINUSCA")
    error = failed.value.errors[0]
    assert (error.row, error.column, error.value) == (3, "#adm1+code", "CF99")
    assert not NeedsAssessment.objects.exists()


def test_incident_export_names_the_admin_areas_pcode(car, subset):
    from bluehelmet.incidents.export import incident_record
    from bluehelmet.incidents.models import Incident

    user = make_user("analyst", car, Role.ANALYST)
    path = subset(GED, keep=lambda r: r["adm_1"] == "Haute-Kotto province" and r["where_prec"] == "1")
    run_import("incidents-ged", path, mission="MINUSCA", imported_by=user.pk)
    incidents = list(Incident.objects.select_related("place"))
    assert incidents
    pcodes = []
    for incident in incidents:
        record = incident_record(incident)
        assert (record["admin_area"], record["admin_area_pcode"]) == (incident.place.name, incident.place.pcode)
        pcodes.append(record["admin_area_pcode"])
    # Placed by point-in-polygon in a sub-prefecture (CF52x for Haute-Kotto): GED's point and
    # its adm_1 disagree for a few events near the borders.
    assert all(len(p) == 5 for p in pcodes)
    assert sum(p.startswith("CF52") for p in pcodes) >= 0.9 * len(pcodes)


def test_an_incident_outside_every_polygon_falls_back_on_its_adm_1(car, subset):
    from bluehelmet.importers.models import UnmatchedPlaceName
    from bluehelmet.incidents.models import Incident

    from .conftest import set_cell

    def off_the_map(header, rows):
        # Two events moved off every boundary (a point in the Gulf of Guinea), one of them
        # naming a prefecture nobody knows.
        for i in (0, 1):
            rows[i] = set_cell(header, set_cell(header, rows[i], "latitude", "0.5"), "longitude", "0.5")
        rows[1] = set_cell(header, rows[1], "adm_1", "Atlantide province")
        return rows

    user = make_user("analyst", car, Role.ANALYST)
    path = subset(GED, keep=lambda r: r["adm_1"] == "Haute-Kotto province", edit=off_the_map)
    summary = run_import("incidents-ged", path, mission="MINUSCA", imported_by=user.pk)
    assert any("Atlantide province" in w for w in summary.warnings)
    assert UnmatchedPlaceName.objects.filter(name="Atlantide province", source="incidents-ged").exists()
    off = Incident.objects.filter(latitude=0.5, longitude=0.5).select_related("place")
    assert sorted(str(i.place and i.place.pcode) for i in off) == ["CF52", "None"]
