"""The live picture: a mission's incidents as a user may see them, filtered, for the feed,
the map, the heat layer and the `since` polling cursor."""

import datetime
import math

from django.db.models import Max, Min, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language

from bluehelmet.core.access import mission_scope
from bluehelmet.core.freshness import digest, fingerprint_values
from bluehelmet.core.models import Mission
from bluehelmet.core.params import id_list
from bluehelmet.core.sensitivity import sensitivity_scope

from .filters import IncidentFilter
from .models import Incident

FEED_LENGTH = 50
MAP_LIMIT = 2000
# A report saved in a transaction that commits after a poll started carries an updated_at
# before that poll's cursor: every poll looks back this far, and the page replaces rows it
# already shows, so nothing committed late is missed.
CURSOR_OVERLAP = datetime.timedelta(seconds=15)
MAX_SHOWN = 200


def incident_scope(user):
    """A filter keeping the incidents the user may see, in every mission: the mission rule
    (partners: shared reports only) and the TLP label (partners: CLEAR and GREEN; RED: the
    mission's analysts and administrators, and whoever reported it)."""
    return mission_scope(user) & sensitivity_scope(user, author_field="reported_by")


def visible_incidents(user, mission: Mission) -> QuerySet[Incident]:
    """The mission's incidents the user may see: all of them for staff (but RED), those
    marked shared and labelled CLEAR or GREEN for partners."""
    return Incident.objects.filter(incident_scope(user), mission=mission)


def mission_incidents(user, mission: Mission) -> QuerySet[Incident]:
    """The visible incidents less the reports merged into others: the live picture."""
    return visible_incidents(user, mission).filter(merged_into__isnull=True)


def filtered_incidents(user, mission: Mission, params) -> IncidentFilter:
    return IncidentFilter(params, queryset=mission_incidents(user, mission), mission=mission)


def incident_span(incidents: QuerySet[Incident]) -> tuple[datetime.date | None, datetime.date | None]:
    """The days of the first and the last of `incidents` (None, None when there are none),
    for the month axis of a time control."""
    span = incidents.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))

    def day(moment: datetime.datetime | None) -> datetime.date | None:
        return timezone.localtime(moment).date() if moment else None

    return day(span["first"]), day(span["last"])


def within_days(
    incidents: QuerySet[Incident], first: datetime.date | None, last: datetime.date | None
) -> QuerySet[Incident]:
    """The incidents that occurred from day `first` to day `last` (local time), either bound
    optional: a time control's month range."""
    if first is not None:
        incidents = incidents.filter(occurred_at__date__gte=first)
    if last is not None:
        incidents = incidents.filter(occurred_at__date__lte=last)
    return incidents


def with_related(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    return incidents.select_related("type", "place", "agreement").prefetch_related("perpetrators", "targets")


def parse_cursor(text: str | None) -> datetime.datetime | None:
    if not text:
        return None
    try:
        value = parse_datetime(text)
    except ValueError:
        return None
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def changes_since(incidents: QuerySet[Incident], since: datetime.datetime | None) -> tuple[list[Incident], str]:
    """Incidents changed since the cursor (the newest FEED_LENGTH when there is none), and
    the next cursor, taken before the query so nothing saved meanwhile is skipped."""
    cursor = timezone.now()
    if since is None:
        changed = incidents.order_by("-occurred_at", "-id")[:FEED_LENGTH]
    else:
        changed = incidents.filter(updated_at__gte=since - CURSOR_OVERLAP).order_by("-updated_at")[:FEED_LENGTH]
    return list(with_related(changed)), cursor.isoformat()


def parse_ids(text: str | None, limit: int = MAX_SHOWN) -> list[int]:
    """ "12,15,20" -> [12, 15, 20]; what is not a number is left out."""
    return id_list(text, limit)


def no_longer_matching(
    matching: QuerySet[Incident], visible: QuerySet[Incident], since: datetime.datetime, shown: list[int]
) -> list[int]:
    """The incidents a polling page is to drop: those changed since the cursor (within what
    the user sees, merged reports included) and those the page says it shows, that no
    longer match its filters (a new status, a merge, no longer shared, ...)."""
    candidates = set(visible.filter(updated_at__gte=since - CURSOR_OVERLAP).values_list("pk", flat=True)) | set(shown)
    if not candidates:
        return []
    return sorted(candidates - set(matching.filter(pk__in=candidates).values_list("pk", flat=True)))


# The columns a map feature needs, read as plain values: a map holds up to MAP_LIMIT reports
# and is polled by every open map, so no model instance is built for each of them.
MAP_COLUMNS = (
    "pk", "latitude", "longitude", "type__name", "type__code", "status", "occurred_at", "killed", "injured",
    "abducted", "in_zone", "sensitivity", "place__name", "location_description",
)  # fmt: skip


def incident_map(incidents: QuerySet[Incident], acronym: str, limit: int = MAP_LIMIT) -> dict:
    """The most recent incidents as a GeoJSON FeatureCollection, with heat weights
    ([lat, lon, weight]: one per incident plus its casualties, log-damped)."""
    total = incidents.count()
    rows = incidents.order_by("-occurred_at", "-id").values(*MAP_COLUMNS)[:limit]
    status_labels = dict(Incident.Status.choices)
    detail_url = reverse("incidents:detail", args=[acronym, 0]).removesuffix("0/")
    features, heat = [], []
    for row in rows:
        features.append(
            {
                "type": "Feature",
                "id": row["pk"],
                "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                "properties": {
                    "id": row["pk"],
                    "type": row["type__name"],
                    "type_code": row["type__code"],
                    "status": row["status"],
                    "status_label": str(status_labels.get(row["status"], row["status"])),
                    "occurred_at": row["occurred_at"].isoformat(),
                    "killed": row["killed"],
                    "injured": row["injured"],
                    "abducted": row["abducted"],
                    "in_zone": row["in_zone"],
                    "sensitivity": row["sensitivity"],
                    "url": f"{detail_url}{row['pk']}/",
                    "place": row["place__name"] or row["location_description"],
                },
            }
        )
        heat.append([row["latitude"], row["longitude"], heat_weight(row["killed"], row["injured"], row["abducted"])])
    return {"type": "FeatureCollection", "total": total, "truncated": total > limit, "features": features, "heat": heat}


def heat_weight(killed: int, injured: int, abducted: int) -> float:
    return round(1 + math.log1p(killed + injured + abducted), 3)


def picture_etag(request, access) -> str:
    """The ETag of the live feed and the map data: they answer 304 Not Modified to a poll
    when nothing the user may see has changed. It covers the user (an ETag never matches
    for another user, whose labels differ), the mission, the language, the whole request
    (filters, cursor, shown ids) and the state of the incidents the user may see: how many,
    the newest change and the newest id (a new, edited, relabelled, merged or deleted
    report changes one of them: core.freshness). One query."""
    state, _counts = fingerprint_values(access.mission, {"incidents": visible_incidents(request.user, access.mission)})
    return digest(request.user.pk, access.mission.pk, get_language(), request.get_full_path(), sorted(state.items()))
