"""Published datasets as incidents: UCDP GED and ACLED exports (the user brings the file).

Each event in the mission's host countries becomes an incident marked external and verified
by its source (status verified, one source of kind "published dataset" graded B2), keyed by
(mission, dataset, event id), so importing the same file again changes nothing and a
corrected file updates its incidents. Imported events are history: they are flagged against
monitored zones and proposed as duplicates of nothing, and fire no alerts.

Both kinds take the options `mission` (acronym) and `imported_by` (a user id): the import
page of the mission's incidents passes both, so only that mission's analysts import into it.

An incident's place is the deepest admin area containing its point; where the point lies in
none (GED and ACLED points on a border or river), the admin 1 area the file names (`adm_1`,
`admin1`), matched as importers.places matches names; a name matching nothing waits on the
place matching page and leaves the incident without a place.
"""

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bluehelmet.analytics.geo import priogrid_gid
from bluehelmet.core import gate
from bluehelmet.core.models import Mission, Organization, Place, Sharing
from bluehelmet.core.places import canonical_country_name
from bluehelmet.datasets.importers.ged import GedImporter
from bluehelmet.importers.base import CsvImporter, Row, upsert
from bluehelmet.importers.lookups import organizations_by_key
from bluehelmet.importers.places import PlaceResolver

from ..ceasefires import ZoneIndex
from ..locating import mission_locator
from ..models import Casualty, Incident, IncidentHistory, IncidentType, Source
from ..taxonomy import seed_types

# Deterministic client ids: the same event of the same mission always gets the same one.
CLIENT_ID_NAMESPACE = uuid.UUID("6f1c64d2-5b4e-4c0e-9f7c-3d7c1b1e2a10")
UPDATED_FIELDS = [
    "type_id",
    "occurred_at",
    "date_precision",
    "latitude",
    "longitude",
    "location_precision",
    "place_id",
    "location_description",
    "priogrid_gid",
    "narrative",
    "killed",
]
GED_TYPES = {1: "armed-clash", 2: "armed-clash", 3: "attack-on-civilians"}
GED_DATE_PRECISION = {1: "day", 2: "week", 3: "week", 4: "month", 5: "month"}


class ExternalIncidentImporter:
    """What GED and ACLED incident imports share: the mission check and the writing."""

    option_names = ("mission", "imported_by")
    dataset = ""

    def target_mission(self) -> Mission:
        if not hasattr(self, "_mission"):
            mission = Mission.objects.filter(acronym=self.options.get("mission", "")).first()
            user = get_user_model().objects.filter(pk=self.options.get("imported_by") or None).first()
            if mission is None or user is None:
                raise self.file_error(
                    _("incidents are imported from a mission's Incidents page (Import), which names the mission")
                )
            if not gate.access(user, mission).can("incidents.analyse"):
                raise self.file_error(_("only the mission's administrators and analysts import its incidents"))
            self._mission, self._user = mission, user
            self._hosts = {c.name for c in mission.host_countries.all()}
        return self._mission

    def in_mission(self, country: str) -> bool:
        self.target_mission()
        if canonical_country_name(country) in self._hosts:
            return True
        self.summary.count("rows outside the mission's host countries (skipped)")
        return False

    def write_incidents(self, records, actor_ids: dict[str, int]) -> None:
        mission = self.target_mission()
        seed_types(mission)
        types = dict(IncidentType.objects.filter(mission=mission).values_list("code", "pk"))
        locator, zones = mission_locator(mission), ZoneIndex(mission)
        names = PlaceResolver(mission.host_countries.all(), source=self.kind, file_name=self.path.name)
        rows, extras = [], {}
        for record in records:
            area = locator.locate(record["latitude"], record["longitude"]) if locator else None
            place_id = area.pk if area else None
            if place_id is None and locator and record.get("adm_1"):
                place_id = names.resolve(record["row"], Place.Kind.ADM1, name=record["adm_1"], column="adm_1")
            key = record["external_id"]
            rows.append(
                {
                    "mission_id": mission.pk,
                    "client_id": uuid.uuid5(CLIENT_ID_NAMESPACE, f"{mission.pk}:{self.dataset}:{key}"),
                    "type_id": types[record["type"]],
                    "status": Incident.Status.VERIFIED,
                    "occurred_at": record["occurred_at"],
                    "date_precision": record["date_precision"],
                    "latitude": record["latitude"],
                    "longitude": record["longitude"],
                    "location_precision": record["location_precision"],
                    "place_id": place_id,
                    "location_description": record["where"][:300],
                    "priogrid_gid": priogrid_gid(record["latitude"], record["longitude"]),
                    "narrative": record["narrative"] or "-",
                    "killed": sum(n for _kind, _group, n in record["casualties"]),
                    "sharing": Sharing.PUBLIC,
                    "external": True,
                    "source_dataset": self.dataset,
                    "external_id": key,
                    "reported_by_id": self._user.pk,
                }
            )
            extras[key] = record
        existing = Incident.objects.filter(
            mission=mission, external=True, source_dataset=self.dataset, external_id__in=list(extras)
        )
        if names.unknown:
            names.save_unknown()
            self.warn(
                _("%(n)d admin 1 name(s) match no admin area (%(names)s): match them on the place matching page")
                % {"n": len(names.unknown), "names": ", ".join(sorted(u.name for u in names.unknown.values()))}
            )
        result = upsert(Incident, ("external_id",), rows, UPDATED_FIELDS, existing=existing, summary=self.summary)
        created = {key: result.pks[(key,)] for (key,) in result.created}
        self._write_related(created, extras, actor_ids, zones)

    def _write_related(
        self, created: dict[str, int], extras: dict, actor_ids: dict[str, int], zones: ZoneIndex
    ) -> None:
        casualties, sources, history, perpetrators, targets, in_zones = [], [], [], [], [], []
        for key, pk in created.items():
            record = extras[key]
            casualties += [
                Casualty(incident_id=pk, kind="killed", group=group, count=n)
                for _kind, group, n in record["casualties"]
                if n
            ]
            sources.append(
                Source(
                    incident_id=pk,
                    first_incident_id=pk,
                    kind=Source.Kind.DATASET,
                    reliability="B",
                    credibility=2,
                    description=f"{self.dataset} {key}: {record['source']}"[:300],
                    added_by=self._user,
                )
            )
            history.append(
                IncidentHistory(
                    mission_id=self._mission.pk,
                    incident_id=pk,
                    user=self._user,
                    action="imported",
                    after={"dataset": self.dataset, "id": key, "file": self.path.name},
                )
            )
            perpetrators += [(pk, actor_ids[a]) for a in record["perpetrators"] if a in actor_ids]
            targets += [(pk, actor_ids[a]) for a in record["targets"] if a in actor_ids]
            hits = zones.containing(record["latitude"], record["longitude"], record["occurred_at"].date())
            in_zones += [(pk, zone) for zone in hits]
        Casualty.objects.bulk_create(casualties, batch_size=2000)
        Source.objects.bulk_create(sources, batch_size=2000)
        IncidentHistory.objects.bulk_create(history, batch_size=2000)
        Incident.perpetrators.through.objects.bulk_create(
            [Incident.perpetrators.through(incident_id=i, organization_id=o) for i, o in set(perpetrators)],
            batch_size=2000,
        )
        Incident.targets.through.objects.bulk_create(
            [Incident.targets.through(incident_id=i, organization_id=o) for i, o in set(targets)], batch_size=2000
        )
        if in_zones:
            Incident.zones.through.objects.bulk_create(
                [Incident.zones.through(incident_id=i, monitoredzone_id=z.pk) for i, z in in_zones]
            )
            for pk, zone in in_zones:
                Incident.objects.filter(pk=pk, agreement__isnull=True).update(agreement=zone.agreement)
            Incident.objects.filter(pk__in={pk for pk, _zone in in_zones}).update(in_zone=True)
            self.summary.count("incidents inside monitored zones", len({pk for pk, _zone in in_zones}))


def _at_noon(day: datetime.date) -> datetime.datetime:
    """Datasets give days, not times: noon UTC keeps the day whatever the viewer's zone."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


class GedIncidentImporter(ExternalIncidentImporter, GedImporter):
    """A UCDP GED CSV as incidents of one mission (its host countries' events)."""

    kind = "incidents-ged"
    label = gettext_lazy("UCDP GED events as a mission's incidents (CSV)")
    dataset = "UCDP GED"
    keep_records = True
    single_pass = False  # a mission's share of the file, written as incidents by write()

    def parse(self, row: Row) -> dict | None:
        event = super().parse(row)
        if event is None or not self.in_mission(event["country_name"]):
            return None
        side_b_civilians = event["side_b_name"] == "Civilians"
        return {
            "external_id": str(event["ged_id"]),
            "type": GED_TYPES[event["type_of_violence"]],
            "occurred_at": _at_noon(event["date_start"]),
            "date_precision": GED_DATE_PRECISION.get(event["date_prec"], "day"),
            "latitude": event["latitude"],
            "longitude": event["longitude"],
            "location_precision": min(event["where_prec"] or 1, 6),
            "where": event["where_description"] or event["adm_2"] or event["adm_1"],
            "adm_1": event["adm_1"],
            "row": event["row"],
            "narrative": f"{event['dyad_name'] or event['conflict_name']}. {event['source_headline']}".strip(),
            "source": event["source_article"],
            "perpetrators": [event["side_a_key"]] if event["side_a_key"] else [],
            "targets": [event["side_b_key"]] if event["side_b_key"] else [],
            "casualties": [
                ("killed", "civilian", event["deaths_civilians"]),
                ("killed", "civilian" if side_b_civilians else "combatant", event["deaths_a"] + event["deaths_b"]),
                ("killed", "unknown", event["deaths_unknown"]),
            ],
        }

    def write(self, records) -> None:
        self.write_incidents(records, organizations_by_key(self.actors, self.summary))


ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)
ACLED_SUB_TYPES = {
    "Sexual violence": "crsv",
    "Abduction/forced disappearance": "abduction",
    "Remote explosive/landmine/IED": "explosive-hazard",
}
ACLED_TYPES = {
    "Battles": "armed-clash",
    "Violence against civilians": "attack-on-civilians",
    "Explosions/Remote violence": "armed-clash",
    "Riots": "demonstration-riot",
    "Protests": "demonstration-riot",
}
ACLED_SKIPPED = "Strategic developments"
ACLED_LOCATION_PRECISION = {1: 1, 2: 2, 3: 4}
ACLED_TIME_PRECISION = {1: "day", 2: "week", 3: "month"}


def acled_actor_kind(name: str) -> str:
    if name.startswith(("Military Forces of", "Police Forces of", "Government of")):
        return Organization.Kind.GOVERNMENT
    if name.startswith(("Protesters", "Rioters")):
        return Organization.Kind.OTHER
    return Organization.Kind.ARMED_GROUP


class AcledIncidentImporter(ExternalIncidentImporter, CsvImporter):
    """An ACLED export (CSV, the standard columns) as incidents of one mission.
    "Strategic developments" are not incidents and are skipped (counted)."""

    kind = "incidents-acled"
    label = gettext_lazy("ACLED export as a mission's incidents (CSV)")
    dataset = "ACLED"
    required_columns = ACLED_COLUMNS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.actors: dict[str, tuple[str, str]] = {}
        self.ids_seen: dict[str, int] = {}

    def parse(self, row: Row) -> dict | None:
        event_id = row.text("event_id_cnty", 100, required=True)
        day = self._date(row)
        event_type, sub_type = row.text("event_type", required=True), row.text("sub_event_type")
        latitude, longitude = row.latitude("latitude"), row.longitude("longitude")
        fatalities = row.int("fatalities", minimum=0) or 0
        geo = row.int("geo_precision", minimum=1, maximum=3) or 1
        time_precision = row.int("time_precision", minimum=1, maximum=3) if "time_precision" in row.index else 1
        if event_type and event_type != ACLED_SKIPPED and event_type not in ACLED_TYPES:
            row.error("event_type", event_type, _("not an ACLED event type"))
        if event_id and not self._writing:
            first = self.ids_seen.setdefault(event_id, row.number)
            if first != row.number:
                row.error("event_id_cnty", event_id, _("duplicate id: also on row %(row)d") % {"row": first})
        if row.failed or not self.in_mission(row.text("country")):
            return None
        if event_type == ACLED_SKIPPED:
            self.summary.count("strategic developments (not incidents, skipped)")
            return None
        actors = [self._actor(row.text("actor1")), self._actor(row.text("actor2"))]
        civilians = event_type == "Violence against civilians" or row.text("actor2").startswith("Civilians")
        return {
            "external_id": event_id,
            "type": ACLED_SUB_TYPES.get(sub_type) or ACLED_TYPES[event_type],
            "occurred_at": _at_noon(day),
            "date_precision": ACLED_TIME_PRECISION.get(time_precision or 1, "day"),
            "latitude": latitude,
            "longitude": longitude,
            "location_precision": ACLED_LOCATION_PRECISION[geo],
            "where": ", ".join(filter(None, [row.text("location"), row.text("admin1")])),
            "adm_1": row.text("admin1"),
            "row": row.number,
            "narrative": row.text("notes"),
            "source": row.text("source"),
            "perpetrators": [a for a in actors[:1] if a],
            "targets": [a for a in actors[1:] if a],
            "casualties": [("killed", "civilian" if civilians else "unknown", fatalities)],
        }

    @staticmethod
    def _date_of(text: str) -> datetime.date:
        for pattern in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y"):
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(text)

    def _date(self, row: Row) -> datetime.date | None:
        text = row.text("event_date", required=True)
        if not text:
            return None
        try:
            return self._date_of(text)
        except ValueError:
            row.error("event_date", text, _("not a date (expected YYYY-MM-DD or 15 March 2021)"))
            return None

    def _actor(self, name: str) -> str | None:
        if not name or name.startswith("Civilians"):
            return None
        key = f"acled:{name}"[:255]
        self.actors[key] = (name[:300], acled_actor_kind(name))
        return key

    def write(self, records) -> None:
        self.write_incidents(records, organizations_by_key(self.actors, self.summary))
