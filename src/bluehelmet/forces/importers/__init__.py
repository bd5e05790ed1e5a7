"""CSV imports of a mission's units, personnel and training records, and of place
populations (for the optimiser's weights), on the shared importer machinery: every row is
checked before anything is written, and importing a file again changes nothing.

Units, personnel and training take the options `mission` (acronym) and `imported_by` (a
user id): the mission's forces import page passes both, so only the mission's
administrators and analysts import into it (personnel records are sensitive). Populations
are data about places, not about a mission: they are imported like boundaries, from the
imports page, the mission (optional) only narrowing where place names are looked up.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bluehelmet.core import gate
from bluehelmet.core.models import Mission, Organization, Place
from bluehelmet.importers.base import CsvImporter, Row, upsert
from bluehelmet.importers.lookups import member_state_key, organizations_by_key

from ..models import (
    Base,
    Person,
    PersonRole,
    PlacePopulation,
    TrainingCourse,
    TrainingRecord,
    Unit,
    UnitKind,
    UnitPosting,
    months_after,
)

IMPORT_SOURCE = "CSV import"


def choice_value(row: Row, column: str, choices, *, default: str | None = None) -> str | None:
    """A choice given by its value or its English label, case and spaces ignored."""
    text = row.text(column)
    if not text:
        if default is None:
            row.error(column, text, _("a value is required"))
        return default
    wanted = text.casefold().replace("_", " ")
    for value, label in choices.choices:
        if wanted in (value.casefold().replace("_", " "), str(label).casefold()):
            return value
    row.error(column, text, _("not one of: %(values)s") % {"values": ", ".join(v for v, _label in choices.choices)})
    return None


class MissionCsvImporter(CsvImporter):
    """A CSV import into one mission (the `mission` option) by one of its administrators
    or analysts (the `imported_by` option)."""

    option_names = ("mission", "imported_by")
    mission_required = True

    def records(self):
        acronym = self.options.get("mission", "")
        self.mission = Mission.objects.filter(acronym__iexact=acronym).first() if acronym else None
        if self.mission is None and (acronym or self.mission_required):
            raise self.file_error(
                _("unknown mission %(acronym)s") % {"acronym": acronym}
                if acronym
                else _("this kind of import needs a mission: import it from the mission's Forces > Import page"),
                acronym,
            )
        if "imported_by" in self.option_names:
            user = get_user_model().objects.filter(pk=self.options.get("imported_by") or None).first()
            if user is None or not gate.access(user, self.mission).can("forces.manage"):
                raise self.file_error(
                    _("only the mission's administrators and analysts import into it, from its Forces > Import page")
                )
        self._seen = {}
        self.prepare()
        yield from super().records()

    def prepare(self) -> None:
        """Lookups loaded once, after the mission is known."""

    def first_row(self, row: Row, column: str, key) -> bool:
        """Whether this is the first row with `key`; a repeat is an error on `column`."""
        if key in self._seen:
            row.error(column, row.raw(column), _("repeats row %(row)d") % {"row": self._seen[key]})
            return False
        self._seen[key] = row.number
        return True


class UnitImporter(MissionCsvImporter):
    kind = "forces-units"
    label = gettext_lazy("Forces: a mission's units, with strength and base (CSV)")
    required_columns = ("name", "type", "country", "authorised_strength", "actual_strength", "base")
    # Optional: since (the day the unit came to its base), strength_reason.

    def prepare(self):
        self.bases: dict[str, list[int]] = {}
        for base in Base.objects.filter(mission=self.mission).select_related("place"):
            self.bases.setdefault(base.place.name.casefold(), []).append(base.pk)

    def parse(self, row: Row) -> dict:
        unit = {
            "name": row.text("name", 200, required=True),
            "kind": choice_value(row, "type", UnitKind, default=UnitKind.UNKNOWN),
            "country": row.text("country", 300),
            "authorised_strength": row.int("authorised_strength", minimum=0, maximum=100000),
            "actual_strength": row.int("actual_strength", minimum=0, maximum=100000),
            "strength_reason": row.text("strength_reason", 300) if "strength_reason" in row.index else "",
            "base_id": None,
            "since": None,
        }
        if unit["name"]:
            self.first_row(row, "name", unit["name"].casefold())
        authorised, actual = unit["authorised_strength"], unit["actual_strength"]
        if authorised is not None and actual is not None and actual > authorised and not unit["strength_reason"]:
            row.error(
                "actual_strength",
                actual,
                _("above the authorised strength (%(authorised)d): give the reason in a strength_reason column")
                % {"authorised": authorised},
            )
        base = row.text("base")
        if base:
            found = self.bases.get(base.casefold(), [])
            if len(found) != 1:
                row.error(
                    "base",
                    base,
                    _("%(mission)s has no base at %(base)s") % {"mission": self.mission.acronym, "base": base},
                )
            else:
                unit["base_id"] = found[0]
            if "since" in row.index:
                unit["since"] = row.date("since")
            else:
                row.error("since", "", _("a base needs the day the unit came to it: add a since column"))
        return unit

    def write(self, units: list[dict]) -> None:
        names = {u["country"] for u in units if u["country"]}
        known = dict(
            Organization.objects.filter(kind=Organization.Kind.MEMBER_STATE, name__in=names).values_list("name", "pk")
        )
        new = sorted(names - set(known))
        if new:
            pks = organizations_by_key(
                {member_state_key(n): (n, Organization.Kind.MEMBER_STATE) for n in new}, self.summary
            )
            known.update({n: pks[member_state_key(n)] for n in new})
            self.warn(_("contributing countries not known before, added: %(names)s") % {"names": ", ".join(new)})
        records = [
            {
                "mission_id": self.mission.pk,
                "name": u["name"],
                "kind": u["kind"],
                "country_id": known.get(u["country"]),
                "authorised_strength": u["authorised_strength"],
                "actual_strength": u["actual_strength"],
                "strength_reason": u["strength_reason"],
                "source": IMPORT_SOURCE,
            }
            for u in units
        ]
        saved = upsert(
            Unit,
            ("mission_id", "name"),
            records,
            ["kind", "country_id", "authorised_strength", "actual_strength", "strength_reason"],
            existing=Unit.objects.filter(mission=self.mission),
            summary=self.summary,
        )
        postings = [
            {
                "unit_id": saved.pks[(self.mission.pk, u["name"])],
                "base_id": u["base_id"],
                "start": u["since"],
                "troops": u["actual_strength"],
                "source": IMPORT_SOURCE,
            }
            for u in units
            if u["base_id"]
        ]
        upsert(
            UnitPosting,
            ("unit_id", "base_id", "start"),
            postings,
            ["troops"],
            existing=UnitPosting.objects.filter(unit__mission=self.mission),
            summary=self.summary,
            label="postings",
        )


class PersonnelImporter(MissionCsvImporter):
    kind = "forces-personnel"
    label = gettext_lazy("Forces: a mission's personnel, one tour of duty a row (CSV)")
    required_columns = ("reference", "unit", "role", "rank", "arrival", "departure")
    # Optional: name (else the reference stands for it).

    def prepare(self):
        self.units = {
            name.casefold(): pk for name, pk in Unit.objects.filter(mission=self.mission).values_list("name", "pk")
        }

    def parse(self, row: Row) -> dict:
        person = {
            "service_number": row.text("reference", 50, required=True),
            "unit_id": None,
            "role": choice_value(row, "role", PersonRole),
            "rank": row.text("rank", 50),
            "arrival": row.date("arrival"),
            "departure": row.date("departure", required=False),
            "name": row.text("name", 200) if "name" in row.index else "",
        }
        if person["service_number"]:
            self.first_row(row, "reference", person["service_number"])
        unit = row.text("unit")
        if unit:
            person["unit_id"] = self.units.get(unit.casefold())
            if person["unit_id"] is None:
                row.error(
                    "unit",
                    unit,
                    _("unknown unit %(unit)s: %(mission)s has no unit of that name (import the units first)")
                    % {"unit": unit, "mission": self.mission.acronym},
                )
        if person["arrival"] and person["departure"] and person["departure"] < person["arrival"]:
            row.error(
                "departure",
                row.raw("departure"),
                _("departure before arrival (%(arrival)s)") % {"arrival": person["arrival"]},
            )
        person["name"] = person["name"] or person["service_number"]
        return person

    def write(self, people: list[dict]) -> None:
        for person in people:
            person["mission_id"] = self.mission.pk
        upsert(
            Person,
            ("mission_id", "service_number"),
            people,
            ["unit_id", "role", "rank", "arrival", "departure", "name"],
            existing=Person.objects.filter(mission=self.mission),
            summary=self.summary,
        )


class TrainingImporter(MissionCsvImporter):
    kind = "forces-training"
    label = gettext_lazy("Forces: training completions of a mission's personnel (CSV)")
    required_columns = ("person", "course", "completed", "expires")
    # Optional: certificate (its number).

    def prepare(self):
        self.people = dict(
            Person.objects.filter(mission=self.mission).exclude(service_number="").values_list("service_number", "pk")
        )
        self.courses = {}
        for course in TrainingCourse.objects.all():
            self.courses[course.code.casefold()] = self.courses[course.name.casefold()] = course

    def parse(self, row: Row) -> dict:
        record = {
            "person_id": None,
            "course": None,
            "completed": row.date("completed"),
            "expires": row.date("expires", required=False),
            "certificate_number": row.text("certificate", 60) if "certificate" in row.index else "",
        }
        reference = row.text("person", required=True)
        if reference:
            record["person_id"] = self.people.get(reference)
            if record["person_id"] is None:
                row.error(
                    "person",
                    reference,
                    _("%(mission)s has no person with this reference (import the personnel first)")
                    % {"mission": self.mission.acronym},
                )
        course = row.text("course", required=True)
        if course:
            record["course"] = self.courses.get(course.casefold())
            if record["course"] is None:
                row.error("course", course, _("unknown course: give a course code or name"))
        if record["completed"] and record["expires"] and record["expires"] < record["completed"]:
            row.error(
                "expires",
                row.raw("expires"),
                _("expires before it was completed (%(completed)s)") % {"completed": record["completed"]},
            )
        if not row.failed:
            self.first_row(row, "course", (record["person_id"], record["course"].pk, record["completed"]))
        return record

    def write(self, records: list[dict]) -> None:
        for record in records:
            course = record.pop("course")
            record["course_id"] = course.pk
            if record["expires"] is None and course.validity_months:
                record["expires"] = months_after(record["completed"], course.validity_months)
        upsert(
            TrainingRecord,
            ("person_id", "course_id", "completed"),
            records,
            ["expires", "certificate_number"],
            existing=TrainingRecord.objects.filter(person__mission=self.mission),
            summary=self.summary,
        )


class PopulationImporter(MissionCsvImporter):
    """Populations by place key, or by name (within the mission's host countries when a
    mission is given); the allocation optimiser weights risk by them."""

    kind = "place-populations"
    label = gettext_lazy("Place populations, for the allocation plan's weights (CSV)")
    required_columns = ("place", "population", "source", "year")
    option_names = ("mission",)
    mission_required = False

    def prepare(self):
        # Not the gazetteer's localities: a town's name would make its site's name ambiguous.
        self.places = Place.objects.exclude(kind=Place.Kind.LOCALITY)
        if self.mission is not None:
            self.places = self.places.filter(country__in=self.mission.host_countries.all())
        self.found: dict[str, list[int]] = {}

    def place_ids(self, value: str) -> list[int]:
        if value not in self.found:
            by_key = list(self.places.filter(key=value).values_list("pk", flat=True))
            self.found[value] = by_key or list(self.places.filter(name__iexact=value).values_list("pk", flat=True)[:10])
        return self.found[value]

    def parse(self, row: Row) -> dict:
        record = {
            "place_id": None,
            "population": row.int("population", required=True, minimum=0, maximum=2_000_000_000),
            "source": row.text("source", 300, required=True),
            "year": row.int("year", minimum=1800, maximum=2100),
        }
        value = row.text("place", required=True)
        if value:
            ids = self.place_ids(value)
            where = self.mission.acronym if self.mission else ""
            if not ids:
                row.error(
                    "place",
                    value,
                    _("no place with this name or key in the host countries of %(mission)s") % {"mission": where}
                    if where
                    else _("no place with this name or key"),
                )
            elif len(ids) > 1:
                row.error(
                    "place", value, _("%(n)d places have this name: give the place key instead") % {"n": len(ids)}
                )
            else:
                record["place_id"] = ids[0]
                self.first_row(row, "place", ids[0])
        return record

    def write(self, records: list[dict]) -> None:
        upsert(
            PlacePopulation,
            ("place_id",),
            records,
            ["population", "source", "year"],
            existing=PlacePopulation.objects.filter(place_id__in=[r["place_id"] for r in records]),
            summary=self.summary,
        )


FORCES_IMPORTERS = (UnitImporter, PersonnelImporter, TrainingImporter, PopulationImporter)
