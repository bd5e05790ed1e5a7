"""Where forecasts find UN troops: a registry that the app holding deployments fills.

Early warning sits below forces in the layers (docs/architecture.md), so it cannot read
forces' models; forces registers, in its AppConfig.ready, what a forecast needs:

    from bluehelmet.earlywarning.providers import TroopPresence, register_troop_presence

    register_troop_presence(TroopPresence(name="geopko", deployments=..., sites=...))

`deployments(mission)` gives (latitude, longitude, month, troops) rows, one per site and month;
`sites(mission)` the places the mission deployed to. With no provider registered, a forecast
has no troops nearby (the covariate is zero) and no deployment site adds a cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bluehelmet.core.models import Mission, Place


@dataclass(frozen=True)
class TroopPresence:
    name: str
    deployments: Callable[[Mission], Iterable[tuple[float, float, object, float | None]]]
    sites: Callable[[Mission], Iterable[Place]]


_providers: list[TroopPresence] = []


def register_troop_presence(provider: TroopPresence) -> TroopPresence:
    """Add a provider (registering the same one twice keeps one)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def troop_presence() -> list[TroopPresence]:
    return list(_providers)
