"""Import kinds of this area, registered in importers.registry by CivilAffairsConfig.ready.

Perception surveys come as the CSV exports of KoBoToolbox or ODK Central: metadata columns
(`start`, `end`, `today`, `_uuid`, `_submission_time`, `_index`, or ODK's `KEY`,
`meta/instanceID`, `SubmissionDate`), and question columns named by their group path
(`grp_security/feel_safe`). The mapping options say which columns hold the place, the date
and the trust and security questions; a column may be named without its group.
KoBoToolbox writes `;`-separated files by default, ODK Central `,`: both are read.

Every row is checked before anything is written; unknown places are all listed (with the
rows they are on) and the file refused; importing the same export again changes nothing
(rows are keyed on the submission's uuid).
"""

import csv
import datetime
import tempfile
from collections import defaultdict
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bluehelmet.core import gate
from bluehelmet.core.models import Mission, Place
from bluehelmet.importers.base import CsvImporter, Row, sniff_not_text, upsert

from .models import Survey, SurveyResponse

UUID_COLUMNS = ("_uuid", "meta/instanceID", "KEY", "instanceID")
MAPPING_DEFAULTS = {
    "place_column": "place",
    "date_column": "today",
    "trust_column": "trust_mission",
    "security_column": "feel_safe",
}
# When a name fits several places, the district wins, then the chiefdom, the province, a site.
PLACE_PREFERENCE = (Place.Kind.ADM2, Place.Kind.ADM3, Place.Kind.ADM1, Place.Kind.SITE)

YES = {
    "yes",
    "oui",
    "true",
    "agree",
    "strongly_agree",
    "somewhat_agree",
    "agree_somewhat",
    "safe",
    "very_safe",
    "somewhat_safe",
    "completely",
    "mostly",
    "a_lot",
    "trust",
    "high",
}
NO = {
    "no",
    "non",
    "false",
    "disagree",
    "strongly_disagree",
    "somewhat_disagree",
    "disagree_somewhat",
    "unsafe",
    "very_unsafe",
    "not_safe",
    "somewhat_unsafe",
    "not_at_all",
    "a_little",
    "little",
    "neutral",
    "neither",
    "neither_agree_nor_disagree",
    "low",
    "no_trust",
    "distrust",
}
NO_ANSWER = {
    "",
    "dont_know",
    "do_not_know",
    "dk",
    "refused",
    "refuse",
    "no_answer",
    "prefer_not_to_say",
    "na",
    "n/a",
    "none",
    "not_applicable",
}


def read_answer(value: str) -> tuple[bool | None, bool]:
    """(answer, understood): yes -> True, no or neutral -> False, no answer -> None.
    Numbers are a 1-5 agreement scale: 4 and 5 are yes, 1 to 3 no."""
    word = value.strip().casefold().replace("'", "").replace("’", "").replace("-", "_").replace(" ", "_")
    if word in NO_ANSWER:
        return None, True
    if word in YES:
        return True, True
    if word in NO:
        return False, True
    try:
        number = float(word)
    except ValueError:
        return None, False
    if number.is_integer() and 1 <= number <= 5:
        return number >= 4, True
    return None, False


def read_day(value: str) -> datetime.date | None:
    """A date, or the date of an ISO date-time (`start`, `_submission_time`)."""
    text = value.strip()
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


class PerceptionSurveyImporter(CsvImporter):
    kind = "civilaffairs-perception"
    label = gettext_lazy("Civil affairs: perception survey (KoBoToolbox / ODK Central CSV export)")
    option_names = ("mission", "imported_by", "survey", *MAPPING_DEFAULTS)

    def records(self):
        acronym = self.options.get("mission", "")
        self.mission = Mission.objects.filter(acronym__iexact=acronym).first() if acronym else None
        if self.mission is None:
            raise self.file_error(
                _("unknown mission %(acronym)s") % {"acronym": acronym}
                if acronym
                else _("a survey is imported into a mission: use the mission's Civil affairs > Surveys page"),
                acronym,
            )
        user = get_user_model().objects.filter(pk=self.options.get("imported_by") or None).first()
        if user is None or not gate.access(user, self.mission).can("civilaffairs.surveys"):
            raise self.file_error(
                _("only the mission's civil affairs officers, analysts and administrators import surveys")
            )
        self.survey_name = str(self.options.get("survey", "")).strip()[:200]
        if not self.survey_name:
            raise self.file_error(_("give the survey a name"))
        self.mapping = {
            name: str(self.options.get(name) or default).strip() for name, default in MAPPING_DEFAULTS.items()
        }
        self._load_places()
        self._seen: dict[str, int] = {}
        self.unknown: dict[str, list[int]] = defaultdict(list)
        self._use_comma_copy()
        try:
            yield from super().records()
        finally:
            if getattr(self, "_copy", None):
                Path(self._copy).unlink(missing_ok=True)
                self.path, self._copy = self._original, None
        for name, rows in self.unknown.items():
            shown = ", ".join(str(r) for r in rows[:50]) + (" ..." if len(rows) > 50 else "")
            self.errors.add(
                rows[0],
                self.columns["place"],
                name,
                _(
                    "unknown place: not a place of %(mission)s's host countries (%(n)d rows: %(rows)s); correct the name or add the place"
                )
                % {"mission": self.mission.acronym, "n": len(rows), "rows": shown},
            )

    def _load_places(self):
        preference = {kind: i for i, kind in enumerate(PLACE_PREFERENCE)}
        found: dict[str, tuple[int, int]] = {}
        places = Place.objects.filter(
            country__in=self.mission.host_countries.all(), kind__in=PLACE_PREFERENCE
        ).values_list("id", "name", "code", "kind")
        for pk, name, code, kind in places:
            for key in filter(None, (name.casefold().strip(), code.casefold().strip())):
                rank = preference[kind]
                if key not in found or rank < found[key][0]:
                    found[key] = (rank, pk)
        self.places = {key: pk for key, (_rank, pk) in found.items()}

    def _use_comma_copy(self):
        """KoBoToolbox's `;`-separated export, copied to a `,`-separated one the shared CSV
        reader takes. Comma files, and files that are not text at all, are left to it."""
        self._original, self._copy = self.path, None
        try:
            with open(self.path, "rb") as f:
                raw_lines = f.read().splitlines(keepends=True)
        except OSError:
            return
        header = raw_lines[0].decode("utf-8", errors="replace") if raw_lines else ""
        if header.count(";") <= header.count(",") or sniff_not_text(raw_lines[0][:4096] if raw_lines else b""):
            return
        for number, raw in enumerate(raw_lines, start=1):
            try:
                raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                bad = raw[exc.start : exc.start + 1].hex()
                raise self.file_error(
                    _("the file is not UTF-8: byte 0x%(byte)s on line %(line)d; save it as UTF-8 and try again")
                    % {"byte": bad, "line": number},
                    bad,
                )
        try:
            with open(self.path, encoding="utf-8-sig", newline="") as f:
                rows = list(csv.reader(f, delimiter=";"))
        except csv.Error:
            return
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(rows)
        self._copy = out.name
        self.path = Path(out.name)

    def _check_header(self, header):
        index = super()._check_header(header)
        self.columns = {}
        for option, key in (
            ("place_column", "place"),
            ("date_column", "date"),
            ("trust_column", "trust"),
            ("security_column", "security"),
        ):
            wanted = self.mapping[option]
            if wanted in index:
                self.columns[key] = wanted
                continue
            matches = [name for name in index if name.rsplit("/", 1)[-1] == wanted]
            if len(matches) == 1:
                self.columns[key] = matches[0]
            elif matches:
                self.errors.add(
                    1,
                    wanted,
                    wanted,
                    _("several columns end in %(name)s: %(columns)s; give the full column name")
                    % {"name": wanted, "columns": ", ".join(matches)},
                )
            else:
                self.errors.add(
                    1,
                    wanted,
                    wanted,
                    _("missing column %(name)s (mapping option %(option)s)") % {"name": wanted, "option": option},
                )
        uuid = next((name for name in UUID_COLUMNS if name in index), None)
        if uuid is None:
            self.errors.add(
                1,
                "_uuid",
                "",
                _("missing the submission id column (_uuid in KoBoToolbox, KEY or meta/instanceID in ODK Central)"),
            )
        self.columns["uuid"] = uuid
        if self.errors:
            raise self.errors.fail()
        return index

    def parse(self, row: Row):
        c = self.columns
        uuid = row.text(c["uuid"], 100, required=True)
        if uuid:
            if uuid in self._seen:
                row.error(c["uuid"], uuid, _("repeats row %(row)d") % {"row": self._seen[uuid]})
            else:
                self._seen[uuid] = row.number
        place_name = row.text(c["place"], 200, required=True)
        place_id = self.places.get(place_name.casefold()) if place_name else None
        if place_name and place_id is None:
            self.unknown[place_name].append(row.number)
            row.failed = True
        raw_day = row.text(c["date"], required=True)
        day = read_day(raw_day) if raw_day else None
        if raw_day and day is None:
            row.error(c["date"], raw_day, _("not a date (expected YYYY-MM-DD or an ISO date and time)"))
        answers = {}
        for key in ("trust", "security"):
            raw = row.raw(c[key]).strip()
            answer, understood = read_answer(raw)
            if not understood:
                row.error(
                    c[key],
                    raw,
                    _(
                        "not an answer this import reads: yes/no, agree/disagree, safe/unsafe, 1-5, or don't know / refused"
                    ),
                )
            answers[key], answers[f"{key}_answer"] = answer, raw[:50]
        return {"uuid": uuid, "place_id": place_id, "answered_on": day, **answers}

    def write(self, records):
        survey, _created = Survey.objects.update_or_create(
            mission=self.mission,
            name=self.survey_name,
            defaults={"trust_question": self.columns["trust"], "security_question": self.columns["security"]},
        )
        rows = [{"survey_id": survey.pk, **record} for record in records]
        upsert(
            SurveyResponse,
            ("survey_id", "uuid"),
            rows,
            ["place_id", "answered_on", "trust", "security", "trust_answer", "security_answer"],
            existing=SurveyResponse.objects.filter(survey=survey),
            summary=self.summary,
            need_pks=False,
        )


CIVILAFFAIRS_IMPORTERS: tuple = (PerceptionSurveyImporter,)
