"""The tabs of a mission's pages: a registry each app fills in its AppConfig.ready, so the
shared mission header (core/mission_base.html) names no app.

    from bluehelmet.core.navigation import MissionTab, register_tab

    register_tab(MissionTab(order=40, label=_("Forces"), url_name="forces:index"))

A tab links to `reverse(url_name, args=[mission.acronym])`. It is marked current when the
page's path starts with its address (`exact`: only on that very address, for a tab whose
address is the start of the others'). `capability` (a name declared to core.gate) hides a
tab that would lead nowhere for a user without it. Tabs show by `order`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from . import gate


@dataclass(frozen=True)
class MissionTab:
    order: int
    label: str | Promise
    url_name: str
    exact: bool = False
    capability: str | None = None

    def shown_to(self, user, mission) -> bool:
        return self.capability is None or gate.access(user, mission).can(self.capability)


@dataclass(frozen=True)
class ShownTab:
    label: str | Promise
    url: str
    current: bool


MISSION_TABS: list[MissionTab] = []


def register_tab(tab: MissionTab) -> MissionTab:
    """Add a tab (registering the same tab twice keeps one; two tabs may not share an address)."""
    if tab in MISSION_TABS:
        return tab
    if any(known.url_name == tab.url_name for known in MISSION_TABS):
        raise ValueError(f"a mission tab for {tab.url_name!r} is already registered")
    MISSION_TABS.append(tab)
    return tab


def tabs_for(user, mission, path: str) -> list[ShownTab]:
    """The tabs this user sees on this mission's pages, in order, the current one marked."""
    shown = []
    for tab in sorted(MISSION_TABS, key=lambda tab: tab.order):
        if not tab.shown_to(user, mission):
            continue
        url = reverse(tab.url_name, args=[mission.acronym])
        shown.append(ShownTab(tab.label, url, path == url if tab.exact else path.startswith(url)))
    return shown
