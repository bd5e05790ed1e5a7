"""Change stamps, and heavy aggregates cached under them.

A change stamp is a short fingerprint of the state of some records: for each queryset, how
many rows, the newest id and (when the model keeps one) the newest change time. A new,
edited or deleted record changes one of them. The live feed's ETag is a stamp of the
incidents the user may see; a cached aggregate's key holds a stamp of every record it reads,
so a change anywhere makes the next request compute it again: no entry is ever deleted, an
entry nobody asks for any more expires.

Edits that keep the count, the newest id and every change time (a status changed in place, a
queryset `update()`, an import rewriting rows) are caught by a per-mission generation kept in
the cache and moved on by `changed()`: the signals of the models registered with
`track_changes` call it, and so do the code paths that write with `update()`. The generation
lives in the cache, so several server processes must share one (Redis: settings.CACHES);
the fingerprint itself is read from the database on every request, whatever the cache.
"""

import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import DateTimeField, F, Model, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, post_save

from .counting import SubqueryCount
from .models import Mission

logger = logging.getLogger(__name__)

# An aggregate nobody asked for in this long is dropped (its key has moved on anyway).
AGGREGATE_SECONDS = 3600
_EVERY_MISSION = "all"


class SubqueryMax(Subquery):
    """(SELECT MAX(field) FROM (the queryset's rows))."""

    template = "(SELECT MAX(newest) FROM (%(subquery)s) latest)"

    def __init__(self, queryset: QuerySet, field: str):
        meta = queryset.model._meta
        output = meta.pk if field == "pk" else meta.get_field(field)
        super().__init__(queryset.values(newest=F(field)), output_field=output)


def _change_field(model: type[Model]) -> str | None:
    """The model's last-change time, when it keeps one (an auto_now field)."""
    for field in model._meta.concrete_fields:
        if isinstance(field, DateTimeField) and field.auto_now:
            return field.name
    return None


def fingerprint_values(mission: Mission, sources: dict[str, QuerySet], counts: dict[str, QuerySet] | None = None):
    """(the state of every source, the named counts) in one query, anchored on the mission's
    row. A source's state: its row count, its newest id and its newest change time."""
    columns: dict[str, Any] = {}
    for name, queryset in sources.items():
        rows = queryset.order_by()
        columns[f"{name}__n"] = Coalesce(SubqueryCount(rows.values("pk")), 0)
        columns[f"{name}__last"] = SubqueryMax(rows, "pk")
        changed = _change_field(queryset.model)
        if changed:
            columns[f"{name}__changed"] = SubqueryMax(rows, changed)
    for name, queryset in (counts or {}).items():
        columns[name] = Coalesce(SubqueryCount(queryset.order_by().values("pk")), 0)
    row = Mission.objects.filter(pk=mission.pk).values(**columns).get()
    state = {key: value for key, value in row.items() if "__" in key}
    return state, {name: row[name] for name in counts or {}}


def digest(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


# --- The generation: edits a fingerprint cannot see ---------------------------------------


def _generation_key(mission_id: int | str) -> str:
    return f"generation:{mission_id}"


def generation(mission: Mission) -> tuple[int, int]:
    """The mission's generation and the one of every mission (reference data)."""
    keys = [_generation_key(mission.pk), _generation_key(_EVERY_MISSION)]
    found = _cache_call(cache.get_many, keys) or {}
    return found.get(keys[0], 0), found.get(keys[1], 0)


def changed(mission_id: int | None = None) -> None:
    """Something read by the mission's aggregates changed (None: something every mission
    reads, such as reference data)."""
    key = _generation_key(_EVERY_MISSION if mission_id is None else mission_id)
    _cache_call(_move_on, key)
    # And again once the transaction commits: a request that read the records between the
    # change and the commit (the old state) computed its aggregate under the new generation.
    transaction.on_commit(lambda: _cache_call(_move_on, key))


def _move_on(key: str) -> None:
    cache.add(key, 0, timeout=None)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr: a fresh start is a change too
        cache.set(key, 1, timeout=None)


def _cache_call(function: Callable, *args):
    """The cache only saves work: when it cannot be reached (Redis down), the page is computed
    and the write goes through, with a warning, rather than answering 500."""
    try:
        return function(*args)
    except Exception:  # noqa: BLE001 - any backend's connection error
        logger.warning("cache unavailable", exc_info=True)
        return None


def track_changes(model: type[Model], mission_of: Callable[[Model], int | None] | None = None) -> None:
    """Move the mission's generation on whenever a record of `model` is saved or deleted, or
    its many-to-many links change. `mission_of` finds the record's mission id (default: its
    `mission_id`); a model of no mission moves every mission's generation."""

    def mission_id(instance: Model) -> int | None:
        if mission_of is not None:
            return mission_of(instance)
        return getattr(instance, "mission_id", None)

    def on_change(sender, instance, **kwargs) -> None:
        if kwargs.get("action", "post_").startswith("post_"):
            changed(mission_id(instance) if isinstance(instance, model) else None)

    uid = f"freshness-{model._meta.label}"
    post_save.connect(on_change, sender=model, weak=False, dispatch_uid=uid + "-saved")
    post_delete.connect(on_change, sender=model, weak=False, dispatch_uid=uid + "-deleted")
    for field in model._meta.many_to_many:
        m2m_changed.connect(
            on_change, sender=field.remote_field.through, weak=False, dispatch_uid=f"{uid}-{field.name}"
        )


# --- Cached aggregates --------------------------------------------------------------------


def audience(user, access) -> tuple:
    """Who a cached aggregate was computed for: users with the same audience see the same
    records. Every visibility rule (mission, country, partner sharing, TLP labels) follows
    from the user's memberships, so the audience holds all of them and the labels the user
    has in this mission; a user who may not see every label also sees the records they
    recorded themselves (the author rule), so theirs is their own."""
    from .gate import memberships
    from .sensitivity import Sensitivity

    if user.is_superuser:
        return ("superuser",)
    labels = tuple(sorted(access.labels))
    author = () if str(Sensitivity.RED) in access.labels else (user.pk,)
    return (access.role, labels, tuple(sorted(memberships(user).items())), *author)


def cached_aggregate(
    name: str,
    user,
    access,
    sources: dict[str, QuerySet],
    compute: Callable[[], Any],
    *,
    variant: Iterable = (),
    counts: dict[str, QuerySet] | None = None,
):
    """(the aggregate, the live counts): the aggregate `compute()` returns, from the cache
    when the records in `sources` have not changed since it was computed for this audience;
    `counts` (not cached: a per-user number, say) are counted in the same query as the stamp.
    `variant` tells apart versions of one aggregate (the filters of a page)."""
    mission = access.mission
    state, live = fingerprint_values(mission, sources, counts)
    stamp = digest(sorted(state.items()), generation(mission))
    key = f"aggregate:{name}:{mission.pk}:{digest(audience(user, access), tuple(variant))}:{stamp}"
    value = _cache_call(cache.get, key)
    if value is None:
        value = compute()
        _cache_call(cache.set, key, value, AGGREGATE_SECONDS)
    return value, live
