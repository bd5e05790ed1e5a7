"""National conflict-month series in the Hultman, Kathman & Shannon (2013) format
(sierra_leone_conflict_month_1991_2002.csv) -> ConflictMonth.

The named columns map to fields (dummies "0.0"/"1.0" to booleans, empty to None); every
other column is kept in `extra` exactly as read. A mission acronym not yet known creates
the mission, named by its acronym.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bluehelmet.core.places import CountryCache
from bluehelmet.importers.base import CsvImporter, Row, upsert
from bluehelmet.importers.lookups import missions_by_acronym

from ..models import ConflictMonth

FLOATS = {
    "osvAll": "osv_all",
    "osvreb1": "osv_rebels",
    "osvgov": "osv_government",
    "troopLag": "troops_lag",
    "policeLag": "police_lag",
    "militaryobserversLag": "observers_lag",
    "brv_AllLag": "battle_deaths_lag",
}
FLAGS = {
    "PKOdum": "pko_present",
    "ceasefire": "ceasefire",
    "pocmandate": "poc_mandate",
    "robustmandate": "robust_mandate",
}
SIDES = {"sidea": "side_a", "sidea2nd": "side_a_2nd", "sideb": "side_b", "sideb2nd": "side_b_2nd"}
MAPPED = ("conflict_id", "id_ep", "year", "mon", "location", "mission", *SIDES, *FLOATS, *FLAGS)
FIELDS = [
    "episode_id",
    "country_id",
    "side_a",
    "side_a_2nd",
    "side_b",
    "side_b_2nd",
    "mission_id",
    *FLOATS.values(),
    *FLAGS.values(),
    "extra",
]


class ConflictMonthImporter(CsvImporter):
    kind = "conflict-months"
    label = gettext_lazy("Conflict-month series, Hultman et al. format (CSV)")
    required_columns = MAPPED

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.first_row: dict[tuple, int] = {}

    def parse(self, row: Row) -> dict | None:
        record = {
            "conflict_id": row.int("conflict_id", required=True),
            "episode_id": row.int("id_ep"),
            "month": row.month("year", "mon"),
            "country": row.text("location", 200, required=True),
            "mission": row.text("mission", 30),
            "extra": row.as_read(column for column in row.index if column not in MAPPED),
        }
        for column, name in SIDES.items():
            record[name] = row.text(column, 200)
        for column, name in FLOATS.items():
            record[name] = row.float(column)
        for column, name in FLAGS.items():
            record[name] = row.flag(column)
        key = (record["conflict_id"], record["month"])
        if not row.failed and self.first_row.setdefault(key, row.number) != row.number:
            row.error(
                "mon",
                row.raw("mon"),
                _("conflict %(id)s already has this month on row %(row)d") % {"id": key[0], "row": self.first_row[key]},
            )
        return record

    def write(self, records: list[dict]) -> None:
        mission_ids = missions_by_acronym({r["mission"] for r in records if r["mission"]}, self.summary)
        countries = CountryCache()
        for record in records:
            record["mission_id"] = mission_ids.get(record.pop("mission"))
            record["country_id"] = countries.get(record.pop("country")).pk
        conflict_ids = {r["conflict_id"] for r in records}
        upsert(
            ConflictMonth,
            ("conflict_id", "month"),
            records,
            FIELDS,
            existing=ConflictMonth.objects.filter(conflict_id__in=conflict_ids),
            summary=self.summary,
        )
