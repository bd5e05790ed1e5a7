"""Geo-PKO v2.3 mission-year-location aggregates: three files, three kinds, one SiteYear row
per mission, site and year, each file filling its own columns.

The frontmap file lists a site once per deployment map of the year, so a site-year can
appear on several rows; they differ only in NoTroops and hq. Such rows are merged into one
site-year taking, column by column, the highest number (the year's peak; the averages and
unit counts are the same on every row) and the first non-empty text. "NA" is None.
"""

from django.utils.translation import gettext_lazy

from bluehelmet.importers.base import CsvImporter, Row, upsert
from bluehelmet.importers.lookups import SiteSet, missions_by_acronym

from ..models import SiteYear


class SiteYearImporter(CsvImporter):
    # column -> (SiteYear field, "int" | "float" | "text")
    columns: dict[str, tuple[str, str]] = {}
    has_country = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.site_years: dict[tuple, dict] = {}
        self.sites = SiteSet()
        self.site_missions: dict[str, str] = {}
        self.merged = 0

    @property
    def required_columns(self) -> tuple[str, ...]:
        place = ("mission", "year", "location", "latitude", "longitude") + (("country",) if self.has_country else ())
        return place + tuple(self.columns)

    def parse(self, row: Row) -> tuple | None:
        """Gathers the row into its site-year; returns the site-year's key."""
        mission = row.text("mission", 30, required=True)
        year = row.int("year", required=True, minimum=1945, maximum=2100)
        location = row.text("location", 200, required=True)
        latitude, longitude = row.latitude("latitude"), row.longitude("longitude")
        values = {}
        for column, (name, kind) in self.columns.items():
            if kind == "text":
                values[name] = row.text(column, nulls=("", "NA"))
            elif kind == "float":
                values[name] = row.float(column, minimum=0)
            else:
                values[name] = row.int(column, minimum=0)
        if row.failed:
            return None
        country = row.text("country") if self.has_country else ""
        site = self.sites.add(location, latitude, longitude, country, seen=(year,))
        self.site_missions.setdefault(site, mission)
        key = (mission, site, year)
        if key in self.site_years:
            self.merged += 1
            values = merge_values(self.site_years[key], values)
        self.site_years[key] = values
        return key

    def write(self, _keys) -> None:
        if self.merged:
            self.summary.count("rows merged into an earlier row of the same site-year", self.merged)
        mission_ids = missions_by_acronym({mission for mission, _site, _year in self.site_years}, self.summary)
        site_ids = self.sites.save(self.summary, mission_ids, self.site_missions)
        fields = [name for name, _kind in self.columns.values()]
        records = [
            {"mission_id": mission_ids[mission], "site_id": site_ids[site], "year": year, **values}
            for (mission, site, year), values in self.site_years.items()
        ]
        upsert(
            SiteYear,
            ("mission_id", "site_id", "year"),
            records,
            fields,
            existing=SiteYear.objects.filter(mission_id__in=mission_ids.values()),
            summary=self.summary,
        )


def merge_values(first: dict, second: dict) -> dict:
    merged = {}
    for name, a in first.items():
        b = second[name]
        if isinstance(a, str):
            merged[name] = a or b
        else:
            merged[name] = b if a is None else a if b is None else max(a, b)
    return merged


class FrontmapImporter(SiteYearImporter):
    kind = "geopko-frontmap"
    label = gettext_lazy("Geo-PKO v2.3 troops per site and year (frontmap CSV)")
    has_country = True
    columns = {
        "NoTroops": ("troops", "int"),
        "ave.no.troops": ("average_troops", "float"),
        "Infantry": ("infantry", "int"),
        "Reserve": ("reserve", "int"),
        "hq": ("headquarters", "int"),
        "UNPOL": ("police", "int"),
        "Med": ("medical", "int"),
        "Av": ("aviation", "int"),
        "UNMO": ("observers", "int"),
    }


class TroopTypesImporter(SiteYearImporter):
    kind = "geopko-troop-types"
    label = gettext_lazy("Geo-PKO v2.3 unit types per site and year (ttmap CSV)")
    columns = {
        "Infantry": ("infantry_units", "int"),
        "eng": ("engineering_units", "int"),
        "med": ("medical_units", "int"),
        "sig": ("signals_units", "int"),
        "av": ("aviation_units", "int"),
        "riv": ("riverine_units", "int"),
        "maint": ("maintenance_units", "int"),
        "trans": ("transport_units", "int"),
    }


class ContributorsImporter(SiteYearImporter):
    kind = "geopko-contributors"
    label = gettext_lazy("Geo-PKO v2.3 contributing countries per site and year (tccmap CSV)")
    columns = {"No.TCC": ("contributor_count", "int"), "year.overview": ("contributors_overview", "text")}
