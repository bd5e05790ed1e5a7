"""UCDP Georeferenced Event Dataset (GED) CSV: the standard 48 columns, one event a row.

Every column maps to a ConflictEvent field. The actors (side_a, side_b) become
organizations keyed by their UCDP id ("ucdp:<side_x_new_id>"): governments when the name
starts with "Government of", armed groups otherwise. "Civilians", the target of one-sided
violence, is not an organization: its events keep the name and no link.

`adm_1` ("Haute-Kotto prefecture") links the event to that admin 1 area of its country
(`admin_area`) when the country's boundaries are loaded, matched by importers.places (case,
accents, hyphens and a trailing "province"/"prefecture" do not matter; aliases do). A name
that matches nothing does not refuse the file: it waits on the place matching page and its
events keep no admin area until it is matched and the file imported again.

`priogrid_gid`: the file's value is kept (UCDP assigns it; it must be a whole number); an
empty cell is filled with the cell computed from the coordinates. A summary warning counts
the rows where the two disagree.

Built for the full download (about 300,000 rows): the file is read twice rather than held
in memory, existing ids come in one query, and rows are written with bulk_create.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bluehelmet.analytics.geo import priogrid_gid
from bluehelmet.core.models import Organization, Place, Sharing
from bluehelmet.core.places import CountryCache
from bluehelmet.importers.base import CsvImporter, Row, upsert
from bluehelmet.importers.lookups import organizations_by_key
from bluehelmet.importers.places import PlaceResolver

from ..models import ConflictEvent

BATCH = 2000
CIVILIANS = "Civilians"

# GED column -> ConflictEvent field, for the columns read as whole numbers that may be empty.
OPTIONAL_INTS = {
    "conflict_dset_id": "conflict_dset_id",
    "conflict_new_id": "conflict_new_id",
    "dyad_dset_id": "dyad_dset_id",
    "dyad_new_id": "dyad_new_id",
    "side_a_dset_id": "side_a_dset_id",
    "side_a_new_id": "side_a_new_id",
    "side_b_dset_id": "side_b_dset_id",
    "side_b_new_id": "side_b_new_id",
    "number_of_sources": "number_of_sources",
    "where_prec": "where_prec",
    "event_clarity": "event_clarity",
    "date_prec": "date_prec",
    "country_id": "country_gwno",
}
COUNTS = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low")
TEXTS = {
    "relid": "relid",
    "code_status": "code_status",
    "conflict_name": "conflict_name",
    "dyad_name": "dyad_name",
    "side_a": "side_a_name",
    "side_b": "side_b_name",
    "source_article": "source_article",
    "source_office": "source_office",
    "source_date": "source_date",
    "source_headline": "source_headline",
    "source_original": "source_original",
    "where_coordinates": "where_coordinates",
    "where_description": "where_description",
    "adm_1": "adm_1",
    "adm_2": "adm_2",
    "country": "country_name",
    "region": "region",
    "gwnoa": "gwnoa",
    "gwnob": "gwnob",
}
COLUMNS = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
)
MAX_LENGTHS = {f.name: f.max_length for f in ConflictEvent._meta.get_fields() if getattr(f, "max_length", None)}
# Every field the file sets: compared on re-import to tell updated from unchanged rows.
FIELDS = sorted(
    {
        "ged_id",
        "sharing",
        "year",
        "active_year",
        "type_of_violence",
        "latitude",
        "longitude",
        "priogrid_gid",
        "date_start",
        "date_end",
        "side_a_id",
        "side_b_id",
        "country_id",
        "admin_area_id",
        *OPTIONAL_INTS.values(),
        *COUNTS,
        *TEXTS.values(),
    }
)


def actor_kind(name: str) -> str:
    return Organization.Kind.GOVERNMENT if name.startswith("Government of") else Organization.Kind.ARMED_GROUP


class GedImporter(CsvImporter):
    kind = "ged"
    label = gettext_lazy("UCDP GED events (CSV)")
    required_columns = COLUMNS
    keep_records = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ids_seen: dict[int, int] = {}  # ged id -> row number
        self.actors: dict[str, tuple[str, str]] = {}
        self.countries: dict[str, str] = {}
        self.priogrid_mismatches = 0

    def parse(self, row: Row) -> dict | None:
        event = {"sharing": Sharing.PUBLIC}
        event["ged_id"] = ged_id = row.int("id", required=True, minimum=1)
        event["year"] = row.int("year", required=True, minimum=1900, maximum=2100)
        event["active_year"] = row.flag("active_year") or False
        event["type_of_violence"] = row.int("type_of_violence", required=True, minimum=1, maximum=3)
        for column, name in OPTIONAL_INTS.items():
            event[name] = row.int(column)
        for column in COUNTS:
            event[column] = row.int(column, required=True, minimum=0)
        for column, name in TEXTS.items():
            event[name] = row.text(column, MAX_LENGTHS.get(name))
        if not event["country_name"]:
            row.error("country", "", _("a country is required"))
        event["latitude"] = latitude = row.latitude("latitude")
        event["longitude"] = longitude = row.longitude("longitude")
        event["priogrid_gid"] = row.int("priogrid_gid", minimum=1, maximum=259200)
        event["date_start"] = start = row.date("date_start")
        event["date_end"] = end = row.date("date_end")
        if start and end and end < start:
            row.error("date_end", row.raw("date_end"), _("ends before it starts (%(start)s)") % {"start": start})
        if ged_id is not None and not self._writing:  # pass two re-reads rows already checked
            first = self.ids_seen.setdefault(ged_id, row.number)
            if first != row.number:
                row.error("id", ged_id, _("duplicate id: also on row %(row)d") % {"row": first})
        if row.failed:
            return None
        if latitude is not None and longitude is not None:
            computed = priogrid_gid(latitude, longitude)
            if event["priogrid_gid"] is None:
                event["priogrid_gid"] = computed
            elif event["priogrid_gid"] != computed:
                self.priogrid_mismatches += 1
        event["side_a_key"] = self._actor(event["side_a_new_id"], event["side_a_name"])
        event["side_b_key"] = self._actor(event["side_b_new_id"], event["side_b_name"])
        self.countries.setdefault(event["country_name"], row.raw("country_id").strip())
        event["row"] = row.number
        return event

    def _actor(self, ucdp_id: int | None, name: str) -> str | None:
        if ucdp_id is None or not name or name == CIVILIANS:
            return None
        key = f"ucdp:{ucdp_id}"
        self.actors[key] = (name, actor_kind(name))
        return key

    def write(self, events) -> None:
        if self.priogrid_mismatches:
            self.warn(
                _(
                    "%(n)d row(s) have a priogrid_gid other than the cell of their coordinates; the file's value was kept"
                )
                % {"n": self.priogrid_mismatches}
            )
        actor_ids = organizations_by_key(self.actors, self.summary)
        countries = CountryCache()
        country_ids = {name: countries.get(name, code).pk for name, code in self.countries.items()}
        existing_ids = set(ConflictEvent.objects.filter(ged_id__isnull=False).values_list("ged_id", flat=True))
        resolvers = self._admin_area_resolvers(country_ids)
        batch = []
        for event in events:
            event["side_a_id"] = actor_ids.get(event.pop("side_a_key"))
            event["side_b_id"] = actor_ids.get(event.pop("side_b_key"))
            event["country_id"] = country_ids[event["country_name"]]
            resolver = resolvers.get(event["country_id"])
            row = event.pop("row")
            event["admin_area_id"] = (
                resolver.resolve(row, Place.Kind.ADM1, name=event["adm_1"], column="adm_1")
                if resolver is not None and event["adm_1"]
                else None
            )
            batch.append(event)
            if len(batch) == BATCH:
                self._write_batch(batch, existing_ids)
                batch = []
        self._write_batch(batch, existing_ids)
        self._queue_unmatched_admin_areas(resolvers)

    def _admin_area_resolvers(self, country_ids: dict[str, int]) -> dict[int, PlaceResolver]:
        """A resolver per country of the file that has admin 1 areas (no boundaries, no
        matching: adm_1 then stays text only)."""
        with_areas = set(
            Place.objects.filter(country_id__in=country_ids.values(), kind=Place.Kind.ADM1).values_list(
                "country_id", flat=True
            )
        )
        return {
            country.pk: PlaceResolver([country], source=self.kind, file_name=self.path.name)
            for country in Place.objects.filter(pk__in=with_areas)
        }

    def _queue_unmatched_admin_areas(self, resolvers: dict[int, PlaceResolver]) -> None:
        for resolver in resolvers.values():
            if not resolver.unknown:
                continue
            resolver.save_unknown()
            self.warn(
                _(
                    "%(n)d adm_1 name(s) match no admin area (%(names)s): their events have no admin area until "
                    "the names are matched on the place matching page and the file is imported again"
                )
                % {"n": len(resolver.unknown), "names": ", ".join(sorted(u.name for u in resolver.unknown.values()))}
            )

    def _write_batch(self, batch: list[dict], existing_ids: set[int]) -> None:
        if not batch:
            return
        known = [event["ged_id"] for event in batch if event["ged_id"] in existing_ids]
        existing = ConflictEvent.objects.filter(ged_id__in=known) if known else ConflictEvent.objects.none()
        upsert(
            ConflictEvent,
            ("ged_id",),
            batch,
            FIELDS,
            existing=existing,
            summary=self.summary,
            batch_size=BATCH,
            need_pks=False,
        )
