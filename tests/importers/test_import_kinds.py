"""Each import kind on the real shipped files (or real subsets): what lands in the
database, and that importing the same file again adds nothing."""

import datetime as dt

import pytest

from bluehelmet.core.models import Mission, Organization, Place, Sharing
from bluehelmet.datasets.models import (
    ConflictEvent,
    ConflictMonth,
    Deployment,
    DeploymentContribution,
    MissionStrength,
    SiteYear,
)
from bluehelmet.importers.registry import REGISTRY, run_import

from .conftest import (
    CHIEFDOMS,
    CONFLICT_MONTHS,
    CONTRIBUTORS,
    DISTRICTS,
    FRONTMAP,
    GED,
    GEOPKO,
    MISSION_COUNTRIES,
    MISSIONS,
    STRENGTH,
    TROOP_TYPES,
    table_counts,
)

pytestmark = pytest.mark.django_db


def assert_idempotent(kind, path, **options):
    before = table_counts()
    again = run_import(kind, path, **options)
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged > 0
    assert table_counts() == before
    return again


def test_every_kind_is_registered():
    assert set(REGISTRY) == {
        "ged",
        "geopko",
        "geopko-frontmap",
        "geopko-troop-types",
        "geopko-contributors",
        "missions",
        "mission-countries",
        "boundaries",
        "gazetteer",
        "strength",
        "conflict-months",
        "incidents-ged",
        "incidents-acled",
        "forces-units",
        "forces-personnel",
        "forces-training",
        "place-populations",
        "civilaffairs-perception",
        "humanitarian-3w",
        "humanitarian-needs",
    }


def test_ged_real_file():
    summary = run_import("ged", GED)
    assert (summary.rows, summary.created, summary.updated, summary.unchanged) == (1848, 1848, 0, 0)
    event = ConflictEvent.objects.get(ged_id=36210)
    assert event.sharing == Sharing.PUBLIC
    assert event.date_start == dt.date(2009, 2, 20) and event.best == 3 and event.deaths_b == 3
    assert (event.country_name, event.country_gwno, event.priogrid_gid) == ("Central African Republic", 482, 137213)
    assert event.country.key == "country:Central African Republic" and event.country.code == "482"
    assert event.source_article == "Reuters  25/2-09" and event.gwnoa == "500" and event.gwnob == ""
    assert event.side_a.key == "ucdp:90" and event.side_a.kind == Organization.Kind.GOVERNMENT
    assert event.side_b.key == "ucdp:488" and event.side_b.kind == Organization.Kind.ARMED_GROUP
    one_sided = ConflictEvent.objects.filter(side_b_name="Civilians").first()
    assert one_sided.side_b is None and one_sided.type_of_violence == 3
    assert_idempotent("ged", GED)


def test_ged_changed_value_is_updated(subset):
    first = subset(GED, keep=lambda r: r["id"] in ("36210", "36211"))
    run_import("ged", first)
    changed = subset(
        GED,
        keep=lambda r: r["id"] in ("36210", "36211"),
        edit=lambda header, rows: [r[:43] + ["7"] + r[44:] if r[0] == "36210" else r for r in rows],
    )
    summary = run_import("ged", changed)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    assert ConflictEvent.objects.get(ged_id=36210).best == 7


def test_geopko_unamsil_subset(subset):
    path = subset(GEOPKO, keep=lambda r: r["Mission"] == "UNAMSIL")
    summary = run_import("geopko", path)
    assert summary.rows == summary.created == Deployment.objects.count() == 666
    mission = Mission.objects.get(acronym="UNAMSIL")
    assert mission.name == "UNAMSIL"  # created from the acronym until the mission list is imported
    assert not Deployment.objects.exclude(sharing=Sharing.PUBLIC).exists()
    freetown = Place.objects.filter(kind=Place.Kind.SITE, name="Freetown").first()
    assert freetown.country.name == "Sierra Leone" and freetown.priogrid_gid
    assert DeploymentContribution.objects.filter(country__kind=Organization.Kind.MEMBER_STATE).exists()
    assert_idempotent("geopko", path)


def test_geopko_unknown_troops_are_none_not_zero(subset):
    path = subset(GEOPKO, keep=lambda r: r["No.troops"] == "unknown")
    summary = run_import("geopko", path)
    assert summary.created == 120
    assert Deployment.objects.filter(troops__isnull=True).count() == 120
    assert not Deployment.objects.filter(troops=0).exists()


def test_geopko_same_site_twice_in_a_map_gets_sequences(subset):
    # Real rows 5247 and 5249: El Fasher twice on map 4327 Rev. 15, July 2014.
    path = subset(
        GEOPKO,
        keep=lambda r: (
            r["Source"] == "Map no. 4327 Rev. 15"
            and r["location"] == "El Fasher"
            and r["year"] == "2014"
            and r["month"] == "7"
        ),
    )
    run_import("geopko", path)
    rows = list(
        Deployment.objects.filter(site__name="El Fasher").order_by("sequence").values_list("sequence", "troops")
    )
    assert rows == [(1, 185), (2, 900)]
    assert_idempotent("geopko", path)


def test_geopko_mission_option_imports_one_mission():
    summary = run_import("geopko", GEOPKO, mission="UNOMSIL")
    assert summary.rows == 12190 and summary.created == 28
    assert summary.details["rows of other missions skipped"] == 12190 - 28
    assert set(Deployment.objects.values_list("mission__acronym", flat=True)) == {"UNOMSIL"}


def test_geopko_full_file_skips_only_the_row_without_coordinates():
    summary = run_import("geopko", GEOPKO)
    assert summary.created == 12189
    assert any("row 11097" in warning for warning in summary.warnings)
    assert Deployment.objects.filter(mission__acronym="UNOCI", troops=150, month=dt.date(2008, 6, 1)).exists()


def test_sites_are_placed_in_admin_areas_once_boundaries_are_loaded(subset):
    run_import("boundaries", DISTRICTS)
    run_import("boundaries", CHIEFDOMS)
    run_import("geopko", subset(GEOPKO, keep=lambda r: r["Mission"] == "UNAMSIL"))
    bo = Place.objects.get(key="site:Bo:7.96472:-11.73833")
    assert bo.parent.kind == Place.Kind.ADM3
    assert bo.parent.parent.key == "adm2:Sierra Leone:Bo"
    assert bo.country.key == "country:Sierra Leone"


def test_boundaries_then_sites_are_re_placed(subset):
    run_import("geopko", subset(GEOPKO, keep=lambda r: r["Mission"] == "UNAMSIL"))
    assert Place.objects.get(key="site:Bo:7.96472:-11.73833").parent.kind == Place.Kind.COUNTRY
    run_import("boundaries", DISTRICTS)
    assert Place.objects.get(key="site:Bo:7.96472:-11.73833").parent.key == "adm2:Sierra Leone:Bo"


def test_boundaries_real_files():
    summary = run_import("boundaries", DISTRICTS)
    assert (summary.rows, summary.created) == (15, 15)
    country = Place.objects.get(key="country:Sierra Leone")
    assert country.geometry["type"] == "MultiPolygon" and country.country == country and country.parent is None
    kenema = Place.objects.get(key="adm2:Sierra Leone:Kenema")
    assert kenema.parent == country and kenema.country == country
    assert kenema.min_lon < kenema.longitude < kenema.max_lon and kenema.min_lat < kenema.latitude < kenema.max_lat
    summary = run_import("boundaries", CHIEFDOMS)  # no ADM0: the country comes from the districts
    assert (summary.rows, summary.created) == (166, 166)
    chiefdom = Place.objects.get(key="adm3:Sierra Leone:Bonthe Urban")
    assert chiefdom.parent.key == "adm2:Sierra Leone:Bonthe" and chiefdom.country == country
    assert_idempotent("boundaries", DISTRICTS)
    assert_idempotent("boundaries", CHIEFDOMS, country="Sierra Leone")


def test_missions_and_host_countries():
    summary = run_import("missions", MISSIONS)
    assert summary.created == 71
    untso = Mission.objects.get(acronym="UNTSO")
    assert (untso.name, untso.start, untso.end) == (
        "United Nations Truce Supervision Organization",
        dt.date(1948, 5, 1),
        None,
    )
    assert Mission.objects.get(acronym="UNAMSIL").end == dt.date(2005, 12, 1)
    summary = run_import("mission-countries", MISSION_COUNTRIES)
    assert summary.rows == 79
    # "South Sudan'" (IPI's typo) is the same country as "South Sudan".
    assert [c.name for c in Mission.objects.get(acronym="UNMISS").host_countries.all()] == ["South Sudan"]
    assert list(Mission.objects.get(acronym="UNAMSIL").host_countries.values_list("key", flat=True)) == [
        "country:Sierra Leone"
    ]
    assert_idempotent("missions", MISSIONS)
    assert_idempotent("mission-countries", MISSION_COUNTRIES)


def test_strength():
    summary = run_import("strength", STRENGTH)
    assert summary.created == 4833
    first = MissionStrength.objects.get(mission__acronym="BINUB", month=dt.date(2007, 1, 1))
    assert (first.authorised_troops, first.authorised_police, first.police, first.contributor_count) == (
        0,
        15,
        11,
        None,
    )
    assert any("rounded" in warning for warning in summary.warnings)
    assert_idempotent("strength", STRENGTH)


def test_conflict_months():
    summary = run_import("conflict-months", CONFLICT_MONTHS)
    assert summary.created == 144
    january = ConflictMonth.objects.get(conflict_id=187, month=dt.date(1991, 1, 1))
    assert january.country.key == "country:Sierra Leone" and january.mission is None
    assert january.pko_present is None and january.osv_all == 0.0 and january.ceasefire is False
    assert january.extra["gwnoloc"] == "451" and january.extra["lntpop"] == "8.304"
    assert "osvAll" not in january.extra
    assert ConflictMonth.objects.filter(mission__acronym="UNAMSIL").count() == 39
    assert_idempotent("conflict-months", CONFLICT_MONTHS)


def test_site_year_files_fill_their_own_columns():
    run_import("geopko-frontmap", FRONTMAP)
    row = SiteYear.objects.get(mission__acronym="MINURCA", year=1999, site__name="Bangui")
    # Three frontmap rows (one per map) merged: the year's peak, the shared average.
    assert (row.troops, row.average_troops, row.infantry, row.headquarters) == (1685, 1485.0, 1150, 3)
    assert row.engineering_units is None and row.contributor_count is None
    summary = run_import("geopko-troop-types", TROOP_TYPES)
    assert summary.created == 0 and summary.updated == 7372
    run_import("geopko-contributors", CONTRIBUTORS)
    row.refresh_from_db()
    assert (row.troops, row.signals_units, row.contributor_count) == (1685, 3, 10)
    assert row.contributors_overview.startswith("Burkina Faso (150)")
    assert_idempotent("geopko-frontmap", FRONTMAP)
    assert_idempotent("geopko-troop-types", TROOP_TYPES)


def test_progress_is_reported(subset):
    calls = []
    run_import("strength", STRENGTH, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (4833, 4833)
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:]))


def test_an_import_kind_is_registered_by_one_importer_only():
    from bluehelmet.importers.registry import register

    ged = REGISTRY["ged"]
    imposter = type("Imposter", (ged,), {})
    with pytest.raises(ValueError, match="already registered"):
        register(imposter)
    register(ged)  # the same importer again is harmless
    assert REGISTRY["ged"] is ged
