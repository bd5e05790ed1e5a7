"""OCHA's common operational boundaries for the Central African Republic (COD-AB): the 17
prefectures and 72 sub-prefectures, with their P-codes, full geometry and map outline."""

import json

import pytest
from shapely.geometry import shape

from bluehelmet.core.models import Place
from bluehelmet.importers.base import ImportFailed
from bluehelmet.importers.registry import run_import

from .conftest import DATA, table_counts

pytestmark = pytest.mark.django_db

PREFECTURES = DATA / "boundaries" / "caf_adm1_prefectures_ocha_codab.geojson"
SUBPREFECTURES = DATA / "boundaries" / "caf_adm2_subprefectures_ocha_codab_v2.geojson"
CAR = "country:Central African Republic"


def test_prefectures_and_sub_prefectures_carry_their_pcodes():
    summary = run_import("boundaries", PREFECTURES)
    assert (summary.rows, summary.created) == (17, 17)
    country = Place.objects.get(key=CAR)
    haute_kotto = Place.objects.get(kind=Place.Kind.ADM1, pcode="CF52")
    assert (haute_kotto.name, haute_kotto.key, haute_kotto.country, haute_kotto.parent) == (
        "Haute-Kotto",
        "adm1:Central African Republic:Haute-Kotto",
        country,
        country,
    )
    assert Place.objects.filter(country=country, kind=Place.Kind.ADM1).exclude(pcode="").count() == 17

    summary = run_import("boundaries", SUBPREFECTURES)
    assert (summary.rows, summary.created) == (72, 72)
    mbaiki = Place.objects.get(pcode="CF121")
    assert (mbaiki.name, mbaiki.kind, mbaiki.parent.pcode, mbaiki.country) == ("Mbaïki", "adm2", "CF12", country)
    # Every sub-prefecture nests in the prefecture its P-code names.
    for area in Place.objects.filter(country=country, kind=Place.Kind.ADM2).select_related("parent"):
        assert area.pcode.startswith(area.parent.pcode) and area.parent.kind == Place.Kind.ADM1


def test_full_geometry_kept_and_a_small_outline_for_maps():
    run_import("boundaries", PREFECTURES)
    published = {f["properties"]["admin1Pcod"]: f["geometry"] for f in json.loads(PREFECTURES.read_text())["features"]}
    for area in Place.objects.filter(kind=Place.Kind.ADM1, country__key=CAR):
        assert area.geometry == published[area.pcode]  # unchanged, for point-in-polygon
        full, outline = shape(area.geometry), shape(area.outline)
        # (Haut-Mbomou's published ring crosses itself once; simplifying keeps that as it is.)
        assert outline.is_valid or not full.is_valid
        assert outline.geom_type in ("Polygon", "MultiPolygon")
        assert len(json.dumps(area.outline)) < len(json.dumps(area.geometry)) / 4
        # The outline stays within about a kilometre (0.01 degree) of the published boundary.
        assert outline.hausdorff_distance(full) < 0.01
    total = sum(len(json.dumps(p.outline)) for p in Place.objects.filter(country__key=CAR))
    assert total < 150_000


def test_reimport_changes_nothing_and_keeps_the_pcodes():
    run_import("boundaries", PREFECTURES)
    run_import("boundaries", SUBPREFECTURES)
    before = table_counts()
    pcodes = dict(Place.objects.exclude(pcode="").values_list("pcode", "pk"))
    for path in (PREFECTURES, SUBPREFECTURES):
        again = run_import("boundaries", path)
        assert (again.created, again.updated) == (0, 0) and again.unchanged > 0
    assert table_counts() == before
    assert dict(Place.objects.exclude(pcode="").values_list("pcode", "pk")) == pcodes
    assert len(pcodes) == 17 + 72


def test_a_renamed_area_is_found_by_its_pcode(tmp_path):
    run_import("boundaries", PREFECTURES)
    data = json.loads(PREFECTURES.read_text())
    for feature in data["features"]:
        if feature["properties"]["admin1Pcod"] == "CF42":
            feature["properties"]["admin1Name"] = "Nana-Grébizi"
    path = tmp_path / "renamed.geojson"
    path.write_text(json.dumps(data))
    summary = run_import("boundaries", path)
    assert (summary.created, summary.updated) == (0, 1)
    assert Place.objects.get(pcode="CF42").name == "Nana-Grébizi"


def test_a_file_with_a_pcode_twice_is_refused_with_nothing_written(tmp_path):
    data = json.loads(PREFECTURES.read_text())
    data["features"][1]["properties"]["admin1Pcod"] = data["features"][0]["properties"]["admin1Pcod"]
    path = tmp_path / "twice.geojson"
    path.write_text(json.dumps(data))
    with pytest.raises(ImportFailed) as failed:
        run_import("boundaries", path)
    error = failed.value.errors[0]
    assert (error.row, error.column, error.value) == (2, "pcode", "CF12")
    assert "P-code also on feature 1" in error.message
    assert not Place.objects.filter(kind=Place.Kind.ADM1).exists()


def test_a_file_that_is_not_geojson_is_refused_clearly(tmp_path):
    path = tmp_path / "caf.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"admin1Name"')
    with pytest.raises(ImportFailed) as failed:
        run_import("boundaries", path)
    assert "JSON" in str(failed.value.errors[0]) or "GeoJSON" in str(failed.value.errors[0])
    assert not Place.objects.filter(kind=Place.Kind.ADM1).exists()


def test_a_feature_that_is_not_a_polygon_is_refused(tmp_path):
    data = json.loads(PREFECTURES.read_text())
    data["features"][3]["geometry"] = {"type": "Point", "coordinates": [20.0, 5.0]}
    path = tmp_path / "point.geojson"
    path.write_text(json.dumps(data))
    with pytest.raises(ImportFailed) as failed:
        run_import("boundaries", path)
    error = failed.value.errors[0]
    assert (error.row, error.column) == (4, "geometry") and "not a polygon" in error.message
    assert not Place.objects.filter(kind=Place.Kind.ADM1).exists()


def test_ged_adm_1_names_land_in_their_prefecture():
    from bluehelmet.datasets.models import ConflictEvent

    from .conftest import GED

    run_import("boundaries", PREFECTURES)
    summary = run_import("ged", GED)
    assert not [w for w in summary.warnings if "adm_1" in w]
    events = ConflictEvent.objects.select_related("admin_area")
    # Every named prefecture is found, whatever GED's spelling ("Nana-Grébizi province",
    # "Ombella-M'Poko province", "Mambéré-Kadéi province"): only the 42 unnamed rows stay out.
    assert events.filter(admin_area__isnull=True).exclude(adm_1="").count() == 0
    assert events.filter(admin_area__isnull=True).count() == 42
    for event in events.exclude(adm_1=""):
        assert event.admin_area.kind == Place.Kind.ADM1
    assert {e.admin_area.pcode for e in events.filter(adm_1="Haute-Kotto province")} == {"CF52"}
    assert {e.admin_area.pcode for e in events.filter(adm_1="Nana-Grébizi province")} == {"CF42"}
    assert events.filter(admin_area__pcode="CF71", adm_1="Bangui province").count() == 221
    # Loading the boundaries after the events: importing the file again links them.
    again = run_import("ged", GED)
    assert (again.created, again.updated) == (0, 0)


def test_an_unmatched_adm_1_waits_on_the_matching_page_and_the_file_still_imports(subset):
    from bluehelmet.datasets.models import ConflictEvent
    from bluehelmet.importers.models import UnmatchedPlaceName
    from bluehelmet.importers.places import match_place_name

    from .conftest import GED, set_cell

    run_import("boundaries", PREFECTURES)

    def rename(header, rows):
        return [set_cell(header, row, "adm_1", "Ouaka prefectur") if i < 3 else row for i, row in enumerate(rows)]

    path = subset(GED, keep=lambda r: r["adm_1"] == "Ouaka province", edit=rename)
    summary = run_import("ged", path)
    assert summary.created == 302
    assert any("Ouaka prefectur" in w and "place matching page" in w for w in summary.warnings)
    unmatched = UnmatchedPlaceName.objects.get(kind=Place.Kind.ADM1, name="Ouaka prefectur")
    assert (unmatched.source, unmatched.rows, unmatched.country.key) == ("ged", [2, 3, 4], CAR)
    assert ConflictEvent.objects.filter(admin_area__isnull=True).count() == 3
    assert ConflictEvent.objects.filter(admin_area__pcode="CF43").count() == 299

    match_place_name(unmatched, Place.objects.get(pcode="CF43"))
    again = run_import("ged", path)
    assert again.updated == 3
    assert ConflictEvent.objects.filter(admin_area__pcode="CF43").count() == 302
