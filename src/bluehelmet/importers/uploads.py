"""Uploaded files become import jobs; what a file may change is checked against who uploads it.

The imports page (`/imports/`) takes files of shared reference data and of country data. Its
rules (see core.access), applied to the rows of the file, not to the form:
- reference data (deployments, site-years, the mission list, host countries, boundaries,
  the gazetteer, strength, populations) only in the missions and countries the uploader administers;
- country data (UCDP events, conflict months) only in the missions and countries where the
  uploader is an administrator or analyst;
- superusers import anything; a mission or country not yet known is theirs alone to create.
A file that reaches one row further is refused whole, naming what it would have changed.
"""

import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from bluehelmet.core import gate
from bluehelmet.core.access import IMPORT_ROLES, countries_where
from bluehelmet.core.job_records import job_actor
from bluehelmet.core.models import Mission, Place, Role
from bluehelmet.core.places import canonical_country_name
from bluehelmet.jobs import submit

from .base import CsvImporter, ImportFailed
from .models import ImportJob
from .registry import get_importer
from .tasks import run_import_job

UPLOAD_DIR = "imports"
SHOWN_ROWS = 5  # row numbers quoted per refused mission or country


def max_upload_bytes() -> int:
    """The largest file the imports pages take (settings.BLUEHELMET_IMPORT_MAX_MB)."""
    return int(settings.BLUEHELMET_IMPORT_MAX_MB) * 1024 * 1024


def upload_too_large(size: int) -> str | None:
    """Why a file of `size` bytes is refused, or None."""
    limit = max_upload_bytes()
    if size > limit:
        return _("This file is %(size)s; imports take files up to %(limit)s.") % {
            "size": filesizeformat(size),
            "limit": filesizeformat(limit),
        }
    return None


def save_upload(upload) -> Path:
    """Store an uploaded file under MEDIA_ROOT/imports/ with a name nobody else has."""
    directory = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    directory.mkdir(parents=True, exist_ok=True)
    name = get_valid_filename(Path(upload.name).name)[-150:] or "upload"
    path = directory / f"{uuid.uuid4().hex}_{name}"
    with open(path, "wb") as f:
        for chunk in upload.chunks():
            f.write(chunk)
    return path


def start_import_job(user, kind: str, upload, options: dict) -> ImportJob:
    path = save_upload(upload)
    return _start(user, kind, upload.name, path, options)


def _start(user, kind: str, name: str, path: Path, options: dict, missions=()) -> ImportJob:
    summary = {"options": options}
    if missions:
        # An object, not a list: has_any_keys finds the jobs of a mission on every database.
        summary["missions"] = dict.fromkeys(sorted(missions), True)
    job = ImportJob.objects.create(
        kind=kind, file_name=name[:300], stored_path=str(path), summary=summary, **job_actor(user)
    )
    submit(run_import_job, job.pk)
    job.refresh_from_db()
    return job


class OutOfReach(Exception):
    """The file changes missions or countries the uploader may not import into."""


def start_checked_import_job(user, kind: str, upload, options: dict) -> ImportJob:
    """An import from the imports page: the stored file's rows are checked against what the
    user may change before the job starts. Raises OutOfReach (the file deleted, no job). The
    job records the missions it touches (summary["missions"]), whose administrators follow it."""
    path = save_upload(upload)
    refusal, missions = check_reach(user, kind, path, options)
    if refusal:
        path.unlink(missing_ok=True)
        raise OutOfReach(refusal)
    return _start(user, kind, upload.name, path, options, missions=missions)


# -- What each kind changes -----------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """Where a kind's rows name what they change. `reference`: shared reference data, for the
    administrators of those missions and countries; otherwise for their importers too."""

    missions: tuple[str, ...] = ()  # columns holding mission acronyms
    countries: tuple[str, ...] = ()  # columns holding country names
    reference: bool = True


# Kinds not listed are refused on the imports page to all but superusers: a mission's own
# imports run from its pages, where the importer checks the role in that mission.
REACH = {
    "geopko": Reach(missions=("Mission",), countries=("country",)),
    "geopko-frontmap": Reach(missions=("mission",), countries=("country",)),
    "geopko-troop-types": Reach(missions=("mission",)),
    "geopko-contributors": Reach(missions=("mission",)),
    "missions": Reach(missions=("Acronym",)),
    "mission-countries": Reach(missions=("Mission",), countries=("Mission_Country",)),
    "strength": Reach(missions=("mission",)),
    "boundaries": Reach(),  # the country the importer settles on (option, ADM0 feature, districts)
    "place-populations": Reach(),  # the countries of the places the rows name
    "gazetteer": Reach(),  # the countries of the rows' ISO codes
    "conflict-months": Reach(missions=("mission",), countries=("location",), reference=False),
    "ged": Reach(countries=("country",), reference=False),
}
REFERENCE_ROLES = (Role.ADMINISTRATOR,)


def roles_for_kind(kind: str) -> tuple[str, ...]:
    """The roles that let a user import this kind into a mission from the imports page."""
    reach = REACH.get(kind)
    if reach is None:
        return ()
    return REFERENCE_ROLES if reach.reference else IMPORT_ROLES


def kinds_for(user, kinds) -> list:
    """The (kind, label) pairs of `kinds` the user may import somewhere."""
    if user.is_superuser:
        return list(kinds)
    held = gate.roles(user) & set(IMPORT_ROLES)  # the memberships the gate already read
    return [(kind, label) for kind, label in kinds if held & set(roles_for_kind(kind))]


def check_reach(user, kind: str, path: Path, options: dict) -> tuple[str, set[str]]:
    """(why this user may not import this file, or ""; the acronyms of the missions it touches,
    directly or through their host countries). The file is read as the importer reads it; a
    file the importer cannot read fails there, changing nothing."""
    roles = roles_for_kind(kind)
    if not roles and not user.is_superuser:
        return _("Only superusers import this kind of file here."), set()
    try:
        missions, countries = touched(kind, path, options) if kind in REACH else ({}, {})
    except ImportFailed:
        return "", set()
    targets = set(missions) | set(
        Mission.objects.filter(host_countries__kind=Place.Kind.COUNTRY, host_countries__name__in=countries).values_list(
            "acronym", flat=True
        )
    )
    if user.is_superuser:
        return "", targets
    allowed_missions = set(gate.missions_holding(user, roles).values_list("acronym", flat=True))
    allowed_countries = set(countries_where(user, roles).values_list("name", flat=True))
    refused = [
        _describe(_("mission %(name)s") % {"name": name}, rows)
        for name, rows in sorted(missions.items())
        if name not in allowed_missions
    ]
    refused += [
        _describe(_("country %(name)s") % {"name": name}, rows)
        for name, rows in sorted(countries.items())
        if name not in allowed_countries
    ]
    if not refused:
        return "", targets
    if roles == REFERENCE_ROLES:
        rule = _(
            "This file changes data you do not administer (only the administrators of a mission import its reference data):"
        )
    else:
        rule = _("This file changes data of missions or countries where you are not an administrator or analyst:")
    return f"{rule} {'; '.join(refused)}. {_('Nothing was imported.')}", targets


def _describe(what: str, rows: list[int]) -> str:
    if not rows:
        return what
    shown = ", ".join(str(row) for row in rows[:SHOWN_ROWS]) + (" …" if len(rows) > SHOWN_ROWS else "")
    return _("%(what)s (rows %(rows)s)") % {"what": what, "rows": shown}


def touched(kind: str, path: Path, options: dict) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """The mission acronyms and country names the file's rows change, each with its rows."""
    importer = get_importer(kind)(path, **options)
    if kind == "boundaries":
        return {}, _boundary_country(importer)
    if kind == "place-populations":
        return {}, _population_countries(importer, options)
    if kind == "gazetteer":
        return {}, _gazetteer_countries(importer)
    reach = REACH[kind]
    if not isinstance(importer, CsvImporter):
        raise ImportFailed([])
    missions: dict[str, list[int]] = {}
    countries: dict[str, list[int]] = {}
    only = options.get("mission") if "mission" in importer.option_names else None
    for row in importer.rows():
        named = [row.raw(column).strip() for column in reach.missions if column in row.index]
        if only and named and named[0] != only:
            continue  # the importer skips other missions' rows too
        for acronym in filter(None, named):
            missions.setdefault(acronym, []).append(row.number)
        for column in reach.countries:
            if column in row.index and (name := row.raw(column).strip()):
                countries.setdefault(canonical_country_name(name), []).append(row.number)
    if importer.errors:
        raise importer.errors.fail()
    if only:
        missions.setdefault(only, [])
    return missions, countries


def _boundary_country(importer) -> dict[str, list[int]]:
    """The country whose areas a boundary file replaces, settled as the importer settles it."""
    importer.kept = list(importer.records())
    if not importer.errors:
        importer.check_all()
    if importer.errors or not getattr(importer, "country_name", ""):
        raise importer.errors.fail()
    return {importer.country_name: []}


def _gazetteer_countries(importer) -> dict[str, list[int]]:
    """The countries whose localities a gazetteer file adds or changes, by its rows' codes."""
    for _record in importer.records():
        pass
    if importer.errors:
        raise importer.errors.fail()
    return importer.country_rows


def _population_countries(importer, options: dict) -> dict[str, list[int]]:
    """The countries of the places a population file names, found as the importer finds them
    (by key, else by name; a name that fits no place or several fails the import anyway)."""
    places = Place.objects.exclude(kind=Place.Kind.LOCALITY)  # as the importer: no gazetteer towns
    if options.get("mission"):
        places = places.filter(country__in=Place.objects.filter(missions_hosted__acronym__iexact=options["mission"]))
    countries: dict[str, list[int]] = {}
    for row in importer.rows():
        value = row.raw("place").strip()
        if not value:
            continue
        found = list(places.filter(key=value).values_list("country__name", flat=True)) or list(
            places.filter(name__iexact=value).values_list("country__name", flat=True)[:2]
        )
        if len(found) == 1:
            countries.setdefault(found[0] or "?", []).append(row.number)
    if importer.errors:
        raise importer.errors.fail()
    return countries
