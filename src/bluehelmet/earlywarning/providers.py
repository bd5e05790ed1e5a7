"""Where forecasts find UN troops: a registry that the app holding deployments fills.

Early warning sits below forces in the layers (docs/architecture.md), so it cannot read
forces' models; forces registers, in its AppConfig.ready, what a forecast needs:

    from bluehelmet.earlywarning.providers import TroopPresence, register_troop_presence

    register_troop_presence(TroopPresence(name="geopko", deployments=..., sites=...))

`deployments(mission, audience)` gives (latitude, longitude, month, troops) rows, one per site
and month, that the run's audience may see;
`sites(mission)` the places the mission deployed to. With no provider registered, a forecast
has no troops nearby (the covariate is zero) and no deployment site adds a cell. Each
provider's rows are its maps: a month's rows replace the provider's earlier ones
(analytics.forecast.covariates.known_deployments).

Apps with other records a forecast may count (patrols, community alerts, elections)
register a CovariateSource the same way; what a source counts is filtered by the run's
Audience.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from bluehelmet.analytics.forecast.covariates import MAX_STALENESS
from bluehelmet.core.models import Mission, Place, Sharing
from bluehelmet.core.sensitivity import Sensitivity


@dataclass(frozen=True)
class TroopPresence:
    """`holds_months`: how long a month's rows stand when no newer rows come (Geo-PKO's
    maps are months apart; a provider that gives every month its troops holds for 0)."""

    name: str
    deployments: Callable[[Mission, Audience], Iterable[tuple[float, float, object, float | None]]]
    sites: Callable[[Mission], Iterable[Place]]
    holds_months: int = MAX_STALENESS


_providers: list[TroopPresence] = []


def register_troop_presence(provider: TroopPresence) -> TroopPresence:
    """Add a provider (registering the same one twice keeps one)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def troop_presence() -> list[TroopPresence]:
    return list(_providers)


# --- Records of higher apps that a forecast may use as covariates ------------------------------


@dataclass(frozen=True)
class Audience:
    """Who will see a forecast run, and so which records its covariates may count: a run
    shared with partners only records partners may see (shared, TLP:CLEAR or GREEN); a
    mission run what every member of the mission's staff may see (never TLP:RED). A count
    then never tells a reader about a record the gate would hide from them."""

    sharing: str

    @property
    def labels(self) -> list[str]:
        if self.sharing == Sharing.PUBLIC:
            return [Sensitivity.CLEAR, Sensitivity.GREEN]
        return [Sensitivity.CLEAR, Sensitivity.GREEN, Sensitivity.AMBER]

    def visible(
        self, queryset: QuerySet, *, sharing_field: str | None = "sharing", label_field: str | None = "sensitivity"
    ) -> QuerySet:
        if label_field:
            queryset = queryset.filter(**{f"{label_field}__in": self.labels})
        if sharing_field and self.sharing == Sharing.PUBLIC:
            queryset = queryset.filter(**{sharing_field: Sharing.PUBLIC})
        return queryset


@dataclass(frozen=True)
class CovariateSource:
    """A covariate a higher app offers (docs/adr/0003-registries.md): `covariate` is one of
    analytics.forecast.covariates.FAMILIES' names; `points(mission, audience)` gives
    (latitude, longitude, day) records counted within 25 km of each unit per month (patrols,
    community alerts), `dates(mission, audience)` days ahead (polling days)."""

    name: str
    covariate: str
    points: Callable[[Mission, Audience], Iterable[tuple[float, float, datetime.date]]] | None = None
    dates: Callable[[Mission, Audience], Iterable[datetime.date]] | None = None


_covariate_sources: list[CovariateSource] = []


def register_covariate_source(source: CovariateSource) -> CovariateSource:
    if source not in _covariate_sources:
        _covariate_sources.append(source)
    return source


def covariate_sources() -> list[CovariateSource]:
    return list(_covariate_sources)
