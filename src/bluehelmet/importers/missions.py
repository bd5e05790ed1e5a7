"""The UN peacekeeping mission list, and which countries host each mission.

Two kinds, one per file, because the two files answer different questions:
- `missions` (un_pko_list_start_end_month.csv: Acronym, Missionname, start_date, end_date):
  creates or updates missions; "May 1948" is 1948-05-01 and "Present" an open end.
- `mission-countries` (IPI's ipi_mission_country_continent.csv: Mission, Mission_Country):
  adds each country to its mission's host countries (creating a mission not yet known,
  named by its acronym). Links are only ever added: host countries set by hand or by other
  files stay. Its created/unchanged counts are of mission-country links.
"""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bluehelmet.core.models import Mission
from bluehelmet.core.places import CountryCache

from .base import CsvImporter, Row, upsert
from .lookups import missions_by_acronym

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
OPEN_END = ("present", "ongoing", "")


def read_month(row: Row, column: str, *, open_end: bool = False) -> dt.date | None:
    """'May 1948' (or ISO '1948-05' / '1948-05-01') as the first day of that month."""
    value = row.raw(column).strip()
    if not value or (open_end and value.lower() in OPEN_END):
        return None
    parts = value.split()
    if len(parts) == 2 and parts[0].lower() in MONTHS and parts[1].isdigit():
        return dt.date(int(parts[1]), MONTHS[parts[0].lower()], 1)
    try:
        return dt.date.fromisoformat(value if len(value) > 7 else f"{value}-01").replace(day=1)
    except ValueError:
        row.error(column, value, _('not a month (expected e.g. "May 1948")'))
        return None


class MissionListImporter(CsvImporter):
    kind = "missions"
    label = gettext_lazy("UN peacekeeping missions with start and end (CSV)")
    required_columns = ("Acronym", "Missionname", "start_date", "end_date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.acronym_rows: dict[str, int] = {}

    def parse(self, row: Row) -> dict | None:
        mission = {
            "acronym": row.text("Acronym", 30, required=True),
            "name": row.text("Missionname", 300, required=True),
            "start": read_month(row, "start_date"),
            "end": read_month(row, "end_date", open_end=True),
        }
        if mission["start"] and mission["end"] and mission["end"] < mission["start"]:
            row.error("end_date", row.raw("end_date"), _("ends before it starts"))
        first = self.acronym_rows.setdefault(mission["acronym"], row.number)
        if mission["acronym"] and first != row.number:
            row.error("Acronym", mission["acronym"], _("duplicate mission: also on row %(row)d") % {"row": first})
        return mission

    def write(self, missions: list[dict]) -> None:
        upsert(
            Mission,
            ("acronym",),
            missions,
            ["name", "start", "end"],
            existing=Mission.objects.filter(acronym__in=[m["acronym"] for m in missions]),
            summary=self.summary,
        )


class MissionCountriesImporter(CsvImporter):
    kind = "mission-countries"
    label = gettext_lazy("Host countries of missions, IPI format (CSV)")
    required_columns = ("Mission", "Mission_Country")

    def parse(self, row: Row) -> tuple[str, str] | None:
        return row.text("Mission", 30, required=True), row.text("Mission_Country", 200, required=True)

    def write(self, pairs: list[tuple[str, str]]) -> None:
        mission_ids = missions_by_acronym({mission for mission, _country in pairs}, self.summary)
        countries = CountryCache()
        Link = Mission.host_countries.through
        linked = set(Link.objects.filter(mission_id__in=mission_ids.values()).values_list("mission_id", "place_id"))
        new_links = []
        for mission, country in pairs:
            link = (mission_ids[mission], countries.get(country).pk)
            if link in linked:
                self.summary.unchanged += 1
            else:
                linked.add(link)
                new_links.append(Link(mission_id=link[0], place_id=link[1]))
        Link.objects.bulk_create(new_links)
        self.summary.created += len(new_links)
