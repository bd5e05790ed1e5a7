"""Exports, streamed row by row: conflict events (CSV, GeoJSON; 300,000 fit in memory) and
incidents (CSV, GeoJSON, and a GED-compatible CSV)."""

import json
from collections.abc import Iterator

from django.db.models import F, QuerySet

from bluehelmet.core.exports import csv_lines, neutralize_formula  # noqa: F401 (neutralize_formula: tested here)
from bluehelmet.datasets.models import ConflictEvent

# GED codebook columns, in GED order, so an export reads like a GED download; after adm_1,
# the P-code of the admin area it was matched to (empty where none).
EXPORT_FIELDS = [
    "ged_id",
    "year",
    "type_of_violence",
    "conflict_name",
    "dyad_name",
    "side_a_name",
    "side_b_name",
    "where_prec",
    "where_description",
    "adm_1",
    "adm_1_pcode",
    "adm_2",
    "latitude",
    "longitude",
    "priogrid_gid",
    "country_name",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "source_article",
    "sharing",
]
# Kept out of GeoJSON properties: the geometry already holds them.
GEOMETRY_FIELDS = ("latitude", "longitude")
CHUNK_SIZE = 2000


def _rows(events: QuerySet[ConflictEvent]) -> Iterator[tuple]:
    return (
        events.annotate(adm_1_pcode=F("admin_area__pcode")).values_list(*EXPORT_FIELDS).iterator(chunk_size=CHUNK_SIZE)
    )


def events_csv_lines(events: QuerySet[ConflictEvent]) -> Iterator[str]:
    """CSV text of the events, a header then one line per event."""
    return csv_lines(EXPORT_FIELDS, _rows(events))


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


# --- Incidents ------------------------------------------------------------------------------

INCIDENT_FIELDS = [
    "id",
    "type",
    "status",
    "occurred_at",
    "date_precision",
    "latitude",
    "longitude",
    "location_precision",
    "admin_area",
    "admin_area_pcode",
    "location_description",
    "priogrid_gid",
    "perpetrators",
    "targets",
    "killed",
    "injured",
    "abducted",
    "in_zone",
    "agreement",
    "external",
    "source_dataset",
    "external_id",
    "sharing",
    "sensitivity",
    "reported_at",
    "narrative",
]
# GED codebook columns an incident can fill; the rest are left empty. type_of_violence is
# derived from the incident type (see GED_VIOLENCE), dates precision and location precision
# translate to date_prec / where_prec.
GED_FIELDS = [
    "id",
    "year",
    "type_of_violence",
    "side_a",
    "side_b",
    "where_prec",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "priogrid_gid",
    "country",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "source_article",
]
GED_VIOLENCE = {
    "armed-clash": 1,
    "ceasefire-violation": 1,
    "attack-on-civilians": 3,
    "crsv": 3,
    "abduction": 3,
    "election-violence": 3,
    "human-rights-violation": 3,
}
GED_DATE_PREC = {"time": 1, "day": 1, "week": 3, "month": 4}


def _names(organizations) -> str:
    return "; ".join(o.name for o in organizations)


def incident_record(incident) -> dict:
    return {
        "id": incident.pk,
        "type": incident.type.name,
        "status": incident.status,
        "occurred_at": incident.occurred_at.isoformat(),
        "date_precision": incident.date_precision,
        "latitude": incident.latitude,
        "longitude": incident.longitude,
        "location_precision": incident.location_precision,
        "admin_area": incident.place.name if incident.place_id else "",
        "admin_area_pcode": incident.place.pcode if incident.place_id else "",
        "location_description": incident.location_description,
        "priogrid_gid": incident.priogrid_gid,
        "perpetrators": _names(incident.perpetrators.all()),
        "targets": _names(incident.targets.all()),
        "killed": incident.killed,
        "injured": incident.injured,
        "abducted": incident.abducted,
        "in_zone": incident.in_zone,
        "agreement": incident.agreement.name if incident.agreement_id else "",
        "external": incident.external,
        "source_dataset": incident.source_dataset,
        "external_id": incident.external_id,
        "sharing": incident.sharing,
        "sensitivity": incident.sensitivity,
        "reported_at": incident.reported_at.isoformat(),
        "narrative": incident.narrative,
    }


def ged_record(incident) -> dict:
    """An incident in GED's columns. Deaths: civilians killed go to deaths_civilians, the
    rest of the killed to deaths_unknown (the sides are not told apart)."""
    civilians = sum(c.count for c in incident.casualties.all() if c.kind == "killed" and c.group == "civilian")
    areas = incident.place.admin_areas()[::-1] + [incident.place] if incident.place_id else []
    named = {area.kind: area.name for area in areas}
    day = incident.occurred_at.date().isoformat()
    return {
        "id": incident.external_id
        if incident.external and incident.source_dataset == "UCDP GED"
        else f"bh-{incident.pk}",
        "year": incident.occurred_at.year,
        "type_of_violence": GED_VIOLENCE.get(incident.type.code, ""),
        "side_a": _names(incident.perpetrators.all()),
        "side_b": _names(incident.targets.all()),
        "where_prec": min(incident.location_precision, 7),
        "where_description": incident.location_description or named.get("adm3") or named.get("adm2", ""),
        "adm_1": named.get("adm1") or named.get("adm2", ""),
        "adm_2": named.get("adm2") if named.get("adm1") else named.get("adm3", ""),
        "latitude": incident.latitude,
        "longitude": incident.longitude,
        "priogrid_gid": incident.priogrid_gid,
        "country": named.get("country", ""),
        "date_prec": GED_DATE_PREC[incident.date_precision],
        "date_start": day,
        "date_end": day,
        "deaths_a": 0,
        "deaths_b": 0,
        "deaths_civilians": civilians,
        "deaths_unknown": incident.killed - civilians,
        "best": incident.killed,
        "high": incident.killed,
        "low": incident.killed,
        "source_article": incident.source_dataset or "Blue Helmet",
    }


def _csv_lines(fields, records) -> Iterator[str]:
    return csv_lines(fields, ([record[name] for name in fields] for record in records))


def incidents_csv_lines(incidents) -> Iterator[str]:
    return _csv_lines(INCIDENT_FIELDS, (incident_record(i) for i in incidents.iterator(chunk_size=CHUNK_SIZE)))


def incidents_ged_csv_lines(incidents) -> Iterator[str]:
    incidents = incidents.select_related("place__parent__parent__parent").prefetch_related("casualties")
    return _csv_lines(GED_FIELDS, (ged_record(i) for i in incidents.iterator(chunk_size=CHUNK_SIZE)))


def incidents_geojson_chunks(incidents) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "features": ['
    separator = ""
    for incident in incidents.iterator(chunk_size=CHUNK_SIZE):
        record = incident_record(incident)
        yield separator + json.dumps(_feature(record), default=str)
        separator = ",\n"
    yield "]}\n"
