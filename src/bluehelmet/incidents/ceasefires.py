"""Ceasefire agreements and their monitored zones: zone geometry, which zones a point lies in,
flagging incidents, and compliance per party and week."""

import datetime
import json
import math

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from shapely.ops import unary_union

from bluehelmet.analytics.incidents.compliance import weekly_violations
from bluehelmet.core import mission_cache
from bluehelmet.core.access import mission_scope
from bluehelmet.core.models import Mission

from .models import Agreement, Incident, MonitoredZone

UNATTRIBUTED = "—"


# A monitored zone is a buffer zone, a cantonment site, a disputed district: never a continent.
MAX_ZONE_SPAN_DEGREES = 10
# How far a zone may reach past the host countries' outlines (about 25 km): the outlines are
# simplified, and zones along a border follow the ground, not the line.
HOST_COUNTRY_MARGIN_DEGREES = 0.25
# A (Multi)Polygon's coordinates are arrays this deep: polygons, rings, points.
COORDINATE_DEPTH = {"Polygon": 2, "MultiPolygon": 3}


class ZoneGeometryError(ValueError):
    pass


def _refuse_constant(name):
    raise ZoneGeometryError(_("%(value)s is not a coordinate") % {"value": name})


def load_geojson(text: str):
    """GeoJSON text as Python data. NaN and Infinity (which Python's reader accepts) and
    nesting too deep for the reader are ZoneGeometryErrors; malformed JSON stays a ValueError."""
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise ZoneGeometryError(_("the file is nested too deeply to be a polygon")) from None


def _check_coordinates(value, depth: int) -> None:
    """Arrays exactly `depth` deep, ending in points of finite numbers (longitude, latitude,
    an optional altitude); checked iteratively, so no nesting exhausts the stack."""
    pending = [(value, depth)]
    while pending:
        item, level = pending.pop()
        if level == 0:
            if not (
                isinstance(item, list)
                and 2 <= len(item) <= 3
                and all(isinstance(n, (int, float)) and not isinstance(n, bool) and math.isfinite(n) for n in item)
            ):
                raise ZoneGeometryError(_("every point must be a longitude and a latitude, as finite numbers"))
        elif isinstance(item, list):
            pending.extend((child, level - 1) for child in item)
        else:
            raise ZoneGeometryError(_("the coordinates are not arrays of polygons, rings and points"))


def _unwrap(geojson):
    """The geometry of a Feature, or of a FeatureCollection's only feature."""
    if isinstance(geojson, dict) and geojson.get("type") == "FeatureCollection":
        features = geojson.get("features")
        features = features if isinstance(features, list) else []
        if len(features) != 1:
            raise ZoneGeometryError(_("give one polygon (this collection has %(n)d features)") % {"n": len(features)})
        geojson = features[0]
    if isinstance(geojson, dict) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    return geojson


def check_zone_in_mission(geometry, mission: Mission) -> None:
    """A zone spans at most MAX_ZONE_SPAN_DEGREES of longitude and of latitude, and lies in the
    mission's host countries (within HOST_COUNTRY_MARGIN_DEGREES of their outlines, when
    their boundaries were imported)."""
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if max_lon - min_lon > MAX_ZONE_SPAN_DEGREES or max_lat - min_lat > MAX_ZONE_SPAN_DEGREES:
        raise ZoneGeometryError(
            _("a zone spans at most %(n)d degrees of longitude and of latitude") % {"n": MAX_ZONE_SPAN_DEGREES}
        )
    outlines = [shape(country.geometry) for country in mission.host_countries.filter(geometry__isnull=False)]
    if not outlines:
        return
    territory = unary_union([outline.simplify(0.01) for outline in outlines]).buffer(HOST_COUNTRY_MARGIN_DEGREES)
    if not territory.covers(geometry):
        raise ZoneGeometryError(_("the zone is outside the mission's host countries"))


def zone_geometry(geojson, mission: Mission | None = None) -> dict:
    """The GeoJSON Polygon or MultiPolygon of a zone, checked; a Feature is unwrapped. With
    the mission, also its size and place (check_zone_in_mission).
    Returns the geometry with its bounding box: {"geometry", "min_lon", ...}."""
    geojson = _unwrap(geojson)
    if isinstance(geojson, dict) and geojson.get("type") in COORDINATE_DEPTH:
        _check_coordinates(geojson.get("coordinates"), COORDINATE_DEPTH[geojson["type"]])
    try:
        geometry = shape(geojson)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise ZoneGeometryError(_("not a GeoJSON geometry: %(error)s") % {"error": exc}) from None
    if geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise ZoneGeometryError(_("a zone must be a polygon"))
    if not geometry.is_valid:
        raise ZoneGeometryError(_("the polygon crosses itself"))
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ZoneGeometryError(_("coordinates out of range (longitude, latitude order?)"))
    if mission is not None:
        check_zone_in_mission(geometry, mission)
    return {"geometry": geojson, "min_lon": min_lon, "min_lat": min_lat, "max_lon": max_lon, "max_lat": max_lat}


class ZoneIndex:
    """The monitored zones of a mission's agreements, loaded once, to place many points."""

    def __init__(self, mission: Mission):
        self.zones = [
            (zone, shape(zone.geometry))
            for zone in MonitoredZone.objects.filter(agreement__mission=mission).select_related("agreement")
        ]

    def containing(self, latitude: float, longitude: float, day: datetime.date) -> list[MonitoredZone]:
        """The zones of agreements in force on `day` that contain the point."""
        point = Point(longitude, latitude)
        return [
            zone
            for zone, geometry in self.zones
            if zone.agreement.in_force_on(day)
            and zone.min_lon <= longitude <= zone.max_lon
            and zone.min_lat <= latitude <= zone.max_lat
            and geometry.intersects(point)
        ]


def mission_zones(mission: Mission) -> ZoneIndex:
    """The mission's zone index, kept per process until its zones or agreements change
    (core.mission_cache; the receivers are in incidents.lookups)."""
    return mission_cache.cached("incidents.zones", mission, ZoneIndex)


def zones_containing(mission: Mission, latitude: float, longitude: float, day: datetime.date) -> list[MonitoredZone]:
    return mission_zones(mission).containing(latitude, longitude, day)


def flag_zones(incident: Incident) -> list[MonitoredZone]:
    """Set the incident's zones and zone flag from its position and date, and link it to the
    zone's agreement when it names none. Returns the zones."""
    zones = zones_containing(incident.mission, incident.latitude, incident.longitude, incident.occurred_at.date())
    incident.zones.set(zones)
    fields = {"in_zone": bool(zones)}
    if zones and incident.agreement_id is None:
        fields["agreement"] = zones[0].agreement
    for name, value in fields.items():
        setattr(incident, name, value)
    Incident.objects.filter(pk=incident.pk).update(**fields)
    return zones


def violations(agreement: Agreement) -> QuerySet[Incident]:
    """Incidents linked to the agreement (merged duplicates and reports found false left out)."""
    return agreement.violations.filter(merged_into__isnull=True).exclude(status=Incident.Status.FALSE)


def compliance(agreement: Agreement, incidents: QuerySet[Incident]) -> dict:
    """Violations per party (the agreement's parties named as perpetrators; others grouped as
    unattributed) per week, verified against alleged."""
    parties = {org.pk: org.name for org in agreement.parties.all()}
    rows = []
    for incident in incidents.prefetch_related("perpetrators"):
        day = incident.occurred_at.date()
        verified = incident.status == Incident.Status.VERIFIED
        named = [parties[o.pk] for o in incident.perpetrators.all() if o.pk in parties]
        for party in named or [UNATTRIBUTED]:
            rows.append((day, party, verified))
    data = weekly_violations(rows)
    totals = {
        party: {"verified": sum(c["verified"]), "alleged": sum(c["alleged"])} for party, c in data["parties"].items()
    }
    return {**data, "totals": totals}


def visible_agreements(user, mission: Mission) -> QuerySet[Agreement]:
    return Agreement.objects.filter(mission_scope(user), mission=mission)


def add_zone(agreement: Agreement, data: dict) -> MonitoredZone:
    """A zone from ZoneForm's cleaned data; incidents already inside it are flagged."""
    zone = MonitoredZone.objects.create(
        agreement=agreement, name=data["name"], kind=data["kind"], notes=data.get("notes", ""), **data["zone"]
    )
    reflag_incidents(zone)
    return zone


def reflag_incidents(zone: MonitoredZone) -> int:
    """Flag the agreement's mission's incidents inside a new or changed zone."""
    candidates = Incident.objects.filter(
        mission_id=zone.agreement.mission_id,
        longitude__range=(zone.min_lon, zone.max_lon),
        latitude__range=(zone.min_lat, zone.max_lat),
        merged_into__isnull=True,
    )
    flagged = 0
    for incident in candidates.select_related("mission"):
        if zone in flag_zones(incident):
            flagged += 1
    return flagged


@transaction.atomic
def create_agreement(mission: Mission, form) -> Agreement:
    """A new agreement from a valid AgreementForm, in the mission."""
    agreement = form.save(commit=False)
    agreement.mission = mission
    agreement.save()
    form.save_m2m()
    return agreement
