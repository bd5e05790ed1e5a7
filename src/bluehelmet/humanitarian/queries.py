"""The humanitarian records a user may see, and the gap analysis fed from them (the
arithmetic is analytics.gaps)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from bluehelmet.analytics.gaps import Coverage, Gap, Need, gap_table, gaps_by_area
from bluehelmet.core.access import mission_scope, places_for
from bluehelmet.core.models import Mission, Place

from .models import AccessConstraint, Activity, Delivery, NeedsAssessment, Sector


def visible(model, user, mission: Mission) -> QuerySet:
    """The mission's records of this model that the user may see (partners: public ones)."""
    return model.objects.filter(mission=mission).filter(mission_scope(user))


def needs_for(user, mission):
    return visible(NeedsAssessment, user, mission).select_related("place", "place__parent", "organization")


def activities_for(user, mission):
    return visible(Activity, user, mission).select_related("place", "place__parent", "organization")


def deliveries_for(user, mission):
    return visible(Delivery, user, mission).select_related("place", "organization", "access_constraint")


def constraints_for(user, mission):
    return visible(AccessConstraint, user, mission).select_related("place", "incident", "incident__type")


def mission_places(user, mission: Mission) -> QuerySet[Place]:
    """The admin areas (and sites) of the mission's host countries the user sees, for forms."""
    return (
        places_for(user)
        .filter(
            country__in=mission.host_countries.all(),
            kind__in=(Place.Kind.ADM1, Place.Kind.ADM2, Place.Kind.ADM3, Place.Kind.SITE),
        )
        .select_related("parent")
        .order_by("kind", "name")
    )


def analysis_level(mission: Mission) -> str:
    """Districts (admin 2) when the host countries have them, else admin 1."""
    has_adm2 = Place.objects.filter(country__in=mission.host_countries.all(), kind=Place.Kind.ADM2).exists()
    return Place.Kind.ADM2 if has_adm2 else Place.Kind.ADM1


def area_of(mission: Mission, level: str) -> dict[int, int]:
    """place id -> the id of the area of `level` it lies in (itself at that level), for
    every place of the host countries at or below the level."""
    rows = {
        pk: (kind, parent)
        for pk, kind, parent in Place.objects.filter(country__in=mission.host_countries.all()).values_list(
            "pk", "kind", "parent_id"
        )
    }
    result = {}
    for pk in rows:
        node = pk
        for _depth in range(6):
            kind, parent = rows.get(node, (None, None))
            if kind == level:
                result[pk] = node
                break
            if kind == Place.Kind.COUNTRY or parent is None:
                break
            node = parent
    return result


@dataclass
class GapAnalysis:
    level: str
    rows: list[Gap]
    areas: dict[int, Place]
    above_level: int  # records at a level above the analysis (e.g. a province): not in the table
    by_area: dict


def gap_analysis(
    user, mission: Mission, *, sector: str | None = None, start: dt.date | None = None, end: dt.date | None = None
) -> GapAnalysis:
    level = analysis_level(mission)
    areas_by_place = area_of(mission, level)
    needs, activities, above = [], [], 0
    for n in needs_for(user, mission).values("place_id", "sector", "assessed_on", "people_in_need", "severity"):
        area = areas_by_place.get(n["place_id"])
        if area is None:
            above += 1
            continue
        needs.append(Need(area, n["place_id"], n["sector"], n["assessed_on"], n["people_in_need"], n["severity"]))
    for a in activities_for(user, mission).values(
        "place_id", "sector", "start", "end", "status", "targeted", "reached"
    ):
        area = areas_by_place.get(a["place_id"])
        if area is None:
            above += 1
            continue
        activities.append(Coverage(area, a["sector"], a["start"], a["end"], a["status"], a["targeted"], a["reached"]))
    rows = gap_table(needs, activities, start=start, end=end, sector=sector or None)
    areas = Place.objects.in_bulk({r.area for r in rows} | set(areas_by_place.values()))
    return GapAnalysis(level, rows, areas, above, gaps_by_area(rows))


def gap_map(analysis: GapAnalysis, mission: Mission, user) -> dict:
    """A GeoJSON FeatureCollection of the analysis level's areas with their figures (areas
    with no data included, so the map shows them as such)."""
    features = []
    shapes = places_for(user).filter(
        country__in=mission.host_countries.all(), kind=analysis.level, geometry__isnull=False
    )
    for place in shapes.only("pk", "name", "geometry"):
        figures = analysis.by_area.get(place.pk, {})
        features.append(
            {
                "type": "Feature",
                "geometry": place.geometry,
                "properties": {
                    "id": place.pk,
                    "name": place.name,
                    "people_in_need": figures.get("people_in_need"),
                    "gap": figures.get("gap"),
                    "severity": figures.get("severity"),
                    "unassessed_sectors": figures.get("unassessed_sectors", 0),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def sector_label(value: str) -> str:
    return str(Sector(value).label) if value in Sector.values else value
