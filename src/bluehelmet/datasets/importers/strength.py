"""Authorised versus deployed personnel per mission and month
(personnel_shortfall_mission_month_1990_2015.csv) -> MissionStrength.

Empty cells are None. The source interpolates a few authorised strengths between
resolutions (e.g. 7789.2 troops); those are rounded to whole people and counted in a warning.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bluehelmet.importers.base import CsvImporter, Row, upsert
from bluehelmet.importers.lookups import missions_by_acronym

from ..models import MissionStrength

# column -> MissionStrength field
COLUMNS = {
    "authtroop": "authorised_troops",
    "authpolice": "authorised_police",
    "authmilobs": "authorised_observers",
    "troop": "troops",
    "police": "police",
    "milobs": "observers",
    "contributors": "contributor_count",
}


class StrengthImporter(CsvImporter):
    kind = "strength"
    label = gettext_lazy("Mission strength per month, authorised and deployed (CSV)")
    required_columns = ("mission", "year", "month", *COLUMNS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rounded = 0
        self.first_row: dict[tuple, int] = {}

    def parse(self, row: Row) -> dict | None:
        strength = {"mission": row.text("mission", 30, required=True), "month": row.month("year", "month")}
        for column, name in COLUMNS.items():
            strength[name] = number = row.int(column, minimum=0, round_fraction=True)
            if number is not None and float(row.raw(column)) != number:
                self.rounded += 1
        key = (strength["mission"], strength["month"])
        if not row.failed and self.first_row.setdefault(key, row.number) != row.number:
            row.error(
                "month",
                row.raw("month"),
                _("%(mission)s already has this month on row %(row)d")
                % {"mission": key[0], "row": self.first_row[key]},
            )
        return strength

    def write(self, strengths: list[dict]) -> None:
        if self.rounded:
            self.warn(_("%(n)d fractional value(s) rounded to whole people") % {"n": self.rounded})
        mission_ids = missions_by_acronym({s["mission"] for s in strengths}, self.summary)
        for strength in strengths:
            strength["mission_id"] = mission_ids[strength.pop("mission")]
        upsert(
            MissionStrength,
            ("mission_id", "month"),
            strengths,
            list(COLUMNS.values()),
            existing=MissionStrength.objects.filter(mission_id__in=mission_ids.values()),
            summary=self.summary,
        )
