"""Finding admin areas by the names and codes that files use, for any importer.

Files name places their own way ("Western Rural", "Kailahun District", "KONO"). An import
must never drop a row whose place it cannot find, nor guess: the resolver collects every
unknown name with the rows that used it, the importer refuses the file listing them, and
the names wait on the matching page (/imports/places/) where a person maps each to a known
place. The mapping is kept as a PlaceAlias, so the same file then imports.

    resolver = PlaceResolver(mission.host_countries.all(), source="humanitarian-3w", file_name="3w.csv")
    place_id = resolver.resolve(row.number, Place.Kind.ADM2, name="Kenema", column="#adm2+name")
    ...
    if resolver.unknown:
        resolver.save_unknown()          # for the matching page (kept even though the import fails)
        resolver.report(self.errors)     # one error per unknown name, with all its rows

Lookup order for one (level, name or code): the place's P-code or code; an alias set on the
matching page (or a spelling in PUBLISHED_SPELLINGS); the place's own name, compared without
case, accents, punctuation or a trailing "district"/"prefecture"/"province"; with several
places of that name, the one inside `parent_name`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from bluehelmet.core.models import Place

from .base import ErrorList
from .models import PlaceAlias, UnmatchedPlaceName

SUFFIXES = ("district", "chiefdom", "province", "region", "prefecture", "county")
MAX_ROWS_LISTED = 50

# Other spellings of admin areas in widely used published datasets, by the area's P-code:
# known aliases every installation needs, so nobody has to match them by hand.
PUBLISHED_SPELLINGS = {
    "CF42": ("Nana-Grébizi",)  # UCDP GED's spelling of OCHA's Nana-Gribizi (CAR)
}


def normalize_place_name(name: str) -> str:
    """ "Kailahun District" -> "kailahun", "Ségbwéma" -> "segbwema"."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    words = re.sub(r"[^0-9a-z]+", " ", text).split()
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    return " ".join(words)


@dataclass
class UnknownName:
    kind: str
    name: str
    column: str
    parent_name: str = ""
    rows: list[int] = field(default_factory=list)
    ambiguous: int = 0  # how many places have this name when it is ambiguous


class PlaceResolver:
    """Resolves admin-area names and codes within some countries (a mission's host countries)."""

    def __init__(self, countries, *, source: str, file_name: str = ""):
        self.country_ids = [c.pk for c in countries]
        self.source = source
        self.file_name = file_name
        self.unknown: dict[tuple[str, str], UnknownName] = {}
        self.by_name: dict[tuple[str, str], list[tuple[int, str]]] = {}
        self.by_code: dict[tuple[str, str], int] = {}
        self.aliases: dict[tuple[str, str], int] = {}
        areas = Place.objects.filter(country_id__in=self.country_ids, kind__in=Place.AREA_KINDS).values_list(
            "pk", "kind", "name", "code", "pcode", "parent__name"
        )
        for pk, kind, name, code, pcode, parent in areas:
            self.by_name.setdefault((kind, normalize_place_name(name)), []).append(
                (pk, normalize_place_name(parent or ""))
            )
            if code:
                self.by_code[(kind, code.strip().casefold())] = pk
            if pcode:
                self.by_code[(kind, pcode.strip().casefold())] = pk
                for spelling in PUBLISHED_SPELLINGS.get(pcode, ()):
                    self.aliases[(kind, normalize_place_name(spelling))] = pk
        for kind, normalized, pk in PlaceAlias.objects.filter(place__country_id__in=self.country_ids).values_list(
            "kind", "normalized", "place_id"
        ):
            self.aliases[(kind, normalized)] = pk

    def resolve(
        self, row: int, kind: str, *, name: str = "", code: str = "", parent_name: str = "", column: str = ""
    ) -> int | None:
        """The id of the place, or None with the name recorded as unknown for this row."""
        if code and (pk := self.by_code.get((kind, code.strip().casefold()))):
            return pk
        normalized = normalize_place_name(name)
        if not normalized:
            normalized, name = code.strip().casefold(), code.strip()
        if (pk := self.aliases.get((kind, normalized))) is not None:
            return pk
        found = self.by_name.get((kind, normalized), [])
        if len(found) > 1 and parent_name:
            found = [f for f in found if f[1] == normalize_place_name(parent_name)] or found
        if len(found) == 1:
            return found[0][0]
        unknown = self.unknown.setdefault((kind, normalized), UnknownName(kind, name, column, parent_name))
        unknown.ambiguous = len(found)
        unknown.rows.append(row)
        return None

    def report(self, errors: ErrorList) -> None:
        """One error per unknown name, on its first row, listing every row that used it."""
        for unknown in self.unknown.values():
            rows = ", ".join(str(r) for r in unknown.rows[:MAX_ROWS_LISTED]) + (
                " ..." if len(unknown.rows) > MAX_ROWS_LISTED else ""
            )
            level = Place.Kind(unknown.kind).label
            if unknown.ambiguous:
                message = _(
                    "%(n)d places of level %(level)s have this name: give the higher admin area too, or match it "
                    "on the place matching page (rows %(rows)s)"
                ) % {"n": unknown.ambiguous, "level": level, "rows": rows}
            else:
                message = _(
                    "unknown place (%(level)s) in rows %(rows)s: match it to a known place on the place matching "
                    "page, then import the file again"
                ) % {"level": level, "rows": rows}
            errors.add(unknown.rows[0], unknown.column, unknown.name, message)

    def save_unknown(self) -> None:
        """Keep the unknown names for the matching page. Called when the import is refused,
        so it commits on its own: the names must outlive the failed import."""
        country_id = self.country_ids[0] if len(self.country_ids) == 1 else None
        with transaction.atomic():
            for (kind, normalized), unknown in self.unknown.items():
                UnmatchedPlaceName.objects.update_or_create(
                    country_id=country_id,
                    kind=kind,
                    normalized=normalized,
                    defaults={
                        "name": unknown.name[:200],
                        "parent_name": unknown.parent_name[:200],
                        "source": self.source,
                        "file_name": self.file_name[:300],
                        "rows": unknown.rows[:MAX_ROWS_LISTED],
                        "matched_to": None,
                    },
                )


def match_place_name(unmatched: UnmatchedPlaceName, place: Place, user=None) -> PlaceAlias:
    """Record that `unmatched` means `place`: an alias for future imports."""
    with transaction.atomic():
        alias, _created = PlaceAlias.objects.update_or_create(
            place=place,
            kind=unmatched.kind,
            normalized=unmatched.normalized,
            defaults={
                "name": unmatched.name,
                "created_by": user if user is not None and user.is_authenticated else None,
            },
        )
        # Another place may have held this alias in the same country: the latest match wins.
        PlaceAlias.objects.filter(
            kind=unmatched.kind, normalized=unmatched.normalized, place__country_id=place.country_id
        ).exclude(pk=alias.pk).delete()
        unmatched.matched_to = place
        unmatched.save(update_fields=["matched_to", "last_seen"])
    return alias


def match_candidates(unmatched: UnmatchedPlaceName, places) -> list[Place]:
    """The places of the name's level that it may mean, the likeliest first (by how similar
    their names are), from `places` (the user's visible places)."""
    import difflib

    options = list(places.filter(kind=unmatched.kind).select_related("parent").order_by("name"))
    if unmatched.country_id:
        options = [p for p in options if p.country_id == unmatched.country_id]
    target = unmatched.normalized
    return sorted(
        options, key=lambda p: (-difflib.SequenceMatcher(None, target, normalize_place_name(p.name)).ratio(), p.name)
    )
