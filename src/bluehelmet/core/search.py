"""Search everywhere: one search box over the records of every area, through the gate.

Each app declares what it makes searchable in a module `<app>/search.py` (found at start-up,
like permissions.py and retention.py) by calling `register`:

    from bluehelmet.core.search import SearchKind, register

    register(SearchKind(
        name="performance.lesson",                  # unique, "<app>.<what>"
        label=_("Lessons"),                         # the heading of its results
        model="performance.Lesson",
        title=lambda lesson: lesson.title,          # what a result is called
        body=lambda lesson: lesson.observation,     # the text it is found by (and its snippet)
        url=lambda pk, acronym, title: reverse("performance:lesson", args=[acronym, pk]),
        visible=lambda user, access: visible_lessons(user).filter(mission=access.mission),
    ))

`visible(user, access)` answers the records of `access.mission` the user may see: the app's
own gate-filtered queryset (mission and sharing, TLP labels, capabilities), the very one its
pages read. `mission_field` is the path to the record's mission ("incident__mission"), None for
records of no one mission (places, actors: `visible` decides which missions offer them).

How a search runs (`search`):
1. the index (SearchEntry, kept up to date on every save and delete of a registered model,
   rebuilt by `bluehelmet reindex` and the demo) proposes the best candidates of the user's
   missions: one full-text query, ranked by the engine (bm25 on SQLite FTS5, ts_rank on
   PostgreSQL);
2. the gate keeps those the user may see: each kind's `visible` queryset in each of the
   user's missions, restricted to the candidates, all in one UNION query. The index is only a
   candidate finder: nothing of a record (title, snippet, even its count) is shown before this
   check, so an index out of date, or one holding RED text, never leaks;
3. the titles and snippets of the results shown are read (one query) and the matched words
   highlighted.
A search costs a fixed number of queries whatever it finds (tests/core/test_search.py).

Words are folded (case, accents, apostrophes: "Mbaïki" is "mbaiki") and stemmed in Python,
in French and in English (Snowball stemmers), both when a record is indexed and when a query
is read, so both engines match alike: "attaques" finds "attaque", "villages" finds
"village", "attacked" finds "attacks". Each word of a query must match (as a prefix of a
stem, so a word being typed already finds).
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import snowballstemmer
from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import F, IntegerField, Value
from django.db.models.signals import post_delete, post_save

from .discovery import discover as discover_modules
from .gate import Access
from .models import SearchEntry

# A query shorter than this (folded letters) is not run: a clear message instead.
MIN_QUERY_LENGTH = 2
# At most this many query words are used (the rest is ignored): a bounded full-text query.
MAX_QUERY_WORDS = 8
# The index proposes at most this many candidates (the best ranked) to the gate.
MAX_CANDIDATES = 1000
# What is kept of a record's text for its snippet.
MAX_BODY = 4000
SNIPPET_WORDS = 30
BATCH = 1000

POSTGRES_DOCUMENT = "to_tsvector('simple'::regconfig, terms)"


@dataclass(frozen=True)
class SearchKind:
    name: str
    label: str
    model: str
    title: Callable[[Any], str]
    body: Callable[[Any], str]
    url: Callable[[int, str, str], str]  # (link id, mission acronym, title) -> the record's page
    visible: Callable[[Any, Access], models.QuerySet]  # (user, access) -> records of access.mission
    mission_field: str | None = "mission"
    # The id `url` receives: the record's own, or that of the page showing it ("incident").
    link_field: str = "pk"
    # The records the index holds (select_related what title and body read); default: all.
    records: Callable[[], models.QuerySet] | None = None
    # Which saved records belong in the index (default: all): e.g. places of some kinds only.
    wanted: Callable[[Any], bool] | None = None
    # More words a record is found by, never shown (a place's other names).
    keywords: Callable[[Any], str] | None = None
    order: int = 100  # where its results come on the page

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def indexed_records(self) -> models.QuerySet:
        return self.records() if self.records else self.model_class()._default_manager.all()

    def mission_of(self, record) -> int | None:
        if self.mission_field is None:
            return None
        value = record
        *path, last = self.mission_field.split("__")
        for step in path:
            value = getattr(value, step)
            if value is None:
                return None
        return getattr(value, f"{last}_id")


_kinds: dict[str, SearchKind] = {}
_discovered = False


def register(kind: SearchKind) -> SearchKind:
    """Add a kind of record to the search; the same kind twice keeps one, another under the
    same name is refused."""
    known = _kinds.get(kind.name)
    if known is not None and known != kind:
        raise ValueError(f"Search kind {kind.name!r} registered twice.")
    _kinds[kind.name] = kind
    return kind


def kinds() -> list[SearchKind]:
    """Every registered kind, in page order (each app's search.py imported first)."""
    discover()
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.name))


def kind(name: str) -> SearchKind | None:
    discover()
    return _kinds.get(name)


def discover() -> None:
    """Import each app's search.py and keep the index in step with its models (CoreConfig.ready)."""
    global _discovered
    if _discovered:
        return
    discover_modules("search")
    _discovered = True
    for registered in _kinds.values():
        model = registered.model_class()
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-saved-{registered.name}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-deleted-{registered.name}")


def _kinds_of(model: type[models.Model]) -> list[SearchKind]:
    return [registered for registered in _kinds.values() if registered.model_class() is model]


def _saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: `bluehelmet reindex` afterwards
        return
    for registered in _kinds_of(sender):
        if registered.wanted is None or registered.wanted(instance):
            index_records(registered, [instance])
        else:
            SearchEntry.objects.filter(kind=registered.name, object_id=instance.pk).delete()


def _deleted(sender, instance, **kwargs) -> None:
    for registered in _kinds_of(sender):
        SearchEntry.objects.filter(kind=registered.name, object_id=instance.pk).delete()


# --- words: folded and stemmed, the same at index and at query time ---------------------------

_APOSTROPHES = re.compile(r"['’`ʼ]")
_NOT_WORD = re.compile(r"[\W_]+")
_WORD_OR_NOT = re.compile(r"(\w+(?:['’`ʼ]\w+)*)", re.UNICODE)


@functools.cache
def _stemmers():
    return snowballstemmer.stemmer("french"), snowballstemmer.stemmer("english")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    """The folded words of `text`. A word with an apostrophe gives its parts and the parts
    joined ("M'Baïki": "m", "baiki", "mbaiki"; "l'attaque": "l", "attaque", "lattaque"), so
    a query finds it written either way."""
    found = []
    for token in _fold(text).split():
        if _APOSTROPHES.search(token):
            joined = _NOT_WORD.sub("", _APOSTROPHES.sub("", token))
            found.extend(part for part in _NOT_WORD.split(_APOSTROPHES.sub(" ", token)) if part)
            if joined:
                found.append(joined)
        else:
            found.extend(part for part in _NOT_WORD.split(token) if part)
    return found


@functools.lru_cache(maxsize=20000)
def stems(word: str) -> tuple[str, ...]:
    """The French and English stems of a folded word (one when they agree)."""
    french, english = _stemmers()
    return tuple(dict.fromkeys((french.stemWord(word), english.stemWord(word))))


def terms_of(*texts: str) -> str:
    """What the index stores for `texts`: their words' stems, space-separated."""
    return " ".join(stem for text in texts for word in words(text) for stem in stems(word))


@dataclass(frozen=True)
class Query:
    """A query as typed, read into groups of stems: a record matches when, for every group,
    one of its stems starts with one of the group's."""

    text: str
    groups: tuple[tuple[str, ...], ...] = field(default=())

    @classmethod
    def parse(cls, text: str) -> Query:
        groups: list[tuple[str, ...]] = []
        for token in _fold(text).split():
            found = words(token)
            if _APOSTROPHES.search(token):
                # "l'attaque" finds "attaque" and "l'attaque"; "M'Baïki" finds "Mbaïki" too.
                # One-letter pieces ("l", "d") would match nearly everything as prefixes.
                found = [word for word in found if len(word) > 1] or found
                groups.append(tuple(dict.fromkeys(stem for word in found for stem in stems(word))))
            else:
                groups += [stems(word) for word in found]
        unique = list(dict.fromkeys(group for group in groups if group))
        return cls(text=text, groups=tuple(unique[:MAX_QUERY_WORDS]))

    @property
    def too_short(self) -> bool:
        return sum(len(word) for group in self.groups for word in group[:1]) < MIN_QUERY_LENGTH

    def fts5(self) -> str:
        """An FTS5 MATCH expression (each stem quoted, so nothing typed is an operator)."""
        return " AND ".join(
            "(" + " OR ".join('"{}"*'.format(stem.replace('"', '""')) for stem in group) + ")" for group in self.groups
        )

    def tsquery(self) -> str:
        """A PostgreSQL to_tsquery expression (each stem quoted, as a prefix)."""
        return " & ".join(
            "(" + " | ".join("'{}':*".format(stem.replace("'", "''").replace("\\", "")) for stem in group) + ")"
            for group in self.groups
        )

    def matches(self, word: str) -> bool:
        """Whether a folded word of a text is one of the query's (for the highlight)."""
        word_stems = stems(word)
        return any(ws.startswith(stem) for ws in word_stems for group in self.groups for stem in group)


# --- the index -----------------------------------------------------------------------------------


def entry_for(registered: SearchKind, record) -> SearchEntry:
    title = str(registered.title(record) or "")[:300]
    body = str(registered.body(record) or "")
    # The title counts twice: a word in it ranks a record above one that only mentions it.
    return SearchEntry(
        kind=registered.name,
        object_id=record.pk,
        mission_id=registered.mission_of(record),
        title=title,
        body=body[:MAX_BODY],
        terms=terms_of(title, title, body, registered.keywords(record) if registered.keywords else ""),
    )


def index_records(registered: SearchKind, records: Iterable) -> int:
    """Write (insert or replace) the index entries of `records`: one statement per batch."""
    entries = [entry_for(registered, record) for record in records]
    for start in range(0, len(entries), BATCH):
        SearchEntry.objects.bulk_create(
            entries[start : start + BATCH],
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=["mission", "title", "body", "terms", "updated_at"],
        )
    return len(entries)


def reindex(names: Sequence[str] = (), progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Rebuild the index of the given kinds (every kind when none): the entries of records
    gone are dropped, every record's entry written again. One transaction per kind."""
    from django.utils import timezone

    counts = {}
    for registered in kinds():
        if names and registered.name not in names:
            continue
        started = timezone.now()
        with transaction.atomic():
            count = 0
            records = registered.indexed_records().order_by("pk")
            batch = []
            for record in records.iterator(chunk_size=BATCH):
                batch.append(record)
                if len(batch) >= BATCH:
                    count += index_records(registered, batch)
                    batch = []
            count += index_records(registered, batch)
            # Whatever was not written again belongs to a record that is gone.
            SearchEntry.objects.filter(kind=registered.name, updated_at__lt=started).delete()
        counts[registered.name] = count
        if progress:
            progress(f"{registered.name}: {count}")
    SearchEntry.objects.exclude(kind__in=[registered.name for registered in kinds()]).delete()
    return counts


def reindex_models(written: Iterable[type[models.Model]]) -> dict[str, int]:
    """Rebuild the kinds of the models written in bulk (an import: core.importers' run_import)."""
    written = set(written)
    names = [registered.name for registered in kinds() if registered.model_class() in written]
    return reindex(names) if names else {}


def demo_reindex(progress: Callable[[str], None]) -> None:
    """The demo's last step: every record it loaded, in the search index."""
    counts = reindex()
    progress(f"search index: {sum(counts.values())} records")


# --- searching -----------------------------------------------------------------------------------


@dataclass
class Hit:
    kind: SearchKind
    object_id: int
    link_id: int
    mission_id: int
    acronym: str
    entry_id: int
    rank: int  # 0 the best
    title: list[tuple[str, bool]] = field(default_factory=list)  # (text, matched)
    snippet: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.kind.url(self.link_id, self.acronym, self.title_text)

    @property
    def title_text(self) -> str:
        return "".join(text for text, _matched in self.title)

    @property
    def snippet_text(self) -> str:
        return "".join(text for text, _matched in self.snippet)


@dataclass
class Results:
    query: Query
    hits: list[Hit]  # every visible hit, best first
    counts: dict[str, int]  # kind name -> number of visible hits

    @property
    def total(self) -> int:
        return len(self.hits)

    def of_kind(self, name: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.kind.name == name]


def _candidates(query: Query, mission_ids: list[int] | None, kind_names: list[str]) -> list[tuple]:
    """(entry id, kind, object id, mission id) of the best matches, best first: one query."""
    conditions, params = [], []
    if mission_ids is not None:
        placeholders = ", ".join(["%s"] * len(mission_ids)) or "NULL"
        conditions.append(f"(e.mission_id IN ({placeholders}) OR e.mission_id IS NULL)")
        params += mission_ids
    conditions.append(f"e.kind IN ({', '.join(['%s'] * len(kind_names))})")
    params += kind_names
    where = " AND ".join(conditions)
    if connection.vendor == "sqlite":
        sql = (
            "SELECT e.id, e.kind, e.object_id, e.mission_id FROM core_searchentry_fts f "
            "JOIN core_searchentry e ON e.id = f.rowid "
            f"WHERE core_searchentry_fts MATCH %s AND {where} ORDER BY bm25(core_searchentry_fts), e.id LIMIT %s"
        )
        params = [query.fts5(), *params, MAX_CANDIDATES]
    elif connection.vendor == "postgresql":
        sql = (
            "SELECT e.id, e.kind, e.object_id, e.mission_id FROM core_searchentry e, "
            "to_tsquery('simple'::regconfig, %s) q "
            f"WHERE {POSTGRES_DOCUMENT} @@ q AND {where} "
            f"ORDER BY ts_rank({POSTGRES_DOCUMENT}, q) DESC, e.id LIMIT %s"
        )
        params = [query.tsquery(), *params, MAX_CANDIDATES]
    else:  # another engine: every stem as a substring of the terms, unranked
        sql = f"SELECT e.id, e.kind, e.object_id, e.mission_id FROM core_searchentry e WHERE {where}"
        for group in query.groups:
            sql += " AND (" + " OR ".join(["e.terms LIKE %s"] * len(group)) + ")"
            params += [f"%{stem}%" for stem in group]
        sql += " ORDER BY e.id LIMIT %s"
        params.append(MAX_CANDIDATES)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _visible_pairs(user, accesses: Sequence[Access], candidates: list[tuple]) -> dict[tuple[str, int], tuple[int, int]]:
    """(kind, object id) -> (the mission in which the user sees it, the id its link opens), for the candidates the gate
    lets the user see: each kind's `visible` querysets restricted to its candidates, one UNION
    query for all of them."""
    by_kind: dict[str, set[int]] = {}
    missions_by_kind: dict[str, set[int | None]] = {}
    for _entry, kind_name, object_id, mission_id in candidates:
        by_kind.setdefault(kind_name, set()).add(object_id)
        missions_by_kind.setdefault(kind_name, set()).add(mission_id)
    members = []
    for kind_name, ids in by_kind.items():
        registered = _kinds.get(kind_name)
        if registered is None:
            continue
        label = Value(kind_name, output_field=models.CharField())
        if registered.mission_field is None:
            # In each mission on its own: the mission it is found in is the one its link opens.
            scoped = [
                registered.visible(user, access).annotate(
                    search_mission=Value(access.mission.pk, output_field=IntegerField())
                )
                for access in accesses
            ]
        else:
            wanted = [access for access in accesses if access.mission.pk in missions_by_kind[kind_name]]
            if not wanted:
                continue
            combined = functools.reduce(operator.or_, (registered.visible(user, access) for access in wanted))
            scoped = [combined.annotate(search_mission=F(registered.mission_field))]
        members += [
            queryset.filter(pk__in=ids)
            .annotate(search_kind=label, search_link=F(registered.link_field))
            .values_list("search_kind", "pk", "search_mission", "search_link")
            .order_by()
            for queryset in scoped
        ]
    if not members:
        return {}
    rows = members[0].union(*members[1:], all=True) if len(members) > 1 else members[0]
    found: dict[tuple[str, int], tuple[int, int]] = {}
    order = {access.mission.pk: position for position, access in enumerate(accesses)}
    for kind_name, pk, mission_id, link_id in rows:
        key = (kind_name, pk)
        # A place or actor of several of the user's missions: the first of them (acronym order).
        if key not in found or order.get(mission_id, 0) < order.get(found[key][0], 0):
            found[key] = (mission_id, link_id)
    return found


def search(
    user, accesses: Sequence[Access], text: str, *, kind_names: Sequence[str] = (), all_missions: bool = False
) -> Results:
    """What `user` may see of the records matching `text` in the missions of `accesses` (the
    user's gate.Access in each), of `kind_names` only when given. `all_missions`: the
    accesses are every mission there is (a superuser), so the index is not filtered by mission."""
    query = Query.parse(text)
    chosen = [registered.name for registered in kinds() if not kind_names or registered.name in kind_names]
    if query.too_short or not accesses or not chosen:
        return Results(query=query, hits=[], counts={})
    accesses = sorted(accesses, key=lambda access: access.mission.acronym)
    mission_ids = None if all_missions else [access.mission.pk for access in accesses]
    candidates = _candidates(query, mission_ids, chosen)
    visible = _visible_pairs(user, accesses, candidates)
    acronyms = {access.mission.pk: access.mission.acronym for access in accesses}
    hits, counts = [], {}
    for rank, (entry_id, kind_name, object_id, _mission_id) in enumerate(candidates):
        seen = visible.get((kind_name, object_id))
        if seen is None:
            continue  # the gate says no: nothing of it is shown, not even counted
        mission_id, link_id = seen
        hits.append(Hit(_kinds[kind_name], object_id, link_id, mission_id, acronyms[mission_id], entry_id, rank))
        counts[kind_name] = counts.get(kind_name, 0) + 1
    return Results(query=query, hits=hits, counts=counts)


def describe(results: Results, hits: Sequence[Hit]) -> None:
    """Fill the titles and snippets of `hits` (those a page shows, all visible), highlighted:
    one query."""
    entries = SearchEntry.objects.filter(pk__in=[hit.entry_id for hit in hits]).only("title", "body").in_bulk()
    for hit in hits:
        entry = entries.get(hit.entry_id)
        if entry is None:  # deleted since the search ran
            continue
        hit.title = highlight(entry.title, results.query)
        hit.snippet = snippet(entry.body, results.query)


def highlight(text: str, query: Query) -> list[tuple[str, bool]]:
    """`text` cut into (piece, matched) pieces: matched for the words the query finds."""
    pieces: list[tuple[str, bool]] = []
    for piece in _WORD_OR_NOT.split(text or ""):
        if not piece:
            continue
        matched = bool(_WORD_OR_NOT.fullmatch(piece)) and any(query.matches(word) for word in words(piece))
        if pieces and not matched and not pieces[-1][1]:
            pieces[-1] = (pieces[-1][0] + piece, False)
        else:
            pieces.append((piece, matched))
    return pieces


def snippet(text: str, query: Query, length: int = SNIPPET_WORDS) -> list[tuple[str, bool]]:
    """About `length` words of `text` around its first matched word, highlighted."""
    tokens = (text or "").split()
    if not tokens:
        return []
    first = next((i for i, token in enumerate(tokens) if any(query.matches(word) for word in words(token))), 0)
    start = max(0, first - length // 3)
    end = min(len(tokens), start + length)
    cut = " ".join(tokens[start:end])
    pieces = highlight(cut, query)
    if start > 0:
        pieces.insert(0, ("… ", False))
    if end < len(tokens):
        pieces.append((" …", False))
    return pieces
