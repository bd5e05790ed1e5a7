"""GED and ACLED files as incidents (through the import machinery), and the pure-Python
helpers behind duplicates, clusters, compliance and indicators."""

import csv
import datetime
from pathlib import Path

import pytest

from bluehelmet.analytics.incidents.compliance import weekly_violations
from bluehelmet.analytics.incidents.indicators import median_delay, share_answered_within
from bluehelmet.analytics.incidents.proximity import Report, bounding_box, cluster_members, haversine_km, neighbours
from bluehelmet.core.models import Membership, Role
from bluehelmet.importers.base import ImportFailed
from bluehelmet.importers.registry import run_import
from bluehelmet.incidents.models import Incident, IncidentHistory
from tests.factories import make_user

GED_FILE = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "bluehelmet"
    / "data"
    / "ucdp"
    / "ged231_events_central_african_republic.csv"
)


@pytest.fixture
def minusca_analyst(other_mission):
    return make_user("minusca-importer", other_mission, Role.ANALYST)


def ged_sample(tmp_path, ids=("36210", "36211", "22852")) -> Path:
    with open(GED_FILE, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [row for row in reader if row[0] in ids]
    path = tmp_path / "ged.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def test_ged_events_become_verified_external_incidents_once(tmp_path, other_mission, minusca_analyst):
    path = ged_sample(tmp_path)
    summary = run_import("incidents-ged", path, mission="MINUSCA", imported_by=minusca_analyst.pk)
    assert summary.created == 3
    incidents = Incident.objects.filter(mission=other_mission)
    assert incidents.count() == 3 and set(incidents.values_list("status", flat=True)) == {Incident.Status.VERIFIED}
    lra = incidents.get(external_id="36210")
    assert lra.external and lra.source_dataset == "UCDP GED" and lra.type.code == "armed-clash"
    assert lra.occurred_at.date() == datetime.date(2009, 2, 20) and lra.killed == 3
    assert [o.name for o in lra.perpetrators.all()] == ["Government of Uganda"] and lra.sources.get().grading == "B2"
    assert IncidentHistory.objects.filter(action="imported").count() == 3
    assert incidents.get(external_id="22852").type.code == "attack-on-civilians"
    again = run_import("incidents-ged", path, mission="MINUSCA", imported_by=minusca_analyst.pk)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Incident.objects.count() == 3


def test_only_the_missions_analysts_import_its_incidents(tmp_path, other_mission, mission, users):
    path = ged_sample(tmp_path)
    with pytest.raises(ImportFailed, match="Incidents page"):
        run_import("incidents-ged", path, mission="MINUSCA")  # the generic import page names no user
    with pytest.raises(ImportFailed, match="administrators and analysts"):
        run_import("incidents-ged", path, mission="MINUSCA", imported_by=users[Role.ANALYST].pk)  # UNAMSIL's analyst
    # The rows of other countries are skipped and counted.
    Membership.objects.create(user=users[Role.REPORTER], mission=other_mission, role=Role.ANALYST)
    summary = run_import("incidents-ged", path, mission="UNAMSIL", imported_by=users[Role.ANALYST].pk)
    assert summary.created == 0 and summary.details["rows outside the mission's host countries (skipped)"] == 3
    assert not Incident.objects.exists()


ACLED_HEADER = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
]


def acled_file(tmp_path, rows) -> Path:
    path = tmp_path / "acled.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([ACLED_HEADER, *rows])
    return path


def test_acled_rows_map_to_types_and_bad_rows_stop_the_import(tmp_path, sl, users):
    # Test rows in the ACLED layout (not real ACLED events).
    rows = [
        [
            "SLE1",
            "2024-03-01",
            "2024",
            "1",
            "Battles",
            "Armed clash",
            "Test Group A",
            "Test Group B",
            "Sierra Leone",
            "Eastern",
            "Kenema",
            "7.9",
            "-11.2",
            "1",
            "Test source",
            "Test note 1",
            "2",
        ],
        [
            "SLE2",
            "15 March 2024",
            "2024",
            "2",
            "Violence against civilians",
            "Sexual violence",
            "Test Group A",
            "Civilians (Sierra Leone)",
            "Sierra Leone",
            "Northern",
            "Makeni",
            "8.9",
            "-12.0",
            "2",
            "Test source",
            "Test note 2",
            "0",
        ],
        [
            "SLE3",
            "2024-03-20",
            "2024",
            "1",
            "Strategic developments",
            "Agreement",
            "Test Group A",
            "",
            "Sierra Leone",
            "Eastern",
            "Kenema",
            "7.9",
            "-11.2",
            "1",
            "Test source",
            "Test note 3",
            "0",
        ],
    ]
    analyst = users[Role.ANALYST]
    summary = run_import("incidents-acled", acled_file(tmp_path, rows), mission="UNAMSIL", imported_by=analyst.pk)
    assert summary.created == 2 and summary.details["strategic developments (not incidents, skipped)"] == 1
    crsv = Incident.objects.get(external_id="SLE2")
    assert crsv.type.code == "crsv" and crsv.date_precision == "week" and crsv.in_zone and crsv.agreement == sl.lome
    assert Incident.objects.get(external_id="SLE1").casualties.get().count == 2
    # Written in bulk, past the models' signals, yet in the search index once the import is done.
    from bluehelmet.core import gate, search

    found = search.search(analyst, [gate.access(analyst, crsv.mission)], "test notes").hits
    assert {hit.object_id for hit in found if hit.kind.name == "incidents.incident"} == set(
        Incident.objects.values_list("pk", flat=True)
    )
    bad = [rows[0][:1] + ["yesterday"] + rows[0][2:4] + ["Aliens"] + rows[0][5:11] + ["95"] + rows[0][12:]]
    with pytest.raises(ImportFailed) as failure:
        run_import("incidents-acled", acled_file(tmp_path, bad), mission="UNAMSIL", imported_by=analyst.pk)
    assert {e.column for e in failure.value.errors} == {"event_date", "event_type", "latitude"}
    assert Incident.objects.count() == 2


def test_proximity():
    assert haversine_km(8.0, -11.0, 8.0, -11.0) == 0
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.2, abs=0.1)
    min_lat, max_lat, min_lon, max_lon = bounding_box(8.0, -11.0, 10)
    assert 10 <= haversine_km(8.0, -11.0, max_lat, -11.0) <= 10.2
    assert haversine_km(8.0, -11.0, 8.0, max_lon) >= 10
    t = datetime.datetime(2024, 1, 1, 12, tzinfo=datetime.UTC)
    me = Report(1, 8.0, -11.0, t)
    others = [
        Report(2, 8.05, -11.0, t - datetime.timedelta(hours=3)),
        Report(3, 8.01, -11.0, t + datetime.timedelta(hours=1)),
        Report(4, 9.0, -11.0, t),
        Report(5, 8.0, -11.0, t - datetime.timedelta(hours=30)),
    ]
    assert [n.id for n in neighbours(me, others, 10, 24)] == [3, 2]
    assert sorted(cluster_members(me, others, 10, 24)) == [1, 2]  # only what happened before, within the window


def test_weekly_violations_and_indicator_maths():
    rows = [
        (datetime.date(2024, 1, 1), "RUF", True),
        (datetime.date(2024, 1, 3), "RUF", False),
        (datetime.date(2024, 1, 16), "Government", False),
    ]
    data = weekly_violations(rows)
    assert data["weeks"] == [datetime.date(2024, 1, 1), datetime.date(2024, 1, 8), datetime.date(2024, 1, 15)]
    assert data["parties"]["RUF"] == {"verified": [1, 0, 0], "alleged": [1, 0, 0]}
    assert data["parties"]["Government"] == {"verified": [0, 0, 0], "alleged": [0, 0, 1]}
    assert weekly_violations([]) == {"weeks": [], "parties": {}}
    hour = datetime.timedelta(hours=1)
    assert share_answered_within([hour, 30 * hour, None, 2 * hour], 24 * hour) == 0.5
    assert share_answered_within([], 24 * hour) is None
    assert median_delay([hour, None, 3 * hour]) == 2 * hour and median_delay([None]) is None
