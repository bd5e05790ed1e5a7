"""Bad files: every error is reported with its row and column, and nothing is written."""

import json

import pytest

from bluehelmet.importers.base import MAX_ERRORS, ImportFailed
from bluehelmet.importers.registry import run_import

from .conftest import DISTRICTS, GED, GEOPKO, MISSIONS, STRENGTH, read_rows, set_cell, table_counts, write_csv

pytestmark = pytest.mark.django_db


def failure(kind, path, **options) -> ImportFailed:
    before = table_counts()
    with pytest.raises(ImportFailed) as caught:
        run_import(kind, path, **options)
    assert table_counts() == before, "a failed import must leave the database as it was"
    return caught.value


def ged_with(tmp_path, *edits, rows=20):
    """The first `rows` real GED rows with (row index, column, value) edits."""
    header, data = read_rows(GED)
    data = data[:rows]
    for index, column, value in edits:
        data[index] = set_cell(header, data[index], column, value)
    return write_csv(tmp_path / "ged.csv", header, data)


def only_error(failed: ImportFailed):
    assert failed.total == 1, failed.errors
    return failed.errors[0]


def test_one_bad_row_at_the_end_changes_nothing(tmp_path):
    run_import("missions", MISSIONS)  # something already there, which must stay as it is
    header, data = read_rows(GED)
    data[-1] = set_cell(header, data[-1], "best", "lots")
    path = write_csv(tmp_path / "ged.csv", header, data)
    error = only_error(failure("ged", path))
    assert (error.row, error.column, error.value) == (len(data) + 1, "best", "lots")
    assert error.message == "not a number"


def test_missing_columns(tmp_path):
    header, data = read_rows(GED)
    drop = [header.index("latitude"), header.index("best")]
    path = write_csv(
        tmp_path / "ged.csv",
        [c for i, c in enumerate(header) if i not in drop],
        [[v for i, v in enumerate(row) if i not in drop] for row in data[:5]],
    )
    error = only_error(failure("ged", path))
    assert (error.row, error.column) == (1, "latitude, best")
    assert error.message == "missing columns: latitude, best"


def test_bad_date(tmp_path):
    error = only_error(failure("ged", ged_with(tmp_path, (4, "date_start", "2009-02-30"))))
    assert (error.row, error.column, error.value) == (6, "date_start", "2009-02-30")


def test_bad_month_name(tmp_path):
    header, data = read_rows(MISSIONS)
    data[2] = set_cell(header, data[2], "start_date", "Novembre 1956")
    error = only_error(failure("missions", write_csv(tmp_path / "m.csv", header, data)))
    assert (error.row, error.column, error.value) == (4, "start_date", "Novembre 1956")


def test_coordinates_out_of_range(tmp_path):
    failed = failure("ged", ged_with(tmp_path, (0, "latitude", "95.1"), (9, "longitude", "-200")))
    assert [(e.row, e.column, e.value) for e in failed.errors] == [(2, "latitude", "95.1"), (11, "longitude", "-200")]


def test_text_in_a_number_column(tmp_path):
    header, data = read_rows(STRENGTH)
    data[100] = set_cell(header, data[100], "troop", "about 300")
    error = only_error(failure("strength", write_csv(tmp_path / "s.csv", header, data)))
    assert (error.row, error.column, error.value, error.message) == (102, "troop", "about 300", "not a number")


def test_duplicate_ged_id(tmp_path):
    header, data = read_rows(GED)
    path = write_csv(tmp_path / "ged.csv", header, data[:10] + [data[3]])
    error = only_error(failure("ged", path))
    assert (error.row, error.column, error.value) == (12, "id", data[3][0])
    assert "also on row 5" in error.message


def test_every_bad_row_is_reported_up_to_the_cap(tmp_path):
    header, data = read_rows(GED)
    data = [set_cell(header, row, "type_of_violence", "9") for row in data[:150]]
    failed = failure("ged", write_csv(tmp_path / "ged.csv", header, data))
    assert failed.total == 150 and len(failed.errors) == MAX_ERRORS and failed.omitted == 50
    assert [e.row for e in failed.errors[:3]] == [2, 3, 4]


@pytest.mark.parametrize("content", [b"", b"   \n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    assert only_error(failure("ged", path)).message == "the file is empty"


def test_header_only(tmp_path):
    header, _data = read_rows(GED)
    assert (
        only_error(failure("ged", write_csv(tmp_path / "ged.csv", header, []))).message == "the file has no data rows"
    )


def test_wrong_encoding(tmp_path):
    text = MISSIONS.read_text(encoding="utf-8").splitlines(keepends=True)[:6]
    text[3] = text[3].replace("Emergency", "Emergéncy")  # row 4, as a spreadsheet saved in Latin-1 would
    path = tmp_path / "latin1.csv"
    path.write_bytes("".join(text).encode("latin-1"))
    error = only_error(failure("missions", path))
    assert error.row == 4 and error.value == "e9"
    offset = len("".join(text[:3]).encode("latin-1")) + text[3].index("Emergéncy") + len("Emerg")
    assert f"byte position {offset}" in error.message and "not UTF-8" in error.message


def test_not_a_csv_file(tmp_path):
    path = tmp_path / "events.xlsx.csv"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert "not a CSV file" in only_error(failure("ged", path)).message


def test_geojson_given_as_csv():
    assert "JSON, not a CSV" in only_error(failure("ged", DISTRICTS)).message


def test_csv_given_as_geojson():
    assert "not a GeoJSON file" in only_error(failure("boundaries", MISSIONS)).message


def test_ragged_row(tmp_path):
    header, data = read_rows(MISSIONS)
    data[5] = data[5][:3]
    error = only_error(failure("missions", write_csv(tmp_path / "m.csv", header, data)))
    assert error.row == 7 and "3 fields where the header has 4" in error.message


def test_geojson_bad_feature(tmp_path):
    collection = json.loads(DISTRICTS.read_text())
    collection["features"][3]["geometry"] = {"type": "Point", "coordinates": [0, 0]}
    del collection["features"][5]["properties"]["name"]
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(collection))
    failed = failure("boundaries", path)
    assert [(e.row, e.column) for e in failed.errors] == [(4, "geometry"), (6, "name")]


def test_chiefdoms_before_their_districts_fail():
    failed = failure(
        "boundaries", DISTRICTS.with_name("sle_adm3_chiefdoms_geoboundaries_simplified.geojson"), country="Sierra Leone"
    )
    assert failed.errors[0].column == "district"


def test_geopko_mission_not_in_file():
    assert "no rows for this mission" in only_error(failure("geopko", GEOPKO, mission="NOPE")).message
