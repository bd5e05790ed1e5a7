"""Lessons learned: scoped lists, full-text search with filters, links and applications.

Search uses the database's own full-text engine: SQLite FTS5 (table performance_lesson_fts,
porter stemming, kept in step by triggers) or PostgreSQL text search (English
configuration, GIN index). Both are created by migration 0002; any other database falls
back to a case-insensitive substring match on every word.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from bluehelmet.core.access import mission_scope

from .models import Lesson

SEARCH_FIELDS = ("title", "observation", "lesson", "recommendation")


def _postgres_document(table: str = "") -> str:
    """The English text-search vector of a lesson; migration 0002 indexes the unqualified form."""
    columns = " || ' ' || ".join(f"{table}{name}" for name in SEARCH_FIELDS)
    return f"to_tsvector('english'::regconfig, {columns})"


POSTGRES_DOCUMENT = _postgres_document()
# Qualified for the rank, computed beside joined tables that also have a title.
POSTGRES_DOCUMENT_QUALIFIED = _postgres_document("performance_lesson.")
WORD = re.compile(r"\w+", re.UNICODE)


def visible_lessons(user) -> QuerySet[Lesson]:
    """Lessons of every mission the user belongs to (partners: shared lessons only)."""
    return Lesson.objects.filter(mission_scope(user)).select_related("mission", "review")


def search_lessons(lessons: QuerySet[Lesson], text: str) -> QuerySet[Lesson]:
    """`lessons` matching every word of `text` (stemmed: "deploy" finds "deployment"),
    best match first."""
    words = WORD.findall(text)
    if not words:
        return lessons
    if connection.vendor == "sqlite":
        # Each word quoted (so FTS5 operators in the input are plain text) and matched as a prefix.
        query = " ".join('"{}"*'.format(word.replace('"', '""')) for word in words)
        rank = RawSQL(
            "SELECT bm25(performance_lesson_fts) FROM performance_lesson_fts "
            "WHERE performance_lesson_fts.rowid = performance_lesson.id AND performance_lesson_fts MATCH %s",
            [query],
        )
        return lessons.annotate(rank=rank).filter(rank__isnull=False).order_by("rank", "-date")
    if connection.vendor == "postgresql":
        query = " ".join(words)
        matching = RawSQL(
            f"SELECT id FROM performance_lesson WHERE {POSTGRES_DOCUMENT} @@ plainto_tsquery('english'::regconfig, %s)",
            [query],
        )
        rank = RawSQL(f"ts_rank({POSTGRES_DOCUMENT_QUALIFIED}, plainto_tsquery('english'::regconfig, %s))", [query])
        return lessons.filter(pk__in=matching).annotate(rank=rank).order_by("-rank", "-date")
    condition = Q()
    for word in words:
        condition &= Q(*(Q(**{f"{field}__icontains": word}) for field in SEARCH_FIELDS), _connector=Q.OR)
    return lessons.filter(condition)


def filter_lessons(
    lessons: QuerySet[Lesson],
    *,
    text: str = "",
    mission=None,
    theme: str = "",
    date_from=None,
    date_to=None,
    applied: bool = False,
    exercise: str = "",
) -> QuerySet[Lesson]:
    if mission is not None:
        lessons = lessons.filter(mission=mission)
    if theme:
        lessons = lessons.filter(theme=theme)
    if date_from:
        lessons = lessons.filter(date__gte=date_from)
    if date_to:
        lessons = lessons.filter(date__lte=date_to)
    if applied:
        lessons = lessons.filter(applications__isnull=False).distinct()
    if exercise == "real":
        lessons = lessons.filter(exercise=False)
    elif exercise == "exercise":
        lessons = lessons.filter(exercise=True)
    return search_lessons(lessons, text)
