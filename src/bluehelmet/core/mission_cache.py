"""Small per-mission caches of reference data (incident types, monitored zones, alert rules,
admin areas), kept in each process and right in every process.

How it stays right across processes (gunicorn workers, Celery workers): every mission row
carries a version stamp, `Mission.lookups_version`. Whatever changes a mission's reference
data raises the stamp with one UPDATE in the same transaction as the change (`changed`, called
by the apps' signal receivers and by bulk writers such as the boundaries import). A cached
value is stored with the stamp it was built under and used only while the mission a caller
holds has that same stamp; the mission row comes with each request (the access gate loads
it), so checking the cache costs no query. A worker that has not seen a change meets a
mission with a higher stamp on its next request and rebuilds. `changed` also drops this
process's entries at once, so code holding an older mission object (a test, a command) does
not reuse a value built before the change made in this process.

A value is built from committed data at worst one stamp late: a request that loaded its
mission just before a change committed may use the former value, as it would have had it run
a moment earlier.
"""

import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import F

from .models import Mission

_entries: dict[tuple[str, int], tuple[int, Any]] = {}
_lock = threading.Lock()


def cached(name: str, mission: Mission, build: Callable[[Mission], Any]) -> Any:
    """`build(mission)`, kept per process under (name, mission) while the mission's stamp stays."""
    key, stamp = (name, mission.pk), mission.lookups_version
    with _lock:
        entry = _entries.get(key)
    if entry is not None and entry[0] == stamp:
        return entry[1]
    value = build(mission)
    with _lock:
        _entries[key] = (stamp, value)
    return value


def changed(mission_ids: Iterable[int]) -> None:
    """The reference data of these missions changed: raise their stamps (for every process)
    and forget this process's values for them."""
    ids = {pk for pk in mission_ids if pk is not None}
    if not ids:
        return
    Mission.objects.filter(pk__in=ids).update(lookups_version=F("lookups_version") + 1)
    with _lock:
        for key in [key for key in _entries if key[1] in ids]:
            del _entries[key]


def hosting_missions(country_ids: Iterable[int]) -> list[int]:
    """The missions whose host countries include one of these countries."""
    return list(Mission.objects.filter(host_countries__in=list(country_ids)).values_list("pk", flat=True).distinct())


def _area_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """Place's post_save and post_delete: an admin area moves a report's place."""
    if raw or not instance.is_area:
        return
    changed(hosting_missions([instance.country_id or instance.pk]))


def _host_countries_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if reverse:  # a country's missions changed
        changed(pk_set or Mission.objects.filter(host_countries=instance).values_list("pk", flat=True))
    else:
        changed([instance.pk])


def connect_receivers() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from .models import Place

    post_save.connect(_area_changed, sender=Place, dispatch_uid="mission-cache-place-saved")
    post_delete.connect(_area_changed, sender=Place, dispatch_uid="mission-cache-place-deleted")
    m2m_changed.connect(
        _host_countries_changed, sender=Mission.host_countries.through, dispatch_uid="mission-cache-host-countries"
    )
