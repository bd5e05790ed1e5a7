"""Missions as the pages show them: looked up for a user, and their areas on the map."""

from django.db.models import Case, F, Max, Min, Q, QuerySet, Value, When

from .access import places_for
from .models import Mission, Place
from .names import SEPARATOR, fold_name


def mission_areas(user, mission: Mission) -> QuerySet[Place]:
    """Admin areas with a geometry in the mission's host countries, the user's places only."""
    return places_for(user).filter(
        country__in=mission.host_countries.all(),
        kind__in=(Place.Kind.COUNTRY, Place.Kind.ADM1, Place.Kind.ADM2),
        geometry__isnull=False,
    )


def mission_bounds(user, mission: Mission) -> list[list[float]] | None:
    """[[south, west], [north, east]] around the mission: the bounding boxes of its host
    countries' admin areas, or, where no boundaries are loaded, its host countries' sites and
    bases. None when the mission has neither. Every map opens on this box, never on a fixed
    country's centre."""
    places = places_for(user).filter(country__in=mission.host_countries.all())
    area = Q(kind__in=Place.AREA_KINDS, min_lat__isnull=False)
    site = Q(kind__in=Place.POINT_KINDS, latitude__isnull=False, longitude__isnull=False)
    boxes = places.aggregate(  # both boxes in one query
        south=Min("min_lat", filter=area),
        west=Min("min_lon", filter=area),
        north=Max("max_lat", filter=area),
        east=Max("max_lon", filter=area),
        site_south=Min("latitude", filter=site),
        site_west=Min("longitude", filter=site),
        site_north=Max("latitude", filter=site),
        site_east=Max("longitude", filter=site),
    )
    box = (
        boxes
        if boxes["south"] is not None
        else {side: boxes[f"site_{side}"] for side in ("south", "west", "north", "east")}
    )
    if box["south"] is None:
        return None
    return [[box["south"], box["west"]], [box["north"], box["east"]]]


# A place search answers at most this many places; a query shorter than SEARCH_MIN_LENGTH
# (folded) answers none, so the first keystroke does not list a country's every village.
SEARCH_LIMIT = 10
SEARCH_MIN_LENGTH = 2
# The maps label at most this many localities, the most populous first.
LABEL_LIMIT = 3000
# The offline app keeps at most this many places of the gazetteer, the most populous first.
GAZETTEER_LIMIT = 20000
# A search result names the admin areas above the place (at most four: admin 3 to country),
# read in the same query, without the geometries.
ANCESTORS = "parent__parent__parent__parent"
_LEVEL_FIELDS = ("name", "kind", "pcode", "parent_id")
SEARCH_FIELDS = (
    "latitude",
    "longitude",
    "gazetteer_population",
    *_LEVEL_FIELDS,
    *(f"{'parent__' * depth}{field}" for depth in range(1, 5) for field in _LEVEL_FIELDS),
)


def search_mission_places(user, mission: Mission, query: str, limit: int = SEARCH_LIMIT) -> list[Place]:
    """The localities and admin areas of the mission's host countries whose names match what
    was typed, accents and case aside ("mbaiki" finds "Mbaïki"): the place's own name
    starting so first, then another of its names (ASCII, alternate spellings), then the
    name containing it; within each, the larger population first. One query, the admin areas
    above each place fetched with it."""
    folded = fold_name(query)
    if len(folded) < SEARCH_MIN_LENGTH:
        return []
    own_prefix = SEPARATOR + folded
    return list(
        places_for(user)
        .filter(
            country__in=mission.host_countries.all(), kind__in=Place.SEARCHABLE_KINDS, search_names__contains=folded
        )
        .annotate(
            match_rank=Case(
                When(search_names__startswith=own_prefix, then=Value(0)),
                When(search_names__contains=own_prefix, then=Value(1)),
                default=Value(2),
            )
        )
        .select_related(ANCESTORS)
        .only(*SEARCH_FIELDS)
        .order_by("match_rank", F("gazetteer_population").desc(nulls_last=True), "name", "pk")[:limit]
    )


def mission_gazetteer(user, mission: Mission, limit: int = GAZETTEER_LIMIT) -> list[Place]:
    """The localities and admin areas of the mission's host countries a place search can find,
    the most populous first (at most `limit`), for the offline app's copy of the gazetteer.
    One query, the admin areas above each place fetched with it."""
    return list(
        places_for(user)
        .filter(country__in=mission.host_countries.all(), kind__in=Place.SEARCHABLE_KINDS)
        .select_related(ANCESTORS)
        .only(*SEARCH_FIELDS, "search_names")
        .order_by(F("gazetteer_population").desc(nulls_last=True), "name", "pk")[:limit]
    )


def mission_localities(user, mission: Mission, limit: int = LABEL_LIMIT):
    """(name, latitude, longitude, population) of the gazetteer's localities in the mission's
    host countries, the most populous first, for the maps' place labels."""
    return (
        places_for(user)
        .filter(country__in=mission.host_countries.all(), kind=Place.Kind.LOCALITY, latitude__isnull=False)
        .order_by(F("gazetteer_population").desc(nulls_last=True), "name")
        .values_list("pk", "name", "latitude", "longitude", "gazetteer_population")[:limit]
    )
