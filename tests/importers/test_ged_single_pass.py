"""The GED import reads its file once and writes as it reads (datasets.importers.ged): what
that must not change. A bad row after rows already written leaves nothing behind; a row the
fast check doubts is read as parse() reads it; a re-import updates exactly the rows that
changed, NULLs included; actors, countries and admin areas are found or created as the
batches need them."""

import pytest

from bluehelmet.core.models import Organization, Place
from bluehelmet.datasets.importers import ged
from bluehelmet.datasets.models import ConflictEvent
from bluehelmet.importers.base import ImportFailed
from bluehelmet.importers.models import UnmatchedPlaceName
from bluehelmet.importers.registry import run_import

from .conftest import GED, read_rows, set_cell, table_counts, write_csv

pytestmark = pytest.mark.django_db

STORED = ["ged_id", "best", "deaths_b", "number_of_sources", "priogrid_gid", "latitude", "active_year", "adm_1"]


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 100 rows, so that a 1,848-row file is written in 19 of them."""
    monkeypatch.setattr(ged, "BATCH", 100)


def edited(tmp_path, *edits, name="ged.csv"):
    header, data = read_rows(GED)
    for index, column, value in edits:
        data[index] = set_cell(header, data[index], column, value)
    return write_csv(tmp_path / name, header, data)


def test_a_bad_row_after_many_written_batches_leaves_nothing(tmp_path, small_batches):
    before = table_counts()
    path = edited(tmp_path, (1500, "latitude", "north"), (1700, "year", "1850"))
    with pytest.raises(ImportFailed) as caught:
        run_import("ged", path)
    # Both errors reported, with row (header = row 1) and column, though writing had begun.
    assert [(e.row, e.column, e.value) for e in caught.value.errors] == [
        (1502, "latitude", "north"),
        (1702, "year", "1850"),
    ]
    # No event, and none of the actors or countries the written batches had created.
    assert table_counts() == before and not ConflictEvent.objects.exists()
    assert not Organization.objects.filter(key__startswith="ucdp:").exists()


def test_a_bad_row_in_a_reimport_keeps_the_first_import(tmp_path, small_batches):
    run_import("ged", GED)
    stored = list(ConflictEvent.objects.order_by("ged_id").values_list(*STORED))
    path = edited(tmp_path, (0, "best", "99"), (1800, "date_end", "2001-13-01"))
    with pytest.raises(ImportFailed) as caught:
        run_import("ged", path)
    assert [(e.row, e.column) for e in caught.value.errors] == [(1802, "date_end")]
    assert list(ConflictEvent.objects.order_by("ged_id").values_list(*STORED)) == stored


def test_rows_the_fast_check_doubts_are_read_as_parse_reads_them(tmp_path):
    """Whitespace, "3.0" for 3, "NA" and an empty PRIO-GRID cell: parse() accepts them, and
    the rows land as the plain ones do."""
    header, data = read_rows(GED)
    plain = write_csv(tmp_path / "plain.csv", header, data[:4])
    run_import("ged", plain)
    expected = list(ConflictEvent.objects.order_by("ged_id").values_list(*STORED))
    ConflictEvent.objects.all().delete()
    doubtful = [
        set_cell(header, data[0], "best", f"{data[0][header.index('best')]}.0"),
        set_cell(header, data[1], "deaths_b", f" {data[1][header.index('deaths_b')]} "),
        set_cell(header, data[2], "active_year", f"{data[2][header.index('active_year')]}.0"),
        set_cell(header, data[3], "priogrid_gid", ""),  # filled from the coordinates
    ]
    summary = run_import("ged", write_csv(tmp_path / "doubtful.csv", header, doubtful))
    assert summary.created == 4
    assert list(ConflictEvent.objects.order_by("ged_id").values_list(*STORED)) == expected


def test_reimport_updates_exactly_the_changed_rows_nulls_included(tmp_path, small_batches):
    run_import("ged", GED)
    header, data = read_rows(GED)
    with_sources = next(
        i for i, row in enumerate(data) if i > 0 and row[header.index("number_of_sources")] not in ("", "NA")
    )
    path = edited(
        tmp_path,
        (0, "best", "1000"),  # a value changed
        (with_sources, "number_of_sources", ""),  # a value removed: NULL
        (1847, "source_headline", "A corrected headline"),  # the last row, in the last batch
    )
    summary = run_import("ged", path)
    assert (summary.rows, summary.created, summary.updated, summary.unchanged) == (1848, 0, 3, 1845)
    assert ConflictEvent.objects.get(ged_id=int(data[0][0])).best == 1000
    assert ConflictEvent.objects.get(ged_id=int(data[with_sources][0])).number_of_sources is None
    assert ConflictEvent.objects.get(ged_id=int(data[1847][0])).source_headline == "A corrected headline"
    # And back: the NULL becomes a value again.
    again = run_import("ged", GED)
    assert (again.created, again.updated) == (0, 3)


def test_new_rows_among_known_ones_are_created(tmp_path, small_batches):
    header, data = read_rows(GED)
    run_import("ged", write_csv(tmp_path / "half.csv", header, data[::2]))
    summary = run_import("ged", GED)
    assert (summary.created, summary.updated, summary.unchanged) == (len(data) // 2, 0, len(data) // 2)
    assert ConflictEvent.objects.count() == len(data)


def test_actor_names_follow_the_file_and_count_once(tmp_path, small_batches):
    header, data = read_rows(GED)
    Organization.objects.create(key="ucdp:488", name="Lord's Resistance Army (old name)", kind="armed_group")
    side_b_new = header.index("side_b_new_id")
    lra_rows = [i for i, row in enumerate(data) if row[side_b_new] == "488"]
    # The last row naming an actor gives its name, even one first created by an earlier batch.
    path = edited(tmp_path, (lra_rows[-1], "side_b", "LRA"), (len(data) - 1, "side_a", data[-1][14] + " (renamed)"))
    summary = run_import("ged", path)
    assert Organization.objects.get(key="ucdp:488").name == "LRA"
    assert Organization.objects.get(key=f"ucdp:{data[-1][13]}").name.endswith("(renamed)")
    assert summary.details["organizations updated"] == 1  # the one that was there before
    assert summary.details["organizations created"] == Organization.objects.filter(key__startswith="ucdp:").count() - 1


def test_admin_areas_matched_and_unknown_names_queued(tmp_path, small_batches):
    country = Place.objects.create(
        key="country:Central African Republic", kind="country", name="Central African Republic"
    )
    country.country = country
    country.save()
    haute_kotto = Place.objects.create(key="cf-hk", kind="adm1", name="Haute-Kotto", parent=country, country=country)
    header, data = read_rows(GED)
    adm_1 = header.index("adm_1")
    hk_rows = [i for i, row in enumerate(data) if row[adm_1] == "Haute-Kotto province"]
    assert hk_rows
    summary = run_import("ged", GED)
    assert ConflictEvent.objects.filter(admin_area=haute_kotto).count() == len(hk_rows)
    unknown = UnmatchedPlaceName.objects.filter(country=country)
    assert unknown.exists() and any("adm_1 name(s) match no admin area" in w for w in summary.warnings)
    assert not ConflictEvent.objects.filter(admin_area__isnull=False).exclude(admin_area=haute_kotto).exists()


def test_progress_reaches_the_end_once_in_one_pass(small_batches):
    calls = []
    run_import("ged", GED, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (1848, 1848)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


def _event_indexes() -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, ConflictEvent._meta.db_table)
    return {name for name, info in constraints.items() if info["index"]}


def test_a_first_import_rebuilds_the_indexes_it_deferred(tmp_path, small_batches):
    """A first load drops the table's secondary indexes and builds them again at the end;
    a failed first load leaves them as they were (the drop is rolled back with the rest)."""
    indexes = _event_indexes()
    assert len(indexes) > 5
    with pytest.raises(ImportFailed):
        run_import("ged", edited(tmp_path, (1500, "latitude", "north")))
    assert _event_indexes() == indexes
    run_import("ged", GED)
    assert _event_indexes() == indexes and ConflictEvent.objects.count() > 1000
