"""HXL imports of a mission's 3W activities and needs assessments (read with libhxl).

HXL files (https://hxlstandard.org) carry a row of hashtags (#org, #sector, #adm2+name,
#targeted+f ...) under or instead of their header: columns are found by hashtag, so their
order, their header text and any extra columns do not matter, as in the 3W files on the
Humanitarian Data Exchange. Row numbers in errors count every line of the file (the
header is row 1, the hashtag row 2 in the usual layout).

Places are the mission's host countries' admin areas, found by importers.places: the
deepest level a row gives (#adm3, else #adm2, else #adm1; by +code or by name) is its
place. An unknown name refuses the file, listing the name with its rows, and waits on the
place matching page; once matched, the same file imports.

Both kinds take the options `mission` (acronym) and `imported_by` (a user id, passed by the
mission's Humanitarian > Import page, who must be one of its administrators, analysts or
humanitarian officers). Re-importing a file changes nothing: a 3W line is known by its
organisation, sector, place, activity, location and start; an assessment by its place,
sector, date and organisation.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import re

import hxl
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bluehelmet.core import gate
from bluehelmet.core.models import Mission, Organization, Place
from bluehelmet.importers.base import Importer, Row, sniff_not_text, upsert
from bluehelmet.importers.lookups import organizations_by_key
from bluehelmet.importers.places import PlaceResolver, normalize_place_name

from .models import SECTOR_SYNONYMS, Activity, NeedsAssessment, Sector

SEX_AGE_ATTRIBUTES = {
    "f",
    "m",
    "female",
    "male",
    "women",
    "men",
    "girls",
    "boys",
    "children",
    "adults",
    "elderly",
    "infants",
    "age",
    "i",
    "ind",
    "hh",
}
FEMALE = {"f", "female", "women"}
MALE = {"m", "male", "men"}
CODE_ATTRIBUTES = {"code", "pcode", "id"}
MAX_HEADER_SCAN = 25  # libhxl looks for the hashtag row in the first 25 rows
ADMIN_LEVELS = (("#adm3", Place.Kind.ADM3), ("#adm2", Place.Kind.ADM2), ("#adm1", Place.Kind.ADM1))


def normalize_sector(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.casefold().replace("&", " and ")).strip()


def sector_value(text: str) -> str | None:
    """A sector from its code, its label or a common other name ("Shelter/NFI", "FSL")."""
    wanted = normalize_sector(text)
    for value, label in Sector.choices:
        if wanted in (normalize_sector(value), normalize_sector(str(label))):
            return value
    return SECTOR_SYNONYMS.get(wanted) or SECTOR_SYNONYMS.get(wanted.replace(" and ", " "))


def parse_day(text: str, *, end_of_month: bool = False) -> dt.date:
    """YYYY-MM-DD, or YYYY-MM (the first day, or the last with `end_of_month`); ValueError else."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = int(text[:4]), int(text[5:])
        return dt.date(year, month, calendar.monthrange(year, month)[1] if end_of_month else 1)
    return dt.date.fromisoformat(text)


def organization_key(name: str) -> str:
    return f"org:{normalize_place_name(name)}"


class HxlImporter(Importer):
    """Reads an HXL-tagged CSV with libhxl; subclasses say which hashtags they need
    (`columns()`) and turn each Row into a record (`parse()`)."""

    extensions = (".csv",)
    option_names = ("mission", "imported_by")

    # -- reading ---------------------------------------------------------------------------

    def estimate_rows(self) -> int:
        with open(self.path, "rb") as f:
            return max(sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 2, 0)

    def records(self):
        self.rows_read = 0
        self.mission = self.check_mission()
        self.places = PlaceResolver(self.mission.host_countries.all(), source=self.kind, file_name=self.path.name)
        self.seen: dict = {}
        dataset = self.open_dataset()
        self.columns = [(column.tag or "", {a.casefold() for a in column.attributes}) for column in dataset.columns]
        self.index = self.columns_found()
        numbers = {name for name in self.index if self.is_number_column(name)}
        for data in dataset:
            values = [str(v) if v is not None else "" for v in data.values]
            number = data.source_row_number + 1
            if not any(v.strip() for v in values):
                continue
            self.rows_read += 1
            if self.rows_read % 1000 == 0:
                self.advance(self.rows_read)
            values += [""] * (len(self.columns) - len(values))
            for name in numbers:  # "1,200" as spreadsheets write it
                position = self.index[name]
                if re.fullmatch(r"\s*\d{1,3}([, \u00a0]\d{3})+\s*", values[position]):
                    values[position] = re.sub(r"[, \u00a0]", "", values[position])
            row = Row(number, values, self.index, self.errors)
            record = self.parse(row)
            if not row.failed and record is not None:
                yield record
        if self.places.unknown:
            self.places.save_unknown()
            self.places.report(self.errors)

    def check_mission(self) -> Mission:
        acronym = self.options.get("mission", "")
        mission = Mission.objects.filter(acronym__iexact=acronym).first() if acronym else None
        if mission is None:
            raise self.file_error(
                _("unknown mission %(acronym)s") % {"acronym": acronym}
                if acronym
                else _("this kind of import needs a mission: import it from the mission's Humanitarian > Import page"),
                acronym,
            )
        if "imported_by" in self.options:
            user = get_user_model().objects.filter(pk=self.options["imported_by"]).first()
            if user is None or not gate.access(user, mission).can("humanitarian.import"):
                raise self.file_error(
                    _(
                        "only the mission's administrators, analysts and humanitarian officers import its humanitarian data"
                    )
                )
        if not mission.host_countries.exists():
            raise self.file_error(
                _("%(mission)s has no host country: import the mission list first") % {"mission": mission.acronym}
            )
        return mission

    def open_dataset(self):
        with open(self.path, "rb") as f:
            head = f.read(4096)
        if not head.strip():
            raise self.file_error(_("the file is empty"))
        if what := sniff_not_text(head):
            raise self.file_error(_("this is %(what)s, not an HXL CSV file") % {"what": what})
        try:
            self.path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise self.file_error(
                _("the file is not UTF-8: byte at position %(pos)d; save it as UTF-8 and try again")
                % {"pos": exc.start}
            )
        self.tag_row = self.find_tag_row()
        try:
            dataset = hxl.data(str(self.path), hxl.InputOptions(allow_local=True, encoding="utf-8-sig"))
            dataset.columns  # noqa: B018 (reading the columns reads up to the hashtag row)
        except hxl.input.HXLTagsNotFoundException:
            raise self.file_error(
                _("no HXL hashtag row (a row of #org, #sector, #adm2+name... under the header) in the first %(n)d rows")
                % {"n": MAX_HEADER_SCAN}
            )
        except (hxl.HXLException, csv.Error, ValueError) as exc:
            raise self.file_error(_("not a readable HXL CSV file: %(error)s") % {"error": exc})
        return dataset

    def find_tag_row(self) -> int | None:
        """The line number of the hashtag row, for errors about columns."""
        with open(self.path, encoding="utf-8-sig", newline="") as f:
            for number, values in enumerate(csv.reader(f), start=1):
                cells = [v.strip() for v in values if v.strip()]
                if cells and sum(c.startswith("#") for c in cells) * 2 > len(cells):
                    return number
                if number >= MAX_HEADER_SCAN:
                    break
        return None

    # -- finding columns by hashtag --------------------------------------------------------

    def find(self, tag: str, *, having=(), without=(), prefer=()) -> str | None:
        """The first column with this hashtag whose attributes include one of `having` (when
        given) and none of `without`, those with one of `prefer` first. Returns its name as the
        errors show it (e.g. "#targeted+f")."""
        matches = []
        for position, (column_tag, attributes) in enumerate(self.columns):
            if column_tag != tag or (having and not attributes & set(having)) or attributes & set(without):
                continue
            matches.append((0 if attributes & set(prefer) else 1, position))
        if not matches:
            return None
        _rank, position = min(matches)
        tag, attributes = self.columns[position]
        return tag + "".join(f"+{a}" for a in sorted(attributes))

    def columns_found(self) -> dict[str, int]:
        """Logical name -> column position, from `self.wanted()`; missing required hashtags
        are one error on the hashtag row."""
        positions = {}
        for position, (tag, attributes) in enumerate(self.columns):
            positions.setdefault(tag + "".join(f"+{a}" for a in sorted(attributes)), position)
        self.names: dict[str, str] = {}
        for logical, found in self.wanted().items():
            if found is not None:
                self.names[logical] = found
        missing = [label for label, present in self.required(self.names) if not present]
        if missing:
            self.errors.add(
                self.tag_row, ", ".join(missing), "", _("missing hashtags: %(tags)s") % {"tags": ", ".join(missing)}
            )
            raise self.errors.fail()
        return {found: positions[found] for found in self.names.values()}

    def place_columns(self) -> dict:
        found = {}
        for tag, _kind in ADMIN_LEVELS:
            found[f"{tag}_name"] = self.find(tag, without=CODE_ATTRIBUTES, prefer=("name",))
            found[f"{tag}_code"] = self.find(tag, having=CODE_ATTRIBUTES)
        return found

    def has_place(self, names: dict) -> bool:
        return any(name.startswith("#adm") for name in names)

    def is_number_column(self, name: str) -> bool:
        return name.startswith(("#targeted", "#reached", "#inneed", "#severity"))

    def col(self, logical: str) -> str | None:
        return self.names.get(logical)

    # -- values ----------------------------------------------------------------------------

    def place(self, row: Row) -> int | None:
        """The deepest admin area the row gives, or None (an error, or an unknown name)."""
        for position, (tag, kind) in enumerate(ADMIN_LEVELS):
            name_column, code_column = self.col(f"{tag}_name"), self.col(f"{tag}_code")
            name = row.text(name_column, 200) if name_column else ""
            code = row.text(code_column, 50) if code_column else ""
            if not (name or code):
                continue
            parent = ""
            for higher_tag, _kind in ADMIN_LEVELS[position + 1 :]:
                if (higher := self.col(f"{higher_tag}_name")) and (parent := row.text(higher)):
                    break
            return self.places.resolve(
                row.number, kind, name=name, code=code, parent_name=parent, column=name_column or code_column
            )
        row.error(
            self.col("#adm2_name") or self.col("#adm1_name") or self.col("#adm3_name") or "#adm2+name",
            "",
            _("a place is required (#adm1, #adm2 or #adm3)"),
        )
        return None

    def sector(self, row: Row) -> str | None:
        column = self.col("sector")
        text = row.text(column, required=True)
        if not text:
            return None
        value = sector_value(text)
        if value is None:
            row.error(
                column,
                text,
                _("unknown sector: use one of %(sectors)s")
                % {"sectors": ", ".join(str(label) for _v, label in Sector.choices)},
            )
        return value

    def day(self, row: Row, logical: str, *, required: bool = False, end_of_month: bool = False) -> dt.date | None:
        column = self.col(logical)
        if column is None:
            return None
        text = row.text(column)
        if not text:
            if required:
                row.error(column, text, _("a date is required"))
            return None
        try:
            return parse_day(text, end_of_month=end_of_month)
        except ValueError:
            row.error(column, text, _("not a date (expected YYYY-MM-DD or YYYY-MM)"))
            return None

    def people(self, row: Row, logical: str, *, required: bool = False) -> int | None:
        column = self.col(logical)
        if column is None:
            return None
        return row.int(column, required=required, minimum=0, maximum=100_000_000)

    def organization(self, row: Row, logical: str = "org") -> str:
        column = self.col(logical)
        return row.text(column, 300, required=logical == "org") if column else ""

    def first_row(self, row: Row, key) -> bool:
        if key in self.seen:
            row.error("", "", _("repeats row %(row)d (same place, sector and organisation)") % {"row": self.seen[key]})
            return False
        self.seen[key] = row.number
        return True

    def organization_ids(self, names: set[str]) -> dict[str, int]:
        """Organisation ids by the names (or acronyms) files give; new ones are created."""
        found = {}
        by_key = dict(
            Organization.objects.filter(key__in=[organization_key(n) for n in names]).values_list("key", "pk")
        )
        lookup = {}
        for pk, name, acronym in Organization.objects.values_list("pk", "name", "acronym"):
            lookup.setdefault(normalize_place_name(name), pk)
            if acronym:
                lookup.setdefault(normalize_place_name(acronym), pk)
        new = {}
        for name in names:
            pk = by_key.get(organization_key(name)) or lookup.get(normalize_place_name(name))
            if pk:
                found[name] = pk
            else:
                new[organization_key(name)] = (name, Organization.Kind.OTHER)
        if new:
            pks = organizations_by_key(new, self.summary)
            for name in names:
                if name not in found:
                    found[name] = pks[organization_key(name)]
            self.warn(
                _("organisations not known before, added: %(names)s")
                % {"names": ", ".join(sorted(n for n, _k in new.values()))}
            )
        return found


class ActivityHxlImporter(HxlImporter):
    kind = "humanitarian-3w"
    label = gettext_lazy("Humanitarian: who does what where (3W), HXL-tagged CSV")

    def wanted(self) -> dict:
        return {
            "org": self.find(
                "#org", without={"impl", "partner", "code", "acronym", "type", "id"}, prefer=("name", "prog", "funder")
            ),
            "impl": self.find("#org", having={"impl", "partner"}),
            "sector": self.find("#sector", without=CODE_ATTRIBUTES, prefer=("name", "cluster")) or self.find("#sector"),
            "activity": self.find("#activity", without=CODE_ATTRIBUTES) or self.find("#activity"),
            "loc": self.find("#loc", without=CODE_ATTRIBUTES),
            "start": self.find("#date", having={"start"}) or self.find("#date", without={"end", "reported", "updated"}),
            "end": self.find("#date", having={"end"}),
            "status": self.find("#status"),
            "targeted": self.find("#targeted", without=SEX_AGE_ATTRIBUTES),
            "targeted_female": self.find("#targeted", having=FEMALE, without=SEX_AGE_ATTRIBUTES - FEMALE),
            "targeted_male": self.find("#targeted", having=MALE, without=SEX_AGE_ATTRIBUTES - MALE),
            "reached": self.find("#reached", without=SEX_AGE_ATTRIBUTES),
            "reached_female": self.find("#reached", having=FEMALE, without=SEX_AGE_ATTRIBUTES - FEMALE),
            "reached_male": self.find("#reached", having=MALE, without=SEX_AGE_ATTRIBUTES - MALE),
            **self.place_columns(),
        }

    def required(self, names: dict):
        return [
            ("#org", "org" in names),
            ("#sector", "sector" in names),
            ("#adm1+name / #adm2+name / #adm3+name", any(n.startswith("#adm") for n in names)),
        ]

    def parse(self, row: Row):
        record = {
            "organization": self.organization(row),
            "implementing_partner": self.organization(row, "impl"),
            "sector": self.sector(row),
            "place_id": self.place(row),
            "activity": row.text(self.col("activity"), 300) if self.col("activity") else "",
            "location": row.text(self.col("loc"), 200) if self.col("loc") else "",
            "start": self.day(row, "start"),
            "end": self.day(row, "end", end_of_month=True),
        }
        for name in ("targeted", "targeted_female", "targeted_male", "reached", "reached_female", "reached_male"):
            record[name] = self.people(row, name)
        for total in ("targeted", "reached"):
            female, male = record[f"{total}_female"], record[f"{total}_male"]
            if record[total] is None and female is not None and male is not None:
                record[total] = female + male
            elif (
                record[total] is not None and female is not None and male is not None and female + male > record[total]
            ):
                row.error(
                    self.col(total),
                    record[total],
                    _("fewer than women and girls plus men and boys (%(n)d)") % {"n": female + male},
                )
        if record["start"] and record["end"] and record["end"] < record["start"]:
            row.error(
                self.col("end"),
                row.raw(self.col("end")),
                _("ends before it starts (%(start)s)") % {"start": record["start"]},
            )
        record["status"] = self.status(row, record)
        if not row.failed:
            self.first_row(
                row,
                (
                    record["organization"].casefold(),
                    record["sector"],
                    record["place_id"],
                    record["activity"].casefold(),
                    record["location"].casefold(),
                    record["start"],
                ),
            )
        return record

    STATUS_WORDS = {
        "planned": Activity.Status.PLANNED,
        "pipeline": Activity.Status.PLANNED,
        "proposed": Activity.Status.PLANNED,
        "ongoing": Activity.Status.ONGOING,
        "on going": Activity.Status.ONGOING,
        "active": Activity.Status.ONGOING,
        "in progress": Activity.Status.ONGOING,
        "completed": Activity.Status.COMPLETED,
        "complete": Activity.Status.COMPLETED,
        "finished": Activity.Status.COMPLETED,
        "closed": Activity.Status.COMPLETED,
        "done": Activity.Status.COMPLETED,
    }

    def status(self, row: Row, record: dict) -> str | None:
        column = self.col("status")
        text = row.text(column) if column else ""
        if text:
            value = self.STATUS_WORDS.get(normalize_sector(text))
            if value is None:
                row.error(column, text, _("not one of: planned, ongoing, completed"))
            return value
        # No status given: from the dates, as of today.
        today = dt.date.today()
        if record["end"] and record["end"] < today:
            return Activity.Status.COMPLETED
        if record["start"] and record["start"] > today:
            return Activity.Status.PLANNED
        return Activity.Status.ONGOING if record["start"] or record["reached"] else Activity.Status.PLANNED

    FIELDS = [
        "implementing_partner",
        "status",
        "end",
        "targeted",
        "targeted_female",
        "targeted_male",
        "reached",
        "reached_female",
        "reached_male",
    ]

    def write(self, records) -> None:
        organizations = self.organization_ids({r["organization"] for r in records})
        rows = []
        for r in records:
            rows.append({"mission_id": self.mission.pk, "organization_id": organizations[r.pop("organization")], **r})
        upsert(
            Activity,
            ("mission_id", "organization_id", "sector", "place_id", "activity", "location", "start"),
            rows,
            self.FIELDS,
            existing=Activity.objects.filter(mission=self.mission),
            summary=self.summary,
        )


class NeedsHxlImporter(HxlImporter):
    kind = "humanitarian-needs"
    label = gettext_lazy("Humanitarian: needs assessments (people in need, severity), HXL-tagged CSV")

    def wanted(self) -> dict:
        return {
            "org": self.find("#org", without={"impl", "partner", "code", "acronym", "type", "id"}, prefer=("name",)),
            "sector": self.find("#sector", without=CODE_ATTRIBUTES, prefer=("name", "cluster")) or self.find("#sector"),
            "inneed": self.find("#inneed", without=SEX_AGE_ATTRIBUTES),
            "severity": self.find("#severity", without=CODE_ATTRIBUTES) or self.find("#severity"),
            "date": self.find("#date", having={"assessed", "reported", "survey"})
            or self.find("#date", without={"end"}),
            "method": self.find("#meta", having={"method"}),
            **self.place_columns(),
        }

    def required(self, names: dict):
        return [
            ("#sector", "sector" in names),
            ("#inneed", "inneed" in names),
            ("#severity", "severity" in names),
            ("#date", "date" in names),
            ("#adm1+name / #adm2+name / #adm3+name", any(n.startswith("#adm") for n in names)),
        ]

    def parse(self, row: Row):
        record = {
            "organization": row.text(self.col("org"), 300) if self.col("org") else "",  # optional here
            "sector": self.sector(row),
            "place_id": self.place(row),
            "people_in_need": self.people(row, "inneed", required=True),
            "severity": row.int(self.col("severity"), required=True, minimum=1, maximum=5),
            "assessed_on": self.day(row, "date", required=True),
            "method": self.method(row),
        }
        if not row.failed:
            self.first_row(
                row, (record["organization"].casefold(), record["sector"], record["place_id"], record["assessed_on"])
            )
        return record

    def method(self, row: Row) -> str:
        column = self.col("method")
        text = row.text(column) if column else ""
        if not text:
            return NeedsAssessment.Method.RAPID
        wanted = normalize_sector(text)
        for value, label in NeedsAssessment.Method.choices:
            if wanted in (normalize_sector(value), normalize_sector(str(label))) or normalize_sector(
                str(label)
            ).startswith(wanted):
                return value
        return NeedsAssessment.Method.OTHER

    def write(self, records) -> None:
        organizations = self.organization_ids({r["organization"] for r in records if r["organization"]})
        rows = []
        for r in records:
            name = r.pop("organization")
            rows.append(
                {"mission_id": self.mission.pk, "organization_id": organizations.get(name) if name else None, **r}
            )
        upsert(
            NeedsAssessment,
            ("mission_id", "place_id", "sector", "assessed_on", "organization_id"),
            rows,
            ["people_in_need", "severity", "method"],
            existing=NeedsAssessment.objects.filter(mission=self.mission),
            summary=self.summary,
        )


HUMANITARIAN_IMPORTERS: tuple = (ActivityHxlImporter, NeedsHxlImporter)
