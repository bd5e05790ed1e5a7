"""Event exports as CSV and GeoJSON, streamed row by row so 300,000 events fit in memory."""

import csv
import json
from collections.abc import Iterator

from django.db.models import QuerySet

from .models import ConflictEvent

# GED codebook columns, in GED order, so an export reads like a GED download.
EXPORT_FIELDS = [
    "ged_id", "year", "type_of_violence", "conflict_name", "dyad_name", "side_a_name", "side_b_name",
    "where_prec", "where_description", "adm_1", "adm_2", "latitude", "longitude", "priogrid_gid",
    "country_name", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
    "deaths_unknown", "best", "high", "low", "source_article", "sharing",
]
# Kept out of GeoJSON properties: the geometry already holds them.
GEOMETRY_FIELDS = ("latitude", "longitude")
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


def neutralize_formula(value):
    """Prefix text that a spreadsheet would evaluate with a quote (CSV injection).
    Numbers pass unchanged: a negative longitude is data, not a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Line:
    """A file-like target for csv.writer that hands back the line just written."""

    def write(self, text: str) -> str:
        return text


def _rows(events: QuerySet[ConflictEvent]) -> Iterator[tuple]:
    return events.values_list(*EXPORT_FIELDS).iterator(chunk_size=CHUNK_SIZE)


def events_csv_lines(events: QuerySet[ConflictEvent]) -> Iterator[str]:
    """CSV text of the events, a header then one line per event."""
    writer = csv.writer(_Line())
    yield writer.writerow(EXPORT_FIELDS)
    for row in _rows(events):
        yield writer.writerow([neutralize_formula(value) for value in row])


def events_geojson_chunks(events: QuerySet[ConflictEvent]) -> Iterator[str]:
    """A GeoJSON FeatureCollection of the events (points), in pieces."""
    yield '{"type": "FeatureCollection", "features": ['
    separator = ""
    for row in _rows(events):
        yield separator + json.dumps(_feature(dict(zip(EXPORT_FIELDS, row))), default=str)
        separator = ",\n"
    yield "]}\n"


def _feature(record: dict) -> dict:
    geometry = {"type": "Point", "coordinates": [record["longitude"], record["latitude"]]}
    properties = {key: value for key, value in record.items() if key not in GEOMETRY_FIELDS}
    return {"type": "Feature", "geometry": geometry, "properties": properties}

