"""The shipped reference data sets the demo imports (see core.demo for the stages):
deployments and strength first, then the data sets about violence, as when forces and
incidents each imported their own."""

from bluehelmet.importers.demo import DemoImports

# Hultman, Kathman & Shannon (2013): 26 African conflicts, country-months 1991-2008 (the
# missions-compared page); its Sierra Leone rows are the Sierra Leone file's, upserted again.
CASE_FILE = "cases/hks2013_ajps_replication_country_month_africa_1991_2008.csv"

REFERENCE_IMPORTS = DemoImports(
    (
        ("strength", "personnel/personnel_shortfall_mission_month_1990_2015.csv", ()),
        ("geopko", "geopko/geopko_v1_2_africa_1994_2018_location_month.csv", ()),
        ("geopko-frontmap", "geopko/geopko_v2.3_frontmap_mission_year_location.csv", ()),
        ("geopko-troop-types", "geopko/geopko_v2.3_ttmap_troop_types.csv", ()),
        ("geopko-contributors", "geopko/geopko_v2.3_tccmap_contributors.csv", ()),
        ("conflict-months", "cases/sierra_leone_conflict_month_1991_2002.csv", ()),
        ("conflict-months", CASE_FILE, ()),
        ("ged", "ucdp/ged231_events_central_african_republic.csv", ()),
    )
)
