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

Built for the full download (about 300,000 rows), where the import must stay within a small
multiple of the database's own bulk load (benchmarks/import_ged.py): the file is read once
(`single_pass`), inside the transaction. A well-formed row is checked and converted in one
tight step (`_parse_fast`); any row it doubts goes through `parse()`, the value-by-value
check that reports each problem with its row and column. Rows are written in batches by
importers.base.KeyedWriter (INSERT ... ON CONFLICT on ged_id: a new id is created, a changed
row updated, an unchanged one left as it is; on PostgreSQL through COPY). Actors, countries
and admin areas are looked up or created as the batches need them. At the first bad row the
writing stops, the reading goes on to report every error, and the failure rolls back all
that was written.
"""

import datetime as dt
import sys
from itertools import chain
from operator import gt, itemgetter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bluehelmet.analytics.geo import priogrid_gid
from bluehelmet.core.models import Organization, Place, Sharing
from bluehelmet.core.places import CountryCache
from bluehelmet.importers.base import CsvImporter, KeyedWriter, Row, note_written, update_rows
from bluehelmet.importers.places import PlaceResolver

from ..models import ConflictEvent

BATCH = 5000  # rows written at a time
PUBLIC = Sharing.PUBLIC.value  # the plain string: COPY would write an enum member by its name
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


# What _parse_fast reads, by kind of value (see parse() for the rules it shares).
REQUIRED_INTS = ("id", "year", "type_of_violence", *COUNTS)  # in this order: its checks rely on it
REQUIRED_INT_FIELDS = ("ged_id", "year", "type_of_violence", *COUNTS)
TEXT_LIMITS = tuple(MAX_LENGTHS.get(name) or sys.maxsize for name in TEXTS.values())
# The written columns: the key, what the file sets (compared on re-import), then what only a
# new row gets.
INSERT_ONLY = {"dataset": ConflictEvent._meta.get_field("dataset").get_default()}
COMPARED = [name for name in FIELDS if name != "ged_id"]
event_values = itemgetter("ged_id", *COMPARED)


def actor_kind(name: str) -> str:
    return Organization.Kind.GOVERNMENT if name.startswith("Government of") else Organization.Kind.ARMED_GROUP


class GedImporter(CsvImporter):
    kind = "ged"
    label = gettext_lazy("UCDP GED events (CSV)")
    required_columns = COLUMNS
    keep_records = False
    single_pass = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ids_seen: dict[int, int] = {}  # ged id -> row number
        self.actors: dict[str, tuple[str, str]] = {}  # key -> (name, kind), the file's last
        self.countries: dict[str, str] = {}
        self.priogrid_mismatches = 0
        self._cells: dict[tuple[float, float], int] = {}  # (latitude, longitude) -> PRIO-GRID cell
        self._actor_keys: dict[int, str] = {}  # UCDP actor id -> organization key

    def parse(self, row: Row) -> dict | None:
        event = {"sharing": PUBLIC}
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
        event["latitude"] = row.latitude("latitude")
        event["longitude"] = row.longitude("longitude")
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
        return self._complete(event, row.number, row.raw("country_id").strip())

    def _parse_fast(self, number: int, values: list[str]) -> dict | None:
        """The row as parse() reads it, for a row whose every value is well-formed as UCDP
        writes them ("12", not " 12.0"); None for any other row, which parse() then checks
        value by value. Accepts nothing parse() refuses: every value goes through the same
        conversion (int, float, date.fromisoformat) and the same limits."""
        index = self._positions
        try:
            numbers = [int(values[i]) for i in index["required_ints"]]
            optional = [int(v) if (v := values[i]) and v != "NA" else None for i in index["optional_ints"]]
            latitude = float(values[index["latitude"]])
            longitude = float(values[index["longitude"]])
            start = dt.date.fromisoformat(values[index["date_start"]])
            end = dt.date.fromisoformat(values[index["date_end"]])
            cell = values[index["priogrid_gid"]]
            priogrid = int(cell) if cell and cell != "NA" else None
        except ValueError:
            return None
        ged_id, year, violence = numbers[0], numbers[1], numbers[2]
        active = values[index["active_year"]]
        texts = [values[i].strip() for i in index["texts"]]
        if (
            ged_id < 1
            or not 1900 <= year <= 2100
            or not 1 <= violence <= 3
            or min(numbers[3:]) < 0
            or active not in ("0", "1", "", "NA")
            or not -90 <= latitude <= 90  # NaN fails here too
            or not -180 <= longitude <= 180
            or (priogrid is not None and not 1 <= priogrid <= 259200)
            or end < start
            or any(map(gt, map(len, texts), TEXT_LIMITS))
            or not texts[index["country_text"]]
            or self.ids_seen.setdefault(ged_id, number) != number
        ):
            return None
        event = dict(zip(REQUIRED_INT_FIELDS, numbers))
        event.update(zip(OPTIONAL_INTS.values(), optional))
        event.update(zip(TEXTS.values(), texts))
        event["sharing"] = PUBLIC
        event["active_year"] = active == "1"
        event["latitude"] = latitude
        event["longitude"] = longitude
        event["priogrid_gid"] = priogrid
        event["date_start"] = start
        event["date_end"] = end
        return self._complete(event, number, values[index["country_gwno"]].strip())

    def _complete(self, event: dict, number: int, country_code: str) -> dict:
        """What a checked row adds: the PRIO-GRID cell when the file has none, the actors'
        keys, its country, its row number."""
        latitude, longitude = event["latitude"], event["longitude"]
        if latitude is not None and longitude is not None:
            computed = self._cells.get((latitude, longitude))  # events share places
            if computed is None:
                computed = self._cells[latitude, longitude] = priogrid_gid(latitude, longitude)
            if event["priogrid_gid"] is None:
                event["priogrid_gid"] = computed
            elif event["priogrid_gid"] != computed:
                self.priogrid_mismatches += 1
        event["side_a_key"] = self._actor(event["side_a_new_id"], event["side_a_name"])
        event["side_b_key"] = self._actor(event["side_b_new_id"], event["side_b_name"])
        self.countries.setdefault(event["country_name"], country_code)
        event["row"] = number
        return event

    def _actor(self, ucdp_id: int | None, name: str) -> str | None:
        if ucdp_id is None or not name or name == CIVILIANS:
            return None
        key = self._actor_keys.get(ucdp_id)
        if key is None:
            key = self._actor_keys[ucdp_id] = f"ucdp:{ucdp_id}"
        known = self.actors.get(key)
        if known is None or known[0] != name:  # the last name in the file wins
            self.actors[key] = (name, actor_kind(name))
        return key

    # -- the single pass -----------------------------------------------------------------

    def read_and_write(self) -> None:
        rows = self.raw_rows()
        first = next(rows, None)  # reads the header, which gives the columns' positions
        if first is None:
            return  # no data rows, or only bad ones
        column = self.column_index
        self._positions = {
            "required_ints": [column[name] for name in REQUIRED_INTS],
            "optional_ints": [column[name] for name in OPTIONAL_INTS],
            "texts": [column[name] for name in TEXTS],
            "country_text": list(TEXTS).index("country"),
            "country_gwno": column["country_id"],
            **{name: column[name] for name in ("latitude", "longitude", "date_start", "date_end", "priogrid_gid")},
            "active_year": column["active_year"],
        }
        self._actor_ids: dict[str, int] = {}
        self._actors_stored: dict[str, tuple[str, str]] = {}  # as the database has them
        self._actors_created: set[str] = set()
        self._country_ids: dict[str, int] = {}
        self._resolvers: dict[int, PlaceResolver | None] = {}
        self._areas: dict[tuple[int, str], int] = {}
        self._country_places: dict[int, Place] = {}
        self._countries = CountryCache()
        self._resolvers: dict[int, PlaceResolver | None] = {}
        self._areas: dict[tuple[int, str], int] = {}  # (country id, adm_1) -> admin area id
        writer = KeyedWriter(ConflictEvent, "ged_id", COMPARED, tuple(INSERT_ONLY))
        batch: list[dict] = []
        for number, values in chain((first,), rows):
            event = self._parse_fast(number, values)
            if event is None:
                event = self.parse(Row(number, values, column, self.errors))
            if event is None or self.errors:
                continue  # nothing more is written: the import fails once every row is read
            batch.append(event)
            if len(batch) == BATCH:
                self._write_batch(writer, batch)
                batch = []
        if self.errors:
            return
        self._write_batch(writer, batch)
        created, updated = writer.finish()
        self.summary.created += created
        self.summary.updated += updated
        self.summary.unchanged += writer.rows - created - updated
        self._update_actors()
        if self.priogrid_mismatches:
            self.warn(
                _(
                    "%(n)d row(s) have a priogrid_gid other than the cell of their coordinates; the file's value was kept"
                )
                % {"n": self.priogrid_mismatches}
            )
        self._queue_unmatched_admin_areas()

    def _write_batch(self, writer: KeyedWriter, batch: list[dict]) -> None:
        """Write checked rows, creating first the actors and countries they are the first to name."""
        self._add_new_actors()
        for name, code in self.countries.items():
            if name not in self._country_ids:
                country = self._countries.get(name, code)
                self._country_ids[name] = country.pk
                self._country_places[country.pk] = country
        actor_ids, country_ids, areas = self._actor_ids, self._country_ids, self._areas
        extra = tuple(INSERT_ONLY.values())
        rows = []
        for event in batch:
            event["side_a_id"] = actor_ids.get(event["side_a_key"])
            event["side_b_id"] = actor_ids.get(event["side_b_key"])
            event["country_id"] = country_id = country_ids[event["country_name"]]
            area = None
            if adm_1 := event["adm_1"]:
                area = areas.get((country_id, adm_1))
                if area is None and (resolver := self._resolver(country_id)) is not None:
                    # An unknown name is looked up on each of its rows: the resolver lists them.
                    area = resolver.resolve(event["row"], Place.Kind.ADM1, name=adm_1, column="adm_1")
                    if area is not None:
                        areas[(country_id, adm_1)] = area
            event["admin_area_id"] = area
            rows.append(event_values(event) + extra)
        writer.write(rows)

    def _add_new_actors(self) -> None:
        """Find or create the organizations of the actors met since the last batch."""
        new = [key for key in self.actors if key not in self._actor_ids]
        if not new:
            return
        for key, pk, name, kind in Organization.objects.filter(key__in=new).values_list("key", "pk", "name", "kind"):
            self._actor_ids[key] = pk
            self._actors_stored[key] = (name, kind)
        note_written(Organization)  # bulk: the search index of actors is rebuilt after the import
        created = Organization.objects.bulk_create(
            [
                Organization(key=key, name=self.actors[key][0], kind=self.actors[key][1])
                for key in new
                if key not in self._actor_ids
            ]
        )
        for organization in created:
            self._actor_ids[organization.key] = organization.pk
            self._actors_stored[organization.key] = (organization.name, organization.kind)
            self._actors_created.add(organization.key)
        self.summary.count("organizations created", len(created))

    def _update_actors(self) -> None:
        """Bring the organizations' names and kinds up to date with the file (its last row
        naming each), counting as updated those that were there before."""
        changed = {key: value for key, value in self.actors.items() if self._actors_stored[key] != value}
        update_rows(
            Organization,
            [(self._actor_ids[key], {"name": name, "kind": kind}) for key, (name, kind) in changed.items()],
            ["name", "kind"],
        )
        self.summary.count("organizations updated", len(changed.keys() - self._actors_created))

    def _resolver(self, country_id: int) -> PlaceResolver | None:
        """The admin area resolver of a country that has admin 1 areas; None for a country
        without (no boundaries loaded: adm_1 then stays text only)."""
        if country_id not in self._resolvers:
            has_areas = Place.objects.filter(country_id=country_id, kind=Place.Kind.ADM1).exists()
            self._resolvers[country_id] = (
                PlaceResolver([self._country_places[country_id]], source=self.kind, file_name=self.path.name)
                if has_areas
                else None
            )
        return self._resolvers[country_id]

    def _queue_unmatched_admin_areas(self) -> None:
        for resolver in self._resolvers.values():
            if resolver is None or not resolver.unknown:
                continue
            resolver.save_unknown()
            self.warn(
                _(
                    "%(n)d adm_1 name(s) match no admin area (%(names)s): their events have no admin area until "
                    "the names are matched on the place matching page and the file is imported again"
                )
                % {"n": len(resolver.unknown), "names": ", ".join(sorted(u.name for u in resolver.unknown.values()))}
            )
