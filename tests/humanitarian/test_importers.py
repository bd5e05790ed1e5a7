import datetime

import pytest

from bluehelmet.core.models import Organization
from bluehelmet.humanitarian.demo import NEEDS_SAMPLE, THREE_W_SAMPLE
from bluehelmet.humanitarian.models import Activity, NeedsAssessment, Sector
from bluehelmet.importers.base import ImportFailed
from bluehelmet.importers.models import PlaceAlias, UnmatchedPlaceName
from bluehelmet.importers.places import match_place_name
from bluehelmet.importers.registry import run_import

from .conftest import NEEDS, THREE_W

pytestmark = pytest.mark.django_db


def import_3w(path, **options):
    return run_import("humanitarian-3w", path, mission="UNAMSIL", **options)


def test_3w_is_read_by_hashtag_whatever_the_column_order(districts, hxl_file, mission):
    summary = import_3w(hxl_file(THREE_W))
    assert (summary.rows, summary.created) == (3, 3)
    wfp = Activity.objects.get(organization__name="World Food Programme")
    assert (wfp.sector, wfp.place, wfp.status) == (Sector.FOOD_SECURITY, districts["Kenema"], "completed")
    assert (wfp.targeted, wfp.targeted_female, wfp.targeted_male, wfp.reached) == (2000, 1100, 900, 1500)
    unicef = Activity.objects.get(organization__name="UNICEF")
    assert unicef.place == districts["Nongowa"]  # the deepest level given
    msf = Activity.objects.get(organization__name="MSF")
    assert (msf.start, msf.end) == (datetime.date(2001, 5, 1), datetime.date(2001, 9, 30))  # months: first and last day
    assert Organization.objects.filter(name="MSF").count() == 1

    # Same columns in another order, with another extra column: the same records.
    lines = THREE_W.strip().splitlines()
    reordered = "\n".join(",".join(reversed(next(__import__("csv").reader([line])))) for line in lines)
    reordered = reordered.replace("2,000", '"2,000"')
    summary = import_3w(hxl_file(reordered, "reordered.csv"))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)


def test_reimporting_the_same_file_changes_nothing(districts, hxl_file, mission):
    path = hxl_file(THREE_W)
    import_3w(path)
    before = list(Activity.objects.order_by("pk").values())
    summary = import_3w(path)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert list(Activity.objects.order_by("pk").values()) == before


def test_a_changed_figure_updates_the_line(districts, hxl_file, mission):
    import_3w(hxl_file(THREE_W))
    summary = import_3w(hxl_file(THREE_W.replace(",1500\n", ",1800\n")))
    assert (summary.created, summary.updated) == (0, 1)
    assert Activity.objects.get(organization__name="World Food Programme").reached == 1800


def test_no_hashtag_row_is_refused(districts, hxl_file, mission):
    with pytest.raises(ImportFailed) as failed:
        import_3w(hxl_file("Organisation,Sector,District\nWFP,Food,Kenema\n"))
    assert "no HXL hashtag row" in failed.value.errors[0].message
    assert Activity.objects.count() == 0


def test_missing_required_hashtags_are_named_on_the_hashtag_row(districts, hxl_file, mission):
    with pytest.raises(ImportFailed) as failed:
        import_3w(hxl_file("Org,Target\n#org,#targeted\nWFP,100\n"))
    error = failed.value.errors[0]
    assert error.row == 2 and "#sector" in error.column and "#adm" in error.column


def test_bad_values_are_rejected_with_row_and_column_and_nothing_changes(districts, hxl_file, mission):
    import_3w(hxl_file(THREE_W))
    before = list(Activity.objects.order_by("pk").values())
    bad = (
        THREE_W.replace("2001-04-01", "April 2001")
        .replace(",800,", ",lots,")
        .replace("Health", "Astrology")
        .replace(",1500\n", ",1500\n")
    )
    bad += "Oxfam,WASH,Kono,,,2001-06-01,2001-01-01,Ongoing,100,60,60,\n"
    with pytest.raises(ImportFailed) as failed:
        import_3w(hxl_file(bad, "bad.csv"))
    found = {(e.row, e.column) for e in failed.value.errors}
    assert (4, "#date+start") in found
    assert (4, "#targeted") in found
    assert (5, "#sector") in found
    assert (6, "#date+end") in found  # ends before it starts
    assert (6, "#targeted") in found  # fewer than women plus men
    assert list(Activity.objects.order_by("pk").values()) == before


def test_unknown_places_are_listed_for_matching_then_the_same_file_imports(districts, hxl_file, mission, users):
    text = (
        THREE_W
        + "Oxfam,WASH,Western Rural,,,2001-06-01,,Ongoing,100,,,\nCARE,Food Security,Western Rural,,,2001-07-01,,Ongoing,50,,,\n"
    )
    path = hxl_file(text)
    with pytest.raises(ImportFailed) as failed:
        import_3w(path)
    [error] = failed.value.errors
    assert (error.row, error.column, error.value) == (6, "#adm2+name", "Western Rural")
    assert "rows 6, 7" in error.message
    assert Activity.objects.count() == 0
    unmatched = UnmatchedPlaceName.objects.get()
    assert (unmatched.name, unmatched.kind, unmatched.rows, unmatched.source) == (
        "Western Rural",
        "adm2",
        [6, 7],
        "humanitarian-3w",
    )

    match_place_name(unmatched, districts["Western Area Rural"], users["humanitarian"])
    summary = import_3w(path)
    assert summary.created == 5
    assert Activity.objects.filter(place=districts["Western Area Rural"]).count() == 2
    assert PlaceAlias.objects.get().place == districts["Western Area Rural"]


def test_names_are_matched_without_case_accents_or_suffix(districts, hxl_file, mission):
    import_3w(hxl_file(THREE_W.replace("Kailahun,", "KAILAHUN DISTRICT,")))
    assert Activity.objects.get(organization__name="MSF").place == districts["Kailahun"]


def test_only_the_missions_importers_may_import(districts, hxl_file, mission, users):
    path = hxl_file(THREE_W)
    with pytest.raises(ImportFailed):
        import_3w(path, imported_by=users["reporter"].pk)
    import_3w(path, imported_by=users["humanitarian"].pk)
    assert Activity.objects.count() == 3


def test_needs_import_good_bad_and_idempotent(districts, hxl_file, mission):
    path = hxl_file(NEEDS)
    summary = run_import("humanitarian-needs", path, mission="UNAMSIL")
    assert summary.created == 3
    need = NeedsAssessment.objects.get(place=districts["Kailahun"])
    assert (need.sector, need.people_in_need, need.severity) == (Sector.HEALTH, 4000, 5)
    assert run_import("humanitarian-needs", path, mission="UNAMSIL").unchanged == 3
    with pytest.raises(ImportFailed) as failed:
        run_import(
            "humanitarian-needs",
            hxl_file(NEEDS.replace(",4,", ",7,").replace("4000", "-3"), "bad.csv"),
            mission="UNAMSIL",
        )
    assert {(e.row, e.column) for e in failed.value.errors} == {(3, "#severity"), (5, "#inneed")}
    assert NeedsAssessment.objects.count() == 3


def test_shipped_samples_import(sierra_leone_boundaries, mission):
    assert run_import("humanitarian-needs", NEEDS_SAMPLE, mission="UNAMSIL").created == 98
    summary = run_import("humanitarian-3w", THREE_W_SAMPLE, mission="UNAMSIL")
    assert summary.created == 40 and summary.rows == 40


@pytest.fixture
def sierra_leone_boundaries(mission, country):
    """The shipped geoBoundaries districts and chiefdoms of Sierra Leone."""
    from bluehelmet.core.demo import DATA_DIR

    run_import(
        "boundaries",
        DATA_DIR / "boundaries/sle_adm0_adm2_districts_geoboundaries_simplified.geojson",
        country="Sierra Leone",
    )
    run_import(
        "boundaries",
        DATA_DIR / "boundaries/sle_adm3_chiefdoms_geoboundaries_simplified.geojson",
        country="Sierra Leone",
    )


def test_a_name_shared_by_two_places_is_told_apart_by_the_higher_level(districts, hxl_file, mission, country):
    from bluehelmet.core.models import Place

    Place.objects.create(
        key="adm3:Sierra Leone:Kailahun:Nongowa",
        kind=Place.Kind.ADM3,
        name="Nongowa",
        parent=districts["Kailahun"],
        country=country,
    )
    text = THREE_W.replace("Kenema,Nongowa", ",Nongowa")
    with pytest.raises(ImportFailed) as failed:
        import_3w(hxl_file(text))
    assert "2 places of level" in failed.value.errors[0].message
    import_3w(hxl_file(THREE_W, "with-district.csv"))
    assert Activity.objects.get(organization__name="UNICEF").place == districts["Nongowa"]
