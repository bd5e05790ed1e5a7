"""The gazetteer in a mission's pages: the place search behind every search box
(static/js/placesearch.js), and what maps without a basemap draw from the shipped data (the
place labels and the water of static/js/bhmap.js). Members of the mission only; the places of
its host countries only."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from .gate import mission_view
from .missions import SEARCH_LIMIT, mission_bounds, mission_gazetteer, mission_localities, search_mission_places
from .models import Place
from .water import water_within


def _place_result(place: Place) -> dict:
    areas = [area for area in place.admin_areas() if area.kind != Place.Kind.COUNTRY]
    # A town's P-code is its admin area's: the identifier reports and exports use.
    pcode = place.pcode or next((area.pcode for area in areas if area.pcode), "")
    return {
        "id": place.pk,
        "name": place.name,
        "kind": place.kind,
        "kind_label": str(Place.Kind(place.kind).label),
        "areas": [area.name for area in areas],
        # The admin area a report placed here lies in: the place itself for an area.
        "area_id": place.pk if place.is_area else place.parent_id,
        "pcode": pcode,
        "lat": place.latitude,
        "lon": place.longitude,
        "population": place.gazetteer_population,
    }


@require_GET
@mission_view()
def place_search(request, access):
    """?q=<what was typed>: the matching places, best first (core.missions.search_mission_places)."""
    query = request.GET.get("q", "")[:100]
    places = search_mission_places(request.user, access.mission, query, SEARCH_LIMIT)
    return JsonResponse({"query": query, "results": [_place_result(place) for place in places]})


@require_GET
@mission_view()
def place_gazetteer(request, access):
    """Every searchable place of the mission as the place search answers it, with its folded
    names (`search`): the offline app (static/js/offline/) searches this copy when the network
    is down. Versioned by the mission's reference data stamp."""
    places = [
        {**_place_result(place), "search": place.search_names}
        for place in mission_gazetteer(request.user, access.mission)
    ]
    return JsonResponse({"version": access.mission.lookups_version, "places": places})


@require_GET
@mission_view()
def place_labels(request, access):
    """The gazetteer's localities as GeoJSON points with their population, for the labels."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": {"id": pk, "name": name, "population": population or 0},
        }
        for pk, name, latitude, longitude, population in mission_localities(request.user, access.mission)
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require_GET
@mission_view()
def water(request, access):
    """Seas, lakes and rivers around the mission (core/water.py), as GeoJSON; none for a
    mission with neither boundaries nor sites."""
    bounds = mission_bounds(request.user, access.mission)
    if bounds is None:
        return JsonResponse({"type": "FeatureCollection", "features": []})
    (south, west), (north, east) = bounds
    response = JsonResponse(water_within(round(south, 2), round(west, 2), round(north, 2), round(east, 2)))
    response["Cache-Control"] = "private, max-age=86400"  # shipped data: changes with a release
    return response
