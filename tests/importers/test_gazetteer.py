"""The gazetteer (issue 15): GeoNames' towns of the host countries, as localities placed in
their admin areas, read from the shipped extract and from GeoNames' own dump format;
all-or-nothing, idempotent, and imported only by the administrators of those countries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bluehelmet.core.models import Mission, Place
from bluehelmet.importers.base import ImportFailed
from bluehelmet.importers.gazetteer import GEONAMES_COLUMNS
from bluehelmet.importers.models import ImportJob
from bluehelmet.importers.registry import run_import

from .conftest import CHIEFDOMS, DATA, DISTRICTS, read_rows, table_counts, write_csv

pytestmark = pytest.mark.django_db

GAZETTEER = DATA / "gazetteer" / "geonames_cities500_sl_cf_lr.csv"
PREFECTURES = DATA / "boundaries" / "caf_adm1_prefectures_ocha_codab.geojson"
SUBPREFECTURES = DATA / "boundaries" / "caf_adm2_subprefectures_ocha_codab_v2.geojson"


def as_geonames_dump(path, rows, header):
    """The rows of the shipped CSV written as GeoNames publishes them: 19 tab-separated
    columns, no header (the columns the extract dropped left empty, feature class P)."""
    at = {name: i for i, name in enumerate(header)}
    lines = []
    for row in rows:
        values = dict.fromkeys(GEONAMES_COLUMNS, "")
        values.update({name: row[i] for name, i in at.items()}, feature_class="P", population=row[at["population"]])
        lines.append("\t".join(values[name] for name in GEONAMES_COLUMNS))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_shipped_extract_places_each_town_in_its_deepest_admin_area():
    for boundaries in (DISTRICTS, CHIEFDOMS, PREFECTURES, SUBPREFECTURES):
        run_import("boundaries", boundaries, **({"country": "Sierra Leone"} if boundaries == CHIEFDOMS else {}))
    summary = run_import("gazetteer", GAZETTEER)
    assert (summary.rows, summary.created, summary.updated) == (139, 139, 0)
    counts = {
        name: Place.objects.filter(kind=Place.Kind.LOCALITY, country__name=name).count()
        for name in ("Sierra Leone", "Central African Republic", "Liberia")
    }
    assert counts == {"Sierra Leone": 84, "Central African Republic": 36, "Liberia": 19}

    makeni = Place.objects.get(key="geonames:2406407")
    assert (makeni.name, makeni.kind, makeni.gazetteer_population) == ("Makeni", "locality", 87679)
    assert (makeni.latitude, makeni.longitude, makeni.code) == (8.88605, -12.04417, "PPLA")
    assert makeni.parent.kind == Place.Kind.ADM3  # a chiefdom of Bombali district
    assert [area.kind for area in makeni.admin_areas()] == ["adm3", "adm2", "country"]
    assert makeni.admin_areas()[1].name == "Bombali"

    bambari = Place.objects.get(key="geonames:240604")
    assert (bambari.parent.name, bambari.parent.pcode, bambari.parent.parent.name) == ("Bambari", "CF431", "Ouaka")
    # No boundaries ship for Liberia: its towns hang from the country itself.
    monrovia = Place.objects.get(name="Monrovia")
    assert monrovia.parent == monrovia.country and monrovia.country.key == "country:Liberia"
    # Accents and alternate spellings are kept for search.
    assert "|mbaiki|" in Place.objects.get(key="geonames:2384770").search_names
    # Localities are never a mission's sites.
    assert not Place.objects.filter(kind__in=Place.POINT_KINDS).exists()


def test_importing_the_same_file_again_changes_nothing():
    run_import("gazetteer", GAZETTEER)
    before = list(Place.objects.order_by("pk").values())
    summary = run_import("gazetteer", GAZETTEER)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 139)
    assert list(Place.objects.order_by("pk").values()) == before


def test_boundaries_imported_later_place_the_towns_in_them():
    run_import("gazetteer", GAZETTEER)
    assert Place.objects.get(key="geonames:240604").parent.kind == Place.Kind.COUNTRY
    run_import("boundaries", PREFECTURES)
    assert Place.objects.get(key="geonames:240604").parent.pcode == "CF43"  # Ouaka


def test_a_geonames_country_dump_is_read_and_its_non_towns_skipped(tmp_path):
    header, rows = read_rows(GAZETTEER)
    sierra_leone = [row for row in rows if row[header.index("country_code")] == "SL"]
    path = as_geonames_dump(tmp_path / "SL.txt", sierra_leone, header)
    # A country's dump also names hills and streams: the first line made a mountain.
    lines = path.read_text(encoding="utf-8").splitlines()
    values = lines[0].split("\t")
    values[6:8] = ["T", "MT"]
    lines[0] = "\t".join(values)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = run_import("gazetteer", path)
    assert (summary.rows, summary.created) == (84, 83)
    assert summary.details == {"not populated places, skipped": 1}
    assert Place.objects.get(key="geonames:2406407").gazetteer_population == 87679


def test_a_bad_file_is_refused_whole_with_row_and_column(tmp_path):
    header, rows = read_rows(GAZETTEER)
    rows = [list(row) for row in rows[:5]]
    rows[1][header.index("latitude")] = "98.2"
    rows[3][header.index("country_code")] = "ZZ"
    rows[4][header.index("geonameid")] = rows[0][header.index("geonameid")]
    path = write_csv(tmp_path / "bad.csv", header, rows)
    before = table_counts()
    with pytest.raises(ImportFailed) as failed:
        run_import("gazetteer", path)
    found = {(error.row, error.column) for error in failed.value.errors}
    assert found == {(3, "latitude"), (5, "country_code"), (6, "geonameid")}
    assert table_counts() == before


def test_a_bad_line_of_a_dump_names_its_line(tmp_path):
    header, rows = read_rows(GAZETTEER)
    path = as_geonames_dump(tmp_path / "SL.txt", rows[:3], header)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("\t", " ", 1)  # 18 fields
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        run_import("gazetteer", path)
    assert [(error.row, error.column) for error in failed.value.errors] == [(2, "")]
    assert not Place.objects.filter(kind=Place.Kind.LOCALITY).exists()


# -- Who may import it: the administrators of the countries it changes ----------------------


@pytest.fixture
def jobs_in_process(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_BROKER_URL = ""
    settings.BLUEHELMET_JOBS_SYNC = True


def country_file(tmp_path, code):
    header, rows = read_rows(GAZETTEER)
    return write_csv(tmp_path / f"{code}.csv", header, [r for r in rows if r[header.index("country_code")] == code])


def upload(client, path):
    file = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
    return client.post("/imports/", {"kind": "gazetteer", "file": file})


def test_the_missions_administrator_imports_its_countrys_towns(client_for, users, jobs_in_process, tmp_path):
    response = upload(client_for(users["administrator"]), country_file(tmp_path, "SL"))
    assert response.status_code == 302
    assert ImportJob.objects.get().status == ImportJob.Status.SUCCEEDED
    assert Place.objects.filter(kind=Place.Kind.LOCALITY, country__name="Sierra Leone").count() == 84


@pytest.mark.parametrize("who", ["analyst", "reporter"])
def test_other_roles_do_not_import_the_gazetteer(client_for, users, jobs_in_process, tmp_path, who):
    response = upload(client_for(users[who]), country_file(tmp_path, "SL"))
    assert response.status_code in (400, 403)
    assert not Place.objects.filter(kind=Place.Kind.LOCALITY).exists()


def test_another_countrys_towns_are_refused(client_for, users, other_mission, jobs_in_process, tmp_path):
    """UNAMSIL's administrator may not add towns to the Central African Republic."""
    assert Mission.objects.filter(acronym="MINUSCA").exists()
    response = upload(client_for(users["administrator"]), country_file(tmp_path, "CF"))
    assert response.status_code == 400
    assert "Central African Republic" in response.content.decode()
    assert not Place.objects.filter(kind=Place.Kind.LOCALITY).exists()


def test_a_town_does_not_make_a_sites_name_ambiguous(mission, country, tmp_path):
    """A planner's population file names the site "Makeni": the gazetteer's Makeni is not a
    second candidate (population files weight sites and areas, not the gazetteer's towns)."""
    site = Place.objects.create(
        key="site:Makeni:8.88333:-12.04417", kind=Place.Kind.SITE, name="Makeni", country=country
    )
    run_import("gazetteer", GAZETTEER)
    path = tmp_path / "population.csv"
    path.write_text("place,population,source,year\nMakeni,80000,Exercise census (demo figures),2004\n")
    assert run_import("place-populations", path, mission="UNAMSIL").created == 1
    assert Place.objects.get(pk=site.pk).population.population == 80000
