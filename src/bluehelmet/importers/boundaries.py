"""Admin boundaries from GeoJSON -> Place areas with geometry, bounding box and centroid.

A feature's level comes from `--level`, else its `level` property (ADM0 ... ADM3), else
ADM3 when it names a `district` (the chiefdom file: its parent is the ADM2 district of
that name). Other areas get as parent the deepest area of a higher level containing them,
else the country. The country is `--country`, else the ADM0 feature's name, else (for a
district-linked file) the country those districts are already in.

OCHA common operational datasets (COD-AB) are read as they are published: the name and
P-code of a feature are those of its deepest `adminNName`/`adminNPcod` pair (`admin2Name`,
`admin2Pcod` for a sub-prefecture), which also gives its level; the country is
`admin0Name`, and the parent is the area whose P-code is `admin(N-1)Pcod` (so ADM2 files
nest in the ADM1 file imported before them). Other files may give `pcode`. A P-code is
unique within a file and, once stored, identifies the area: re-importing a file whose area
was renamed updates that place rather than adding a second one.

Keys: "country:<name>" for ADM0, "adm1:<country>:<name>" and so on. In the errors, "row"
is the feature's number, counting from 1. Existing sites inside the imported areas are
re-placed in the deepest area that now contains them.

Each area keeps its full geometry (for point-in-polygon) and a simplified `outline` for the
maps (Douglas-Peucker at OUTLINE_TOLERANCE degrees, topology kept, coordinates rounded to
about a metre): the OCHA files are megabytes a country at full resolution.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.geometry import mapping, shape

from bluehelmet.analytics.geo import priogrid_gid
from bluehelmet.core import mission_cache
from bluehelmet.core.models import Place
from bluehelmet.core.names import search_names_for
from bluehelmet.core.places import PointLocator, canonical_country_name, get_or_create_country

from .base import GeoJsonImporter, update_rows, upsert

LEVELS = {"ADM0": Place.Kind.COUNTRY, "ADM1": Place.Kind.ADM1, "ADM2": Place.Kind.ADM2, "ADM3": Place.Kind.ADM3}
AREA_FIELDS = [
    "kind",
    "name",
    "code",
    "pcode",
    "geometry",
    "outline",
    "latitude",
    "longitude",
    "priogrid_gid",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
    "parent_id",
    "country_id",
    "search_names",
]
# About 500 m at the equator: invisible at the zoom of a country map, a tenth of the bytes.
OUTLINE_TOLERANCE = 0.005
OUTLINE_DECIMALS = 5
PCODE_MAX_LENGTH = Place._meta.get_field("pcode").max_length


def ocha_fields(properties: dict) -> tuple[str, str, str, str]:
    """(level, name, P-code, parent P-code) from OCHA COD-AB attributes, for the deepest
    admin level the feature names; empty strings when it is not such a feature."""
    for depth in (3, 2, 1, 0):
        name = str(properties.get(f"admin{depth}Name") or "").strip()
        if name:
            pcode = str(properties.get(f"admin{depth}Pcod") or "").strip()
            parent = str(properties.get(f"admin{depth - 1}Pcod") or "").strip() if depth else ""
            return f"ADM{depth}", name, pcode, parent
    return "", "", "", ""


def outline_of(geometry) -> dict:
    """The simplified GeoJSON a browser draws for a full-resolution shapely geometry."""
    simplified = geometry.simplify(OUTLINE_TOLERANCE, preserve_topology=True)
    if simplified.is_empty:
        simplified = geometry
    return _rounded(mapping(simplified))


def _rounded(value):
    if isinstance(value, float):
        return round(value, OUTLINE_DECIMALS)
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


class BoundaryImporter(GeoJsonImporter):
    kind = "boundaries"
    label = gettext_lazy("Admin boundaries (GeoJSON)")
    option_names = ("country", "level")

    def records(self):
        level_option = str(self.options.get("level", "")).upper()
        if level_option and level_option not in LEVELS:
            raise self.file_error(
                _("unknown level %(level)s: use ADM0, ADM1, ADM2 or ADM3") % {"level": level_option}, level_option
            )
        seen: dict[tuple, int] = {}
        pcodes: dict[str, int] = {}
        for number, feature in enumerate(self.load_features(), start=1):
            self.rows_read += 1
            self.advance(self.rows_read)
            area = self._parse_feature(number, feature, level_option)
            if area is None:
                continue
            first = seen.setdefault((area["level"], area["name"]), number)
            if first != number:
                self.errors.add(
                    number,
                    "name",
                    area["name"],
                    _("%(level)s %(name)s also on feature %(row)d")
                    % {"level": area["level"], "name": area["name"], "row": first},
                )
                continue
            if area["pcode"]:
                first = pcodes.setdefault(area["pcode"].casefold(), number)
                if first != number:
                    self.errors.add(
                        number,
                        "pcode",
                        area["pcode"],
                        _("P-code also on feature %(row)d: each area has its own") % {"row": first},
                    )
                    continue
            yield area

    def _parse_feature(self, number: int, feature, level_option: str) -> dict | None:
        errors_before = self.errors.total
        properties = feature.get("properties") or {} if isinstance(feature, dict) else {}
        ocha_level, ocha_name, ocha_pcode, parent_pcode = ocha_fields(properties)
        name = str(properties.get("name") or properties.get("shapeName") or ocha_name).strip()
        pcode = str(properties.get("pcode") or ocha_pcode).strip()
        if len(pcode) > PCODE_MAX_LENGTH:
            self.errors.add(number, "pcode", pcode, _("longer than %(n)d characters") % {"n": PCODE_MAX_LENGTH})
        if not name:
            self.errors.add(number, "name", "", _("a name is required"))
        elif len(name) > 200:
            self.errors.add(number, "name", name, _("longer than 200 characters"))
        district = str(properties.get("district") or "").strip()
        level = (
            level_option
            or str(properties.get("level") or properties.get("shapeType") or "").upper()
            or ocha_level
            or ("ADM3" if district else "")
        )
        if level not in LEVELS:
            self.errors.add(number, "level", level, _("level must be ADM0, ADM1, ADM2 or ADM3 (or pass --level)"))
        try:
            geometry = shape(feature["geometry"])
            if geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon"):
                raise ValueError(_("not a polygon"))
            min_lon, min_lat, max_lon, max_lat = geometry.bounds
            if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
                raise ValueError(_("coordinates out of range (longitude, latitude order?)"))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self.errors.add(number, "geometry", "", _("not a usable polygon: %(error)s") % {"error": exc})
            return None
        if self.errors.total > errors_before:
            return None
        centroid = geometry.centroid
        return {
            "number": number,
            "level": level,
            "name": name,
            "district": district,
            "geometry": feature["geometry"],
            "code": str(properties.get("code") or properties.get("shapeID") or pcode)[:50],
            "pcode": pcode,
            "parent_pcode": parent_pcode,
            "country_property": str(properties.get("admin0Name") or "").strip(),
            "outline": outline_of(geometry),
            "latitude": centroid.y,
            "longitude": centroid.x,
            "priogrid_gid": priogrid_gid(centroid.y, centroid.x),
            "min_lon": min_lon,
            "min_lat": min_lat,
            "max_lon": max_lon,
            "max_lat": max_lat,
            "representative": geometry.representative_point(),
        }

    def check_all(self) -> None:
        areas = self.kept
        countries = [a for a in areas if a["level"] == "ADM0"]
        if len(countries) > 1:
            self.errors.add(None, "level", "ADM0", _("more than one ADM0 feature: import one country per file"))
            return
        if "country" in self.options:
            self.country_name = canonical_country_name(self.options["country"])
        elif countries:
            self.country_name = canonical_country_name(countries[0]["name"])
        elif named := {a["country_property"] for a in areas if a["country_property"]}:
            if len(named) > 1:
                self.errors.add(
                    None,
                    "admin0Name",
                    ", ".join(sorted(named)),
                    _("more than one country: import one country per file"),
                )
                return
            self.country_name = canonical_country_name(named.pop())
        else:
            self.country_name = self._country_of_districts({a["district"] for a in areas if a["district"]})
            if not self.country_name:
                self.errors.add(None, "", "", _("no ADM0 feature to name the country: give the country (--country)"))
                return
        district_names = {a["name"] for a in areas if a["level"] == "ADM2"} | set(
            Place.objects.filter(kind=Place.Kind.ADM2, country__key=f"country:{self.country_name}").values_list(
                "name", flat=True
            )
        )
        for area in areas:
            if area["district"] and area["district"] not in district_names:
                self.errors.add(
                    area["number"],
                    "district",
                    area["district"],
                    _("no ADM2 district of this name in %(country)s: import the districts first")
                    % {"country": self.country_name},
                )

    @staticmethod
    def _country_of_districts(districts: set[str]) -> str:
        if not districts:
            return ""
        keys = set(
            Place.objects.filter(kind=Place.Kind.ADM2, name__in=districts).values_list("country__name", flat=True)
        )
        return keys.pop() if len(keys) == 1 else ""

    def write(self, areas: list[dict]) -> None:
        country_existed = Place.objects.filter(key=f"country:{self.country_name}").exists()
        country = get_or_create_country(self.country_name)
        by_level = {level: [a for a in areas if a["level"] == level] for level in LEVELS}
        for adm0 in by_level["ADM0"]:
            adm0.update(name=self.country_name, code=adm0["code"] or country.code)
            upsert(
                Place,
                ("key",),
                [self._place(adm0, country.key, None, country.pk)],
                AREA_FIELDS,
                existing=Place.objects.filter(pk=country.pk),
                summary=self.summary,
            )
            if not country_existed:  # made just above, filled in by the upsert: new to the user
                self.summary.updated -= 1
                self.summary.created += 1
        districts = dict(Place.objects.filter(country=country, kind=Place.Kind.ADM2).values_list("name", "pk"))
        for depth, level in enumerate(("ADM1", "ADM2", "ADM3"), start=1):
            by_pcode = {
                pcode: (pk, key)
                for pcode, pk, key in Place.objects.filter(country=country)
                .exclude(pcode="")
                .values_list("pcode", "pk", "key")
            }
            if not by_level[level]:
                continue
            higher = PointLocator(
                Place.objects.filter(country=country, kind__in=[LEVELS[f"ADM{d}"] for d in range(1, depth)])
            )
            records = []
            for area in by_level[level]:
                if area["district"]:
                    parent_id = districts[area["district"]]
                elif area["parent_pcode"] in by_pcode:
                    parent_id = by_pcode[area["parent_pcode"]][0]
                else:
                    point = area["representative"]
                    parent = higher.locate(point.y, point.x) if higher else None
                    parent_id = parent.pk if parent else country.pk
                known = by_pcode.get(area["pcode"]) if area["pcode"] else None
                key = known[1] if known else f"{level.lower()}:{self.country_name}:{area['name']}"
                records.append(self._place(area, key, parent_id, country.pk))
            upsert(
                Place,
                ("key",),
                records,
                AREA_FIELDS,
                existing=Place.objects.filter(key__in=[r["key"] for r in records]),
                summary=self.summary,
            )
            if level == "ADM2":
                districts = dict(Place.objects.filter(country=country, kind=Place.Kind.ADM2).values_list("name", "pk"))
        self.summary.count("sites re-placed", replace_points(country))
        # Written in bulk (no signals): the missions' cached area indexes must be rebuilt.
        mission_cache.changed(mission_cache.hosting_missions([country.pk]))

    @staticmethod
    def _place(area: dict, key: str, parent_id: int | None, country_id: int) -> dict:
        fields = {name: area[name] for name in AREA_FIELDS if name in area}
        fields.update(key=key, kind=LEVELS[area["level"]], parent_id=parent_id, country_id=country_id)
        fields["search_names"] = search_names_for([fields["name"]])
        return fields


def replace_points(country: Place) -> int:
    """Put the point places (sites, bases and the gazetteer's localities) inside the country's
    areas in the deepest area containing them."""
    locator = PointLocator(Place.objects.filter(country=country, kind__in=Place.AREA_KINDS, geometry__isnull=False))
    if not locator:
        return 0
    box = Place.objects.filter(pk=country.pk).values("min_lon", "min_lat", "max_lon", "max_lat").get()
    points = Place.objects.filter(kind__in=(*Place.POINT_KINDS, Place.Kind.LOCALITY), latitude__isnull=False)
    if box["min_lon"] is not None:
        points = points.filter(
            latitude__range=(box["min_lat"], box["max_lat"]), longitude__range=(box["min_lon"], box["max_lon"])
        )
    moved = []
    for point in points.only("pk", "latitude", "longitude", "parent_id", "country_id"):
        area = locator.locate(point.latitude, point.longitude)
        if area is not None and (point.parent_id, point.country_id) != (area.pk, locator.country_id_of(area)):
            moved.append((point.pk, {"parent_id": area.pk, "country_id": locator.country_id_of(area)}))
    update_rows(Place, moved, ["parent_id", "country_id"])
    return len(moved)
