"""A small PMTiles basemap made from the shipped boundaries, for the tests of the offline basemap
(core/basemaps.py, core/basemap_views.py, static/js/bhmap.js).

It is built the way a Protomaps extract is laid out, in the layers protomaps-leaflet's default
style paints (its src/default_style/style.ts): `earth` (land polygons), `boundaries` (lines,
`kind_detail` the admin level: 2 national, 4 below), and `places` (points, `kind` "locality",
with `name`), in gzip-compressed Mapbox vector tiles (mapbox-vector-tile) in a PMTiles v3 archive
(the `pmtiles` package's writer). No water: the shipped data has none, and the tests do not
invent it."""

import gzip
import json
import math
from functools import cache
from pathlib import Path

import mapbox_vector_tile
import numpy as np
import shapely
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer
from shapely import box
from shapely.geometry import shape
from shapely.ops import unary_union

BOUNDARIES = Path(__file__).resolve().parents[1] / "src/bluehelmet/data/boundaries"
# Per country: the admin areas file, how to read an area's level and name, and the level whose
# outline is the country's.
SOURCES = {
    "SLE": ("sle_adm0_adm2_districts_geoboundaries_simplified.geojson", "level", "name"),
    "CAF": ("caf_adm1_prefectures_ocha_codab.geojson", None, "admin1Name"),
}
EARTH_RADIUS_PI = 20037508.342789244  # half the width of the web mercator world, in metres
EXTENT = 4096


def _mercator(geometry):
    """The geometry from degrees to web mercator metres."""

    def project(coords):
        lat = np.radians(np.clip(coords[:, 1], -85.0511, 85.0511))
        return np.column_stack([coords[:, 0] * EARTH_RADIUS_PI / 180, np.log(np.tan(np.pi / 4 + lat / 2)) * 6378137])

    return shapely.transform(geometry, project)


def _tile_box(z: int, x: int, y: int):
    size = 2 * EARTH_RADIUS_PI / (1 << z)
    west, north = -EARTH_RADIUS_PI + x * size, EARTH_RADIUS_PI - y * size
    return west, north - size, west + size, north


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


@cache
def country_features(country: str):
    """(land, [(outline, admin level)], [(point, name)]) of a country, in degrees."""
    filename, level_key, name_key = SOURCES[country]
    features = json.loads((BOUNDARIES / filename).read_text())["features"]
    areas = [f for f in features if level_key is None or f["properties"][level_key] != "ADM0"]
    land = unary_union([shapely.make_valid(shape(f["geometry"])) for f in features])
    outlines = [(land.boundary, 2)] + [(shape(f["geometry"]).boundary, 4) for f in areas]
    places = [(shape(f["geometry"]).representative_point(), f["properties"][name_key]) for f in areas]
    return land, outlines, places


def _layers(country: str, z: int):
    """The country's layers at zoom z, simplified for it, in mercator metres."""
    land, outlines, places = country_features(country)
    tolerance = 360 / (1 << z) / 512  # about a pixel of a 512-pixel tile
    return {
        "earth": [(_mercator(land.simplify(tolerance)), {"kind": "earth"})],
        "boundaries": [
            (_mercator(line.simplify(tolerance)), {"kind": "admin", "kind_detail": level}) for line, level in outlines
        ],
        "places": [
            (_mercator(point), {"kind": "locality", "name": name, "min_zoom": 4, "population_rank": 10})
            for point, name in places
        ],
    }


def _encode_tile(layers, z: int, x: int, y: int) -> bytes | None:
    west, south, east, north = _tile_box(z, x, y)
    margin = (east - west) / 16  # so lines and fills run past the tile's edges
    clip = box(west - margin, south - margin, east + margin, north + margin)
    encoded_layers = []
    for name, features in layers.items():
        clipped = []
        for geometry, properties in features:
            if not geometry.intersects(clip):
                continue
            part = geometry.intersection(clip)
            if not part.is_empty:
                clipped.append({"geometry": part, "properties": properties})
        if clipped:
            encoded_layers.append({"name": name, "features": clipped})
    if not encoded_layers:
        return None
    data = mapbox_vector_tile.encode(
        encoded_layers, default_options={"quantize_bounds": (west, south, east, north), "extents": EXTENT}
    )
    return gzip.compress(data, mtime=0)


def build_basemap(path: Path, countries=("SLE", "CAF"), max_zoom: int = 8) -> Path:
    """Write a PMTiles basemap of the countries (ISO3 codes of SOURCES), zooms 0 to max_zoom, to
    `path`; returns it."""
    tiles: dict[int, bytes] = {}
    west = south = math.inf
    east = north = -math.inf
    for country in countries:
        land = country_features(country)[0]
        minx, miny, maxx, maxy = land.bounds
        west, south, east, north = min(west, minx), min(south, miny), max(east, maxx), max(north, maxy)
        for z in range(max_zoom + 1):
            layers = _layers(country, z)
            x0, y0 = _tile_of(minx, maxy, z)
            x1, y1 = _tile_of(maxx, miny, z)
            for x in range(x0, x1 + 1):
                for y in range(y0, y1 + 1):
                    data = _encode_tile(layers, z, x, y)
                    if data is None:
                        continue
                    tile_id = zxy_to_tileid(z, x, y)
                    if tile_id in tiles:  # a tile both countries touch: both in it
                        both = {name: [] for name in layers}
                        for other in countries:
                            for name, features in _layers(other, z).items():
                                both[name] += features
                        data = _encode_tile(both, z, x, y)
                    tiles[tile_id] = data
    with path.open("wb") as file:
        writer = Writer(file)
        for tile_id in sorted(tiles):
            writer.write_tile(tile_id, tiles[tile_id])
        writer.finalize(
            {
                "tile_type": TileType.MVT,
                "tile_compression": Compression.GZIP,
                "min_lon_e7": int(west * 1e7),
                "min_lat_e7": int(south * 1e7),
                "max_lon_e7": int(east * 1e7),
                "max_lat_e7": int(north * 1e7),
                "center_zoom": 5,
                "center_lon_e7": int((west + east) / 2 * 1e7),
                "center_lat_e7": int((south + north) / 2 * 1e7),
            },
            {
                "name": "Blue Helmet test basemap",
                "attribution": "geoBoundaries (CC BY 4.0), OCHA COD-AB",
                "vector_layers": [{"id": name, "fields": {}} for name in ("earth", "boundaries", "places")],
            },
        )
    return path
