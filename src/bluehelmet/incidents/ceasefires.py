"""Ceasefire agreements and their monitored zones: zone geometry, which zones a point lies in,
flagging incidents, and compliance per party and week."""

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape

from bluehelmet.analytics.incidents.compliance import weekly_violations
from bluehelmet.core.access import mission_scope
from bluehelmet.core.models import Mission

from .models import Agreement, Incident, MonitoredZone

UNATTRIBUTED = "—"


class ZoneGeometryError(ValueError):
    pass


def zone_geometry(geojson) -> dict:
    """The GeoJSON Polygon or MultiPolygon of a zone, checked; a Feature is unwrapped.
    Returns the geometry with its bounding box: {"geometry", "min_lon", ...}."""
    if isinstance(geojson, dict) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    if isinstance(geojson, dict) and geojson.get("type") == "FeatureCollection":
        features = geojson.get("features") or []
        if len(features) != 1:
            raise ZoneGeometryError(_("give one polygon (this collection has %(n)d features)") % {"n": len(features)})
        geojson = features[0].get("geometry")
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
    return {"geometry": geojson, "min_lon": min_lon, "min_lat": min_lat, "max_lon": max_lon, "max_lat": max_lat}


class ZoneIndex:
    """The monitored zones of a mission's agreements, loaded once, to place many points."""

    def __init__(self, mission: Mission):
        self.zones = [(zone, shape(zone.geometry)) for zone in MonitoredZone.objects.filter(agreement__mission=mission).select_related("agreement")]

    def containing(self, latitude: float, longitude: float, day: datetime.date) -> list[MonitoredZone]:
        """The zones of agreements in force on `day` that contain the point."""
        point = Point(longitude, latitude)
        return [
            zone for zone, geometry in self.zones
            if zone.agreement.in_force_on(day) and zone.min_lon <= longitude <= zone.max_lon
            and zone.min_lat <= latitude <= zone.max_lat and geometry.intersects(point)
        ]


def zones_containing(mission: Mission, latitude: float, longitude: float, day: datetime.date) -> list[MonitoredZone]:
    return ZoneIndex(mission).containing(latitude, longitude, day)


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
    zone = MonitoredZone.objects.create(agreement=agreement, name=data["name"], kind=data["kind"], notes=data.get("notes", ""), **data["zone"])
    reflag_incidents(zone)
    return zone


def reflag_incidents(zone: MonitoredZone) -> int:
    """Flag the agreement's mission's incidents inside a new or changed zone."""
    candidates = Incident.objects.filter(
        mission_id=zone.agreement.mission_id, longitude__range=(zone.min_lon, zone.max_lon), latitude__range=(zone.min_lat, zone.max_lat),
        merged_into__isnull=True,
    )
    flagged = 0
    for incident in candidates.select_related("mission"):
        if zone in flag_zones(incident):
            flagged += 1
    return flagged
