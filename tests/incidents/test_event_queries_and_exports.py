"""Event scoping, filters, map points, and the CSV/GeoJSON exports (read back and checked)."""

import csv
import io
import json

from bluehelmet.core.models import Role
from bluehelmet.datasets.queries import event_map_points, filtered_mission_events, mission_events
from bluehelmet.incidents.export import events_csv_lines, events_geojson_chunks, neutralize_formula


def ged_ids(events):
    return sorted(e.ged_id for e in events)


def test_staff_see_the_host_countrys_events_only(users, sierra_leone, car_events, mission):
    assert ged_ids(mission_events(users[Role.ANALYST], mission)) == [900001, 900002, 900003]


def test_partner_sees_public_events_only(users, sierra_leone, mission):
    assert ged_ids(mission_events(users[Role.PARTNER], mission)) == [900001]


def test_strangers_see_no_events(users, other_member, sierra_leone, mission):
    assert ged_ids(mission_events(other_member, mission)) == []
    assert ged_ids(mission_events(users["outsider"], mission)) == []


def test_filters_narrow_the_events(users, sierra_leone, mission):
    analyst = users[Role.ANALYST]

    def filtered(**params):
        return ged_ids(filtered_mission_events(analyst, mission, params).qs)

    assert filtered(date_from="1999-01-10") == [900002, 900003]
    assert filtered(date_to="1999-01-31") == [900001, 900002]
    assert filtered(type_of_violence="3") == [900001, 900003]
    assert filtered(place="kenema") == [900002]
    assert filtered(actor="government of sierra") == [900002]
    assert filtered(type_of_violence="3", date_from="2000-01-01") == [900003]


def test_map_points_group_events_by_location(users, sierra_leone, mission):
    data = event_map_points(mission_events(users[Role.ANALYST], mission))
    assert data["locations"] == 2 and not data["truncated"]
    freetown = next(f for f in data["features"] if f["geometry"]["coordinates"] == [-13.234, 8.484])
    assert freetown["properties"]["events"] == 2
    assert freetown["properties"]["deaths"] == 140
    assert freetown["properties"]["last"] == "2000-05-08"
    # Deadliest first, and the limit keeps the deadliest.
    limited = event_map_points(mission_events(users[Role.ANALYST], mission), limit=1)
    assert limited["truncated"] and len(limited["features"]) == 1
    assert limited["features"][0]["properties"]["deaths"] == 140


def test_neutralize_formula():
    assert neutralize_formula("=SUM(A1)") == "'=SUM(A1)"
    assert neutralize_formula("+1") == "'+1"
    assert neutralize_formula("-1") == "'-1"
    assert neutralize_formula("@cmd") == "'@cmd"
    assert neutralize_formula("Freetown") == "Freetown"
    assert neutralize_formula(-13.234) == -13.234  # numbers are data


def test_csv_export_reads_back_with_formulas_escaped(users, sierra_leone, mission):
    text = "".join(events_csv_lines(mission_events(users[Role.ANALYST], mission).order_by("ged_id")))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["ged_id"] for row in rows] == ["900001", "900002", "900003"]
    assert rows[0]["longitude"] == "-13.234"
    assert rows[0]["deaths_civilians"] == "120"
    assert rows[2]["where_description"] == '\'=HYPERLINK("http://evil")'
    assert rows[2]["source_article"] == "'-2+3 @ Reuters"


def test_geojson_export_reads_back(users, sierra_leone, mission):
    data = json.loads("".join(events_geojson_chunks(mission_events(users[Role.ANALYST], mission))))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 3
    feature = next(f for f in data["features"] if f["properties"]["ged_id"] == 900002)
    assert feature["geometry"] == {"type": "Point", "coordinates": [-11.19, 7.877]}
    assert feature["properties"]["date_start"] == "1999-01-20"
    assert feature["properties"]["best"] == 15
    assert "latitude" not in feature["properties"]


def test_empty_geojson_export_is_valid(users, mission):
    data = json.loads("".join(events_geojson_chunks(mission_events(users[Role.ANALYST], mission))))
    assert data == {"type": "FeatureCollection", "features": []}


def read_csv_response(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_export_urls_carry_the_filters(client_for, users, sierra_leone):
    client = client_for(users[Role.ANALYST])
    response = client.get("/missions/UNAMSIL/events.csv", {"type_of_violence": 3})
    assert response["Content-Disposition"] == 'attachment; filename="UNAMSIL-events.csv"'
    assert [row["ged_id"] for row in read_csv_response(response)] == ["900003", "900001"]
    geojson = json.loads(
        b"".join(client.get("/missions/UNAMSIL/events.geojson", {"place": "Kenema"}).streaming_content)
    )
    assert [f["properties"]["ged_id"] for f in geojson["features"]] == [900002]


def test_partner_exports_hold_public_events_only(client_for, users, sierra_leone):
    client = client_for(users[Role.PARTNER])
    assert [row["ged_id"] for row in read_csv_response(client.get("/missions/UNAMSIL/events.csv"))] == ["900001"]
    table = client.get("/missions/UNAMSIL/events/")
    assert [e.ged_id for e in table.context["page"].object_list] == [900001]


def test_another_missions_member_gets_none_of_the_events(client_for, other_member, sierra_leone, car_events):
    client = client_for(other_member)
    for url in ("/missions/UNAMSIL/events.csv", "/missions/UNAMSIL/events.geojson", "/missions/UNAMSIL/events/"):
        assert client.get(url).status_code == 404
    # Their own mission's table holds their country's events and none of Sierra Leone's.
    own = client.get("/missions/MINUSCA/events/")
    assert sorted(e.ged_id for e in own.context["page"].object_list) == [22852, 36210]
    points = client.get("/missions/MINUSCA/map/events.geojson", {"actor": "LRA"}).json()
    assert [f["properties"]["events"] for f in points["features"]] == [1]
