"""The inbox: what waits for one user, gathered from every app.

Each app declares what it puts in a user's inbox in a module `<app>/inbox.py` (found at first
use, like permissions.py and retention.py) by calling `register`:

    from bluehelmet.core.inbox import InboxItem, InboxSource, register

    def open_tasks(user, accesses):
        # accesses: the user's gate.Access for each of their missions; ask them, never the
        # models, who may see what (labels, capabilities).
        ...
        return [InboxItem(...), ...]

    register(InboxSource(name="incidents.tasks", label=_("Tasks for me or my team"),
                         items=open_tasks, count=count_open_tasks))

`items` returns what the inbox page lists (newest or most urgent first, at most `limit`);
`count` the number shown beside the menu entry (cheap: one query). Both receive only the
missions the user is a member of, each with its gate.Access, so a source never shows a record
above the labels or outside the capabilities the gate gives the user.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .gate import Access


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


@dataclass(frozen=True)
class InboxSource:
    name: str  # "<app>.<what>", unique
    label: str  # the section heading
    items: Callable[[object, Sequence[Access], int], list[InboxItem]]  # (user, accesses, limit)
    count: Callable[[object, Sequence[Access]], int]  # (user, accesses)


_sources: dict[str, InboxSource] = {}
_discovered = False


def register(source: InboxSource) -> InboxSource:
    _sources[source.name] = source
    return source


def sources() -> list[InboxSource]:
    """Every registered source, in name order (each app's inbox.py imported first)."""
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("inbox")
        _discovered = True
    return [_sources[name] for name in sorted(_sources)]
