"""Places from imported data: one name per country, natural keys, and which admin area a
point lies in."""

import re

from shapely import STRtree
from shapely.geometry import Point, shape

from bluehelmet.analytics.geo import priogrid_gid

from .models import Place

# Spellings found in the data sources (UCDP, Geo-PKO, IPI, geoBoundaries, the personnel
# data) mapped to one name, so that every file lands on the same country place.
# Keys are compared after `_alias_key`: lower case, straight apostrophes, single spaces.
COUNTRY_ALIASES = {
    "republic of sierra leone": "Sierra Leone",
    "south sudan'": "South Sudan",
    "drc": "DR Congo",
    "dr congo (zaire)": "DR Congo",
    "democratic republic of congo": "DR Congo",
    "democratic republic of the congo": "DR Congo",
    "congo, the democratic republic of the": "DR Congo",
    "ivory coast": "Côte d'Ivoire",
    "cote d ivoire": "Côte d'Ivoire",
    "cote d'ivoire": "Côte d'Ivoire",
    "côte d'ivoire": "Côte d'Ivoire",
    "syrian arab republic": "Syria",
    "cambodia (kampuchea)": "Cambodia",
    "myanmar (burma)": "Myanmar",
    "serbia (yugoslavia)": "Serbia",
    "russia (soviet union)": "Russia",
    "zimbabwe (rhodesia)": "Zimbabwe",
    "yemen (north yemen)": "Yemen",
    "madagascar (malagasy)": "Madagascar",
    "bosnia-herzegovina": "Bosnia and Herzegovina",
    "macedonia, fyr": "North Macedonia",
    "macedonia": "North Macedonia",
    "kingdom of eswatini (swaziland)": "Eswatini",
    "timor leste": "Timor-Leste",
    "east timor": "Timor-Leste",
}


def _alias_key(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("’", "'").replace("`", "'")).strip().lower()


def canonical_country_name(name: str) -> str:
    """The one name used for a country, whatever spelling the source used."""
    cleaned = re.sub(r"\s+", " ", name).strip()
    return COUNTRY_ALIASES.get(_alias_key(cleaned), cleaned)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was once decoded as Latin-1 ("DÃ©koa" for "Dékoa"), as some
    Geo-PKO rows carry it beside the correct spelling of the same site. Text that does not
    round-trip that way is returned as it is."""
    if "Ã" not in text and "Â" not in text:
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def site_key(name: str, latitude: float, longitude: float) -> str:
    return f"site:{name.strip()}:{latitude:.5f}:{longitude:.5f}"


def get_or_create_country(name: str, code: str = "") -> Place:
    """The country place for `name` (any known spelling), created when missing. A code is
    filled in when the existing place has none."""
    canonical = canonical_country_name(name)
    place, created = Place.objects.get_or_create(
        key=f"country:{canonical}", defaults={"kind": Place.Kind.COUNTRY, "name": canonical, "code": code}
    )
    changed = []
    if place.country_id != place.pk:
        place.country = place
        changed.append("country")
    if code and not place.code:
        place.code = code
        changed.append("code")
    if changed:
        place.save(update_fields=changed)
    return place


class CountryCache:
    """get_or_create_country once per distinct name, for importers that meet a country on
    every row."""

    def __init__(self):
        self._places: dict[str, Place] = {}

    def get(self, name: str, code: str = "") -> Place:
        canonical = canonical_country_name(name)
        if canonical not in self._places:
            self._places[canonical] = get_or_create_country(canonical, code)
        return self._places[canonical]


# Deeper admin levels win: a point in a chiefdom is placed in the chiefdom, not the country.
AREA_DEPTH = {Place.Kind.COUNTRY: 0, Place.Kind.ADM1: 1, Place.Kind.ADM2: 2, Place.Kind.ADM3: 3}


class PointLocator:
    """Finds the deepest admin area containing a point among the areas with a geometry.

    Loads the areas once and indexes them in an STRtree, so placing thousands of points
    costs a few milliseconds each and no queries.
    """

    def __init__(self, areas=None):
        if areas is None:
            areas = Place.objects.filter(kind__in=Place.AREA_KINDS, geometry__isnull=False).only(
                "id", "kind", "name", "country_id", "geometry"
            )
        self.areas: list[Place] = []
        geometries = []
        for area in areas:
            try:
                geometry = shape(area.geometry)
            except (ValueError, TypeError, AttributeError, KeyError):
                continue  # an unreadable stored geometry just never matches
            self.areas.append(area)
            geometries.append(geometry)
        self.tree = STRtree(geometries) if geometries else None
        self.geometries = geometries

    def __bool__(self) -> bool:
        return self.tree is not None

    def locate(self, latitude: float, longitude: float) -> Place | None:
        """The deepest area containing the point, or None outside every loaded area."""
        if self.tree is None:
            return None
        point = Point(longitude, latitude)
        hits = [self.areas[i] for i in self.tree.query(point, predicate="intersects")]
        if not hits:
            return None
        return max(hits, key=lambda area: AREA_DEPTH[area.kind])

    def country_id_of(self, area: Place) -> int:
        return area.pk if area.kind == Place.Kind.COUNTRY else area.country_id


def point_fields(latitude: float, longitude: float) -> dict:
    """Place columns derived from a point (bulk_create skips Place.save, which sets these)."""
    return {"latitude": latitude, "longitude": longitude, "priogrid_gid": priogrid_gid(latitude, longitude)}
