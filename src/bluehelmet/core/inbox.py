"""The inbox: what waits for one user, gathered from every app.

Each app declares what it puts in a user's inbox in a module `<app>/inbox.py` (found at first
use, like permissions.py and retention.py) by calling `register`:

    from bluehelmet.core.inbox import InboxItem, gated, queryset_source, register

    def my_open_tasks(user, accesses):
        # accesses: the user's gate.Access for each of their missions; ask them, never the
        # models, who may see what (labels, capabilities).
        scope = gated(accesses, "incidents.report")
        return None if scope is None else ResponseTask.objects.filter(scope, assignee=user)

    register(queryset_source("incidents.tasks", _("Tasks for me or my team"), my_open_tasks,
                             lambda task: InboxItem(...)))

A source is an `InboxSource`: `items` returns what the inbox page lists (newest or most urgent
first, at most `limit`), `count` the number shown beside the menu entry (cheap: one query);
`queryset_source` builds both from one queryset. Both receive only the missions the user is
a member of, each with its gate.Access, so a source never shows a record above the labels or
outside the capabilities the gate gives the user: build the filter with
`gated(accesses, "app.capability")`, which keeps the missions where the user has the
capability and, in each, the labels their role admits.

`first_items(queryset, limit, to_item)` lists the first `limit` records and counts them all in
one query (a window count): the page then needs no `count` query for that source, which keeps
the inbox within the page query budget however many sources there are.

The menu's count comes from `/inbox/count.json`, fetched after the page has loaded
(static/js/inbox.js), so no other page runs these queries; `cached_total` keeps it 60 seconds
per user, and the inbox page (which counts anyway) refreshes it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Window

from . import gate
from .discovery import discover
from .gate import Access
from .models import Mission


@dataclass(frozen=True)
class InboxItem:
    mission_acronym: str
    title: str
    url: str
    when: datetime.datetime  # when it arrived (raised, assigned, mentioned, submitted)
    what: str = ""  # one line of detail (status, who, where)
    due: datetime.datetime | None = None
    overdue: bool = False
    sensitivity: str = ""  # the record's label, shown as a badge
    escalated: bool = False  # overdue and escalated (incidents.escalation): listed first, marked


@dataclass(frozen=True)
class InboxSource:
    name: str  # "<app>.<what>", unique
    label: str  # the section heading
    items: Callable[[object, Sequence[Access], int], list[InboxItem]]  # (user, accesses, limit)
    count: Callable[[object, Sequence[Access]], int]  # (user, accesses)


_sources: dict[str, InboxSource] = {}


def register(source: InboxSource) -> InboxSource:
    _sources[source.name] = source
    return source


def sources() -> list[InboxSource]:
    """Every registered source, in name order (each app's inbox.py imported first)."""
    discover("inbox")
    return [_sources[name] for name in sorted(_sources)]


class InboxItems(list):
    """A source's items with the number of all of them (`total`), when the source counted them
    in the same query (`first_items`)."""

    total: int | None = None


def first_items(queryset: QuerySet, limit: int, to_item: Callable[[object], InboxItem]) -> InboxItems:
    """The first `limit` records of `queryset` as items, with `total` the count of all of them
    (COUNT(*) OVER (), computed before the LIMIT): one query for both."""
    rows = list(queryset.annotate(inbox_total=Window(Count("pk")))[:limit])
    items = InboxItems(to_item(row) for row in rows)
    items.total = rows[0].inbox_total if rows else 0
    return items


def queryset_source(
    name: str,
    label: str,
    records: Callable[[object, Sequence[Access]], QuerySet | None],
    to_item: Callable[[object], InboxItem],
) -> InboxSource:
    """A source over one queryset: `records(user, accesses)` gives what waits for the user
    (None when they may see none of it, as `gated` answers), `to_item` one item of a record.
    The page lists and counts in one query (`first_items`), the menu counts in one."""

    def items(user, accesses: Sequence[Access], limit: int) -> list[InboxItem]:
        queryset = records(user, accesses)
        return [] if queryset is None else first_items(queryset, limit, to_item)

    def count(user, accesses: Sequence[Access]) -> int:
        queryset = records(user, accesses)
        return 0 if queryset is None else queryset.count()

    return InboxSource(name=name, label=label, items=items, count=count)


def gated(
    accesses: Sequence[Access],
    capability: str,
    *,
    mission_field: str = "mission",
    label_field: str | None = "sensitivity",
) -> Q | None:
    """The filter keeping, in the missions where the access has `capability`, the records whose
    label (`label_field`; None: unlabelled records) the user's role there admits. None when the
    user has the capability nowhere: the source has nothing to show, and asks nothing."""
    by_labels: dict[frozenset[str], list[int]] = {}
    for access in accesses:
        if access.can(capability):
            by_labels.setdefault(access.labels if label_field else frozenset(), []).append(access.mission.pk)
    if not by_labels:
        return None
    scope = Q(pk__in=[])
    for labels, mission_ids in by_labels.items():
        condition = Q(**{f"{mission_field}__in": mission_ids})
        if label_field:
            condition &= Q(**{f"{label_field}__in": sorted(labels)})
        scope |= condition
    return scope


def accesses(user) -> list[Access]:
    """The user's access in each of their missions (superusers: every mission); one query."""
    if not user.is_authenticated:
        return []
    missions = (
        Mission.objects.all() if user.is_superuser else Mission.objects.filter(pk__in=list(gate.memberships(user)))
    )
    return [gate.access(user, mission) for mission in missions]


@dataclass(frozen=True)
class Section:
    source: InboxSource
    items: list[InboxItem]
    total: int

    @property
    def anchor(self) -> str:
        """The section's element id: "inbox-incidents-tasks" for "incidents.tasks"."""
        return "inbox-" + self.source.name.replace(".", "-").replace("_", "-")


def gather(user, limit: int = 10) -> list[Section]:
    """Every source's first items and total for the inbox page (sources with nothing are
    kept: the page says so), and the menu count refreshed with the total."""
    user_accesses = accesses(user)
    sections = []
    for source in sources():
        items = source.items(user, user_accesses, limit)
        total = getattr(items, "total", None)
        if total is None:
            total = len(items) if len(items) < limit else source.count(user, user_accesses)
        sections.append(Section(source, list(items), total))
    cache.set(_count_key(user), sum(section.total for section in sections), COUNT_SECONDS)
    return sections


COUNT_SECONDS = 60


def _count_key(user) -> str:
    return f"inbox-count:{user.pk}"


def cached_total(user) -> int:
    """How many things wait for the user, for the menu: counted at most once a minute."""
    total = cache.get(_count_key(user))
    if total is None:
        user_accesses = accesses(user)
        total = sum(source.count(user, user_accesses) for source in sources())
        cache.set(_count_key(user), total, COUNT_SECONDS)
    return total
