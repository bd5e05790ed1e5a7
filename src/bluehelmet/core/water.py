"""Seas, lakes and rivers for maps without a basemap: Natural Earth's 1:50m water (public
domain, shipped in data/water/, made by scripts/extract_water.py), clipped to a mission's box.

Coarse on purpose: at 1:50m Sierra Leone has its coast and one river, the Central African
Republic the Ubangi, the Chari and their larger tributaries. A mission that needs more gives
its maps a basemap (core/basemaps.py)."""

import json
from functools import cache, lru_cache
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

WATER_FILE = Path(__file__).resolve().parent.parent / "data" / "water" / "natural_earth_50m_water.geojson"
# Around the mission's box: a wide map window, or one panned or zoomed out a little, still
# shows the sea to its edges.
MARGIN_DEGREES = 8.0


@cache
def _water() -> list[tuple[str, shapely.Geometry]]:
    with open(WATER_FILE, encoding="utf-8") as f:
        collection = json.load(f)
    shapes = []
    for feature in collection["features"]:
        geometry = shapely.make_valid(shape(feature["geometry"]))  # a few 1:50m rings touch themselves
        shapely.prepare(geometry)
        shapes.append((feature["properties"]["kind"], geometry))
    return shapes


@lru_cache(maxsize=64)
def water_within(south: float, west: float, north: float, east: float) -> dict:
    """The water inside the box (widened by MARGIN_DEGREES), as a GeoJSON FeatureCollection
    whose features have `kind` ocean, lake or river. The sea is the box less the land."""
    box = shapely.box(west - MARGIN_DEGREES, south - MARGIN_DEGREES, east + MARGIN_DEGREES, north + MARGIN_DEGREES)
    features = []
    land = []
    for kind, geometry in _water():
        if not geometry.intersects(box):
            continue
        clipped = shapely.clip_by_rect(geometry, *box.bounds)
        if clipped.is_empty:
            continue
        if kind == "land":
            land.append(clipped)
        else:
            features.append({"type": "Feature", "properties": {"kind": kind}, "geometry": mapping(clipped)})
    sea = box.difference(shapely.union_all(land)) if land else box
    if not sea.is_empty:
        features.insert(0, {"type": "Feature", "properties": {"kind": "ocean"}, "geometry": mapping(sea)})
    return {"type": "FeatureCollection", "features": features}
