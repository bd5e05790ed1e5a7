"""The gazetteer: GeoNames' populated places -> Place localities, keyed "geonames:<id>".

Reads either file GeoNames publishes at download.geonames.org/export/dump/ (a country's
`SL.txt`, or `cities1000.txt` and the like: tab-separated, no header, the 19 standard
columns), or the compact CSV Blue Helmet ships (`data/gazetteer/`, written by
scripts/extract_gazetteer.py: a header naming `geonameid`, `name`, `asciiname`,
`alternatenames`, `latitude`, `longitude`, `country_code`, `admin1_code`, `feature_code`,
`population`). Only populated places (feature codes PPL...) are kept: a country's dump also
names its hills, streams and forests, which are counted and skipped.

Each locality's `parent` is the deepest admin area of its country containing it (the
country itself where no boundaries are loaded, or the point lies outside them), its
`country` the country of its ISO 3166 code. Re-importing a file changes nothing; a changed
row updates its place. In the errors, "row" is the line for a GeoNames dump (which has no
header), the CSV row counting the header as row 1 otherwise.
"""

import csv
from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bluehelmet.analytics.geo import priogrid_gid
from bluehelmet.core.models import Place
from bluehelmet.core.names import search_names_for
from bluehelmet.core.places import PointLocator, get_or_create_country

from .base import CsvImporter, Row, sniff_not_text, upsert

# The columns of a GeoNames dump file (readme.txt of download.geonames.org/export/dump/).
GEONAMES_COLUMNS = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "country_code",
    "cc2",
    "admin1_code",
    "admin2_code",
    "admin3_code",
    "admin4_code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification_date",
)

# ISO 3166-1 alpha-2 codes of the countries that have hosted UN peacekeeping operations (the
# IPI mission-country list Blue Helmet ships, data/missions/), by the one name Blue Helmet
# gives each country (core.places.canonical_country_name).
COUNTRY_CODES = {
    "AF": "Afghanistan",
    "AO": "Angola",
    "BA": "Bosnia and Herzegovina",
    "BI": "Burundi",
    "KH": "Cambodia",
    "CF": "Central African Republic",
    "TD": "Chad",
    "CO": "Colombia",
    "CI": "Côte d'Ivoire",
    "HR": "Croatia",
    "CY": "Cyprus",
    "CD": "DR Congo",
    "SV": "El Salvador",
    "ER": "Eritrea",
    "ET": "Ethiopia",
    "GE": "Georgia",
    "GT": "Guatemala",
    "HT": "Haiti",
    "HN": "Honduras",
    "IN": "India",
    "IR": "Iran",
    "IQ": "Iraq",
    "IL": "Israel",
    "IT": "Italy",
    "LB": "Lebanon",
    "LR": "Liberia",
    "MK": "North Macedonia",
    "ML": "Mali",
    "MZ": "Mozambique",
    "NA": "Namibia",
    "NP": "Nepal",
    "PK": "Pakistan",
    "RW": "Rwanda",
    "RS": "Serbia",
    "XK": "Kosovo",
    "SL": "Sierra Leone",
    "SO": "Somalia",
    "SS": "South Sudan",
    "SD": "Sudan",
    "SY": "Syria",
    "TJ": "Tajikistan",
    "TL": "Timor-Leste",
    "UG": "Uganda",
    "EH": "Western Sahara",
}
LOCALITY_FIELDS = [
    "kind",
    "name",
    "code",
    "latitude",
    "longitude",
    "priogrid_gid",
    "parent_id",
    "country_id",
    "gazetteer_population",
    "search_names",
]
NAME_MAX_LENGTH = Place._meta.get_field("name").max_length


class GazetteerImporter(CsvImporter):
    kind = "gazetteer"
    label = gettext_lazy("Gazetteer: GeoNames places (country dump .txt or CSV)")
    extensions = (".txt", ".csv", ".tsv")
    required_columns = ("geonameid", "name", "latitude", "longitude", "country_code", "feature_code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_rows: dict[str, list[int]] = {}  # country name -> rows naming it
        self._seen: dict[int, int] = {}

    def rows(self) -> Iterator[Row]:
        with open(self.path, "rb") as f:
            first_line = f.readline(4096)
        if first_line.split(b"\t")[0].strip().isdigit():
            yield from self._dump_rows()
        else:
            yield from super().rows()

    def _dump_rows(self) -> Iterator[Row]:
        """The rows of a GeoNames dump: tab-separated, no header, no quoting."""
        index = {name: position for position, name in enumerate(GEONAMES_COLUMNS)}
        with open(self.path, "rb") as f:
            if what := sniff_not_text(f.read(4096)):
                raise self.file_error(_("this is %(what)s, not a GeoNames file") % {"what": what})
            f.seek(0)
            position = {"row": 1}
            reader = csv.reader(self._decoded_lines(f, position), delimiter="\t", quoting=csv.QUOTE_NONE)
            for number, values in enumerate(reader, start=1):
                position["row"] = number + 1
                if not any(value.strip() for value in values):
                    continue
                self.rows_read += 1
                if self.rows_read % 1000 == 0:
                    self.advance(self.rows_read)
                if len(values) != len(GEONAMES_COLUMNS):
                    self.errors.add(
                        number,
                        "",
                        "",
                        _("%(found)d fields where a GeoNames file has %(expected)d")
                        % {"found": len(values), "expected": len(GEONAMES_COLUMNS)},
                    )
                    continue
                yield Row(number, values, index, self.errors)

    def parse(self, row: Row) -> dict | None:
        geonameid = row.int("geonameid", required=True, minimum=1)
        name = row.text("name", NAME_MAX_LENGTH, required=True)
        latitude = row.latitude("latitude")
        longitude = row.longitude("longitude")
        feature_code = row.text("feature_code", 10).upper()
        code = row.text("country_code", required=True).upper()
        population = row.int("population", minimum=0) if "population" in row.index else None
        country = COUNTRY_CODES.get(code)
        if code and country is None:
            row.error(
                "country_code",
                code,
                _("not the ISO 3166 code of a country Blue Helmet knows (the host countries of UN missions)"),
            )
        if geonameid is not None and geonameid in self._seen:
            row.error("geonameid", geonameid, _("repeats row %(row)d") % {"row": self._seen[geonameid]})
        if row.failed:
            return None
        self._seen[geonameid] = row.number
        if not feature_code.startswith("PPL"):
            self.summary.count("not populated places, skipped")
            return None
        assert country is not None and latitude is not None and longitude is not None
        self.country_rows.setdefault(country, []).append(row.number)
        names = [name]
        for column in ("asciiname", "alternatenames"):
            if column in row.index:
                names.extend(row.raw(column).split(","))
        return {
            "key": f"geonames:{geonameid}",
            "kind": Place.Kind.LOCALITY,
            "name": name,
            "code": feature_code,
            "latitude": latitude,
            "longitude": longitude,
            "priogrid_gid": priogrid_gid(latitude, longitude),
            "gazetteer_population": population or None,
            "search_names": search_names_for(names),
            "country": country,
        }

    def write(self, records) -> None:
        by_country: dict[str, list[dict]] = {}
        for record in records:
            by_country.setdefault(record.pop("country"), []).append(record)
        for country_name, localities in by_country.items():
            country = get_or_create_country(country_name)
            locator = PointLocator(
                Place.objects.filter(country=country, kind__in=Place.AREA_KINDS, geometry__isnull=False)
            )
            for locality in localities:
                area = locator.locate(locality["latitude"], locality["longitude"]) if locator else None
                locality["parent_id"] = area.pk if area is not None else country.pk
                locality["country_id"] = country.pk
            upsert(
                Place,
                ("key",),
                localities,
                LOCALITY_FIELDS,
                existing=Place.objects.filter(key__in=[locality["key"] for locality in localities]),
                summary=self.summary,
            )
