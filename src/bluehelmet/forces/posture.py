"""Units, bases and postings derived from the Geo-PKO deployment maps, and the posture
(which unit is where) on a given day.

Geo-PKO lists, per map, each site's contributing countries and their troops: one
country's troops at one site are taken as one contingent ("Nigeria contingent, Lungi").
The unit type comes from the v2.3 troop-type file where the site had a single type that
year; otherwise it stays "not known" rather than guessed.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q, QuerySet

from bluehelmet.core.access import mission_scope
from bluehelmet.core.models import Mission, Sharing
from bluehelmet.datasets.models import Deployment, DeploymentContribution, SiteYear

from .models import Base, Unit, UnitKind, UnitPosting

GEOPKO_SOURCE = "Geo-PKO v1.2 deployment maps"
# SiteYear columns (Geo-PKO v2.3 ttmap) -> unit type; any value above zero means present.
TROOP_TYPE_FIELDS = {
    "infantry_units": UnitKind.INFANTRY,
    "engineering_units": UnitKind.ENGINEERING,
    "medical_units": UnitKind.MEDICAL,
    "signals_units": UnitKind.SIGNALS,
    "aviation_units": UnitKind.AVIATION,
    "riverine_units": UnitKind.RIVERINE,
    "maintenance_units": UnitKind.LOGISTICS,
    "transport_units": UnitKind.LOGISTICS,
}


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def site_unit_type(site_year: SiteYear | None) -> str:
    """The unit type at a site in a year when Geo-PKO shows exactly one, else "unknown"."""
    if site_year is None:
        return UnitKind.UNKNOWN
    kinds = {kind for field, kind in TROOP_TYPE_FIELDS.items() if (getattr(site_year, field) or 0) > 0}
    return kinds.pop() if len(kinds) == 1 else UnitKind.UNKNOWN


def base_kind(headquarters: int | None) -> str:
    if headquarters == 3:
        return Base.Kind.MISSION_HQ
    if headquarters in (1, 2):
        return Base.Kind.SECTOR_HQ
    return Base.Kind.BASE


def _runs(months_present: list[datetime.date], map_months: list[datetime.date]) -> list[list[datetime.date]]:
    """Consecutive map months (consecutive maps, not calendar months) in which a unit appears."""
    position = {month: k for k, month in enumerate(map_months)}
    runs: list[list[datetime.date]] = []
    for month in sorted(months_present):
        if runs and position[month] == position[runs[-1][-1]] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return runs


@dataclass
class DerivedCounts:
    bases: int = 0
    units: int = 0
    postings: int = 0


@transaction.atomic
def derive_units_from_geopko(mission: Mission) -> DerivedCounts:
    """Create or refresh the mission's bases, contingents and their postings from its
    Geo-PKO deployments. Idempotent: units and bases are matched by name and place, and
    the Geo-PKO postings are replaced; records entered by hand are left alone."""
    counts = DerivedCounts()
    deployments = list(Deployment.objects.filter(mission=mission).select_related("site"))
    if not deployments:
        return counts
    map_months = sorted({d.month for d in deployments})
    latest = map_months[-1]
    # What the last map shows lasts until the mission ends (open while it goes on).
    last_end = month_end(mission.end) if mission.end else None

    site_months, site_hq, sites = defaultdict(set), defaultdict(int), {}
    police, observers = defaultdict(set), defaultdict(set)
    for d in deployments:
        if d.site.latitude is None:
            continue
        sites[d.site_id] = d.site
        site_months[d.site_id].add(d.month)
        site_hq[d.site_id] = max(site_hq[d.site_id], d.headquarters or 0)
        if d.police:
            police[d.site_id].add(d.month)
        if d.observers:
            observers[d.site_id].add(d.month)
    bases = {}
    for site_id, months in site_months.items():
        last = max(months)
        bases[site_id], _created = Base.objects.update_or_create(
            mission=mission,
            place_id=site_id,
            defaults={
                "kind": base_kind(site_hq[site_id]),
                "opened": min(months),
                "closed": last_end if last == latest else month_end(last),
                "source": GEOPKO_SOURCE,
                "sharing": Sharing.PUBLIC,
            },
        )
    counts.bases = len(bases)

    # Troops per (site, country, month): the largest figure when a map lists a site twice.
    troops: dict[tuple, dict[datetime.date, int | None]] = defaultdict(dict)
    country_names = {}
    for c in DeploymentContribution.objects.filter(deployment__mission=mission).values(
        "deployment__site_id", "deployment__month", "country_id", "country__name", "troops"
    ):
        key = (c["deployment__site_id"], c["country_id"])
        if key[0] not in bases:
            continue
        country_names[c["country_id"]] = c["country__name"]
        month, value = c["deployment__month"], c["troops"]
        known = troops[key].get(month)
        troops[key][month] = value if known is None else max(known, value or 0)
    site_years = {(s.site_id, s.year): s for s in SiteYear.objects.filter(mission=mission)}

    specs = []  # (name, kind, country_id, site_id, months -> troops)
    for (site_id, country_id), by_month in troops.items():
        last = max(by_month)
        name = f"{country_names[country_id]} contingent, {sites[site_id].name}"
        specs.append((name, site_unit_type(site_years.get((site_id, last.year))), country_id, site_id, by_month))
    for site_id, months in police.items():
        specs.append((f"UN police, {sites[site_id].name}", UnitKind.POLICE, None, site_id, dict.fromkeys(months)))
    for site_id, months in observers.items():
        specs.append(
            (f"Military observers, {sites[site_id].name}", UnitKind.OBSERVERS, None, site_id, dict.fromkeys(months))
        )

    for name, kind, country_id, site_id, by_month in specs:
        last = max(by_month)
        unit, _created = Unit.objects.update_or_create(
            mission=mission,
            name=name,
            defaults={
                "kind": kind,
                "country_id": country_id,
                "actual_strength": by_month[last],
                "source": GEOPKO_SOURCE,
                "sharing": Sharing.PUBLIC,
            },
        )
        unit.postings.filter(source=GEOPKO_SOURCE).delete()
        postings = [
            UnitPosting(
                unit=unit,
                base=bases[site_id],
                start=run[0],
                end=last_end if run[-1] == latest else month_end(run[-1]),
                troops=by_month[run[-1]],
                source=GEOPKO_SOURCE,
            )
            for run in _runs(list(by_month), map_months)
        ]
        UnitPosting.objects.bulk_create(postings)
        counts.units += 1
        counts.postings += len(postings)
    return counts


def units_for(user, mission: Mission) -> QuerySet[Unit]:
    return Unit.objects.filter(mission_scope(user), mission=mission)


def bases_for(user, mission: Mission) -> QuerySet[Base]:
    return Base.objects.filter(mission_scope(user), mission=mission)


def postings_on(units: QuerySet[Unit], day: datetime.date) -> QuerySet[UnitPosting]:
    """The postings of these units that were running on `day`."""
    return UnitPosting.objects.filter(unit__in=units, start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))


def posture_date(mission: Mission) -> datetime.date | None:
    """The day "today's posture" is read on: the latest recorded change (a posting's start
    or end), or today if that is later. Geo-PKO maps stop in 2018, so a mission whose
    postings come from them is shown as its last map left it, on that map's date."""
    postings = UnitPosting.objects.filter(unit__mission=mission)
    latest = [day for day in postings.aggregate(start=Max("start"), end=Max("end")).values() if day is not None]
    if not latest:
        return None
    return min(max(latest), datetime.date.today())


def current_posture(units: QuerySet[Unit], day: datetime.date) -> dict[int, UnitPosting]:
    """unit id -> the posting it was on on `day` (the latest started, if several)."""
    posture = {}
    for posting in postings_on(units, day).select_related("base__place").order_by("start"):
        posture[posting.unit_id] = posting
    return posture
