"""Get-or-create in bulk for what many files refer to: missions, organizations, sites.
Each runs a fixed number of queries however many rows refer to it."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from bluehelmet.core.models import Mission, Organization, Place
from bluehelmet.core.places import CountryCache, PointLocator, point_fields, repair_mojibake, site_key

from .base import ImportSummary, upsert


def missions_by_acronym(acronyms, summary: ImportSummary) -> dict[str, int]:
    """Mission ids by acronym; a mission not yet known is created with its acronym as its
    name (importing the UN mission list later fills in the name and dates)."""
    acronyms = set(acronyms)
    found = dict(Mission.objects.filter(acronym__in=acronyms).values_list("acronym", "pk"))
    missing = sorted(acronyms - set(found))
    if missing:
        Mission.objects.bulk_create([Mission(acronym=a, name=a) for a in missing])
        found.update(Mission.objects.filter(acronym__in=missing).values_list("acronym", "pk"))
        summary.count("missions created", len(missing))
    return found


def organizations_by_key(organizations: dict[str, tuple[str, str]], summary: ImportSummary) -> dict[str, int]:
    """Organization ids by key, from key -> (name, kind); names and kinds are brought up to
    date with the file."""
    records = [{"key": key, "name": name, "kind": kind} for key, (name, kind) in organizations.items()]
    pks = upsert(
        Organization,
        ("key",),
        records,
        ["name", "kind"],
        existing=Organization.objects.filter(key__in=organizations),
        summary=summary,
        label="organizations",
    )
    return {key: pk for (key,), pk in pks.pks.items()}


def member_state_key(name: str) -> str:
    return f"state:{name}"


@dataclass
class SiteSpec:
    name: str
    latitude: float
    longitude: float
    country: str = ""
    seen: tuple = ()  # when the file saw the site with this country: the latest one wins
    mission_id: int | None = None


class SiteSet:
    """The point sites of one file. Each site gets as parent the deepest loaded admin area
    containing it, and that area's country; outside every loaded area (or before any
    boundaries are imported) the country the file names, else the mission's only host
    country. Existing sites are moved when that answer changes (e.g. once boundaries are
    loaded), never to a less precise one."""

    def __init__(self):
        self.specs: dict[str, SiteSpec] = {}

    def add(self, name: str, latitude: float, longitude: float, country: str = "", seen: tuple = ()) -> str:
        name = repair_mojibake(name)
        key = site_key(name, latitude, longitude)
        spec = self.specs.get(key)
        if spec is None:
            self.specs[key] = SiteSpec(name.strip(), latitude, longitude, country, seen)
        elif country and (not spec.country or seen >= spec.seen):
            spec.country, spec.seen = country, seen
        return key

    def save(
        self,
        summary: ImportSummary,
        mission_ids: dict[str, int] | None = None,
        site_missions: dict[str, str] | None = None,
    ) -> dict[str, int]:
        """Create or update the sites; returns site key -> place id. `site_missions` maps a
        site key to a mission acronym, for the host-country fallback."""
        locator = PointLocator()
        countries = CountryCache()
        host_country = self._single_host_countries(mission_ids or {})
        existing = {
            row["key"]: row for row in Place.objects.filter(key__in=self.specs).values("key", "parent_id", "country_id")
        }
        records = []
        for key, spec in self.specs.items():
            area = locator.locate(spec.latitude, spec.longitude) if locator else None
            if area is not None:
                parent_id, country_id = area.pk, locator.country_id_of(area)
            elif spec.country:
                parent_id = country_id = countries.get(spec.country).pk
            else:
                # A guess from the mission: only for a new site, never over what a site has.
                old = existing.get(key)
                if old is not None:
                    parent_id, country_id = old["parent_id"], old["country_id"]
                else:
                    parent_id = country_id = host_country.get((site_missions or {}).get(key))
            records.append(
                {
                    "key": key,
                    "kind": Place.Kind.SITE,
                    "name": spec.name,
                    "parent_id": parent_id,
                    "country_id": country_id,
                    **point_fields(spec.latitude, spec.longitude),
                }
            )
        pks = upsert(
            Place,
            ("key",),
            records,
            ["parent_id", "country_id"],
            existing=Place.objects.filter(key__in=self.specs),
            summary=summary,
            label="sites",
        )
        without_country = sum(1 for r in records if r["country_id"] is None)
        if without_country:
            summary.warnings.append(
                _("%(n)d site(s) have no country: import boundaries or the mission list first") % {"n": without_country}
            )
        return {key: pk for (key,), pk in pks.pks.items()}

    @staticmethod
    def _single_host_countries(mission_ids: dict[str, int]) -> dict[str, int]:
        hosts: dict[int, list[int]] = {}
        through = Mission.host_countries.through.objects.filter(mission_id__in=mission_ids.values())
        for mission_id, place_id in through.values_list("mission_id", "place_id"):
            hosts.setdefault(mission_id, []).append(place_id)
        by_id = {pk: acronym for acronym, pk in mission_ids.items()}
        return {by_id[mission_id]: places[0] for mission_id, places in hosts.items() if len(places) == 1}
