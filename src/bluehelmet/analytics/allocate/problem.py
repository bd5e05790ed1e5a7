"""The allocation problem as plain arrays: places to protect, candidate sites, units.

Indices, not database ids, throughout: place i, site j, unit u. The callers keep the
mapping back to their records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088
UNLIMITED = -1  # a site capacity with no limit


def distance_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Great-circle distances (haversine) between every point of set 1 (rows) and set 2."""
    # In radians, set 1 as a column and set 2 as a row, so the arithmetic broadcasts to rows x columns.
    phi1, lambda1 = np.radians(np.asarray(lat1, float))[:, None], np.radians(np.asarray(lon1, float))[:, None]
    phi2, lambda2 = np.radians(np.asarray(lat2, float))[None, :], np.radians(np.asarray(lon2, float))[None, :]
    a = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin((lambda2 - lambda1) / 2) ** 2
    distance: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return distance


@dataclass
class Problem:
    """Where to base units so that their patrols cover the most weighted risk.

    weight[i]        risk of place i (times its population when known); >= 0
    site_capacity[j] at most this many units at site j (UNLIMITED for none)
    strength[u]      troops of unit u; it can patrol floor(strength / troops_per_place)
                     places (at least one)
    radius_km[u]     how far from its base unit u can patrol
    home[u]          the site unit u is at today (-1: not at any candidate site)
    max_move_km[u]   how far unit u may be moved from home (inf: anywhere)
    hq               the site that needs `hq_min_troops` troops at least (None: no rule)
    must_cover       places that must be covered
    """

    # Any array-like at construction; __post_init__ makes each an array of its type.
    place_lat: npt.NDArray[np.float64]
    place_lon: npt.NDArray[np.float64]
    weight: npt.NDArray[np.float64]
    site_lat: npt.NDArray[np.float64]
    site_lon: npt.NDArray[np.float64]
    site_capacity: npt.NDArray[np.int_]
    strength: npt.NDArray[np.float64]
    radius_km: npt.NDArray[np.float64]
    home: npt.NDArray[np.int_]
    max_move_km: npt.NDArray[np.float64]
    troops_per_place: float = 150.0
    hq: int | None = None
    hq_min_troops: int = 0
    must_cover: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        def as_float(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
            return np.asarray(values, dtype=float)

        self.place_lat, self.place_lon, self.weight = (
            as_float(self.place_lat),
            as_float(self.place_lon),
            as_float(self.weight),
        )
        self.site_lat, self.site_lon = as_float(self.site_lat), as_float(self.site_lon)
        self.site_capacity = np.asarray(self.site_capacity, dtype=int)
        self.strength, self.radius_km = as_float(self.strength), as_float(self.radius_km)
        self.home = np.asarray(self.home, dtype=int)
        self.max_move_km = as_float(self.max_move_km)
        self.must_cover = sorted({int(i) for i in self.must_cover})
        n_places, n_sites, n_units = len(self.place_lat), len(self.site_lat), len(self.strength)
        for name, values, n in (
            ("place_lon", self.place_lon, n_places),
            ("weight", self.weight, n_places),
            ("site_lon", self.site_lon, n_sites),
            ("site_capacity", self.site_capacity, n_sites),
            ("radius_km", self.radius_km, n_units),
            ("home", self.home, n_units),
            ("max_move_km", self.max_move_km, n_units),
        ):
            if len(values) != n:
                raise ValueError(f"{name} has {len(values)} values for {n}")
        if np.any(self.weight < 0) or not np.all(np.isfinite(self.weight)):
            raise ValueError("weights must be finite and >= 0")
        if np.any(self.strength <= 0):
            raise ValueError("unit strengths must be > 0")
        if self.troops_per_place <= 0:
            raise ValueError("troops_per_place must be > 0")
        if self.hq is not None and not 0 <= self.hq < n_sites:
            raise ValueError("hq is not a site index")
        if any(not 0 <= i < n_places for i in self.must_cover):
            raise ValueError("must_cover holds a place index out of range")
        self._site_place: npt.NDArray[np.float64] | None = None
        self._site_site: npt.NDArray[np.float64] | None = None

    @property
    def n_places(self) -> int:
        return len(self.place_lat)

    @property
    def n_sites(self) -> int:
        return len(self.site_lat)

    @property
    def n_units(self) -> int:
        return len(self.strength)

    @property
    def capacity(self) -> npt.NDArray[np.int_]:
        """How many places each unit can patrol."""
        return np.maximum(np.floor(self.strength / self.troops_per_place), 1).astype(int)

    @property
    def site_place_km(self) -> npt.NDArray[np.float64]:
        if self._site_place is None:
            self._site_place = distance_km(self.site_lat, self.site_lon, self.place_lat, self.place_lon)
        return self._site_place

    @property
    def site_site_km(self) -> npt.NDArray[np.float64]:
        if self._site_site is None:
            self._site_site = distance_km(self.site_lat, self.site_lon, self.site_lat, self.site_lon)
        return self._site_site

    def move_km(self, u: int) -> npt.NDArray[np.float64]:
        """Distance from unit u's home to every site (zeros when it has no home)."""
        if self.home[u] < 0:
            return np.zeros(self.n_sites)
        from_home: npt.NDArray[np.float64] = self.site_site_km[self.home[u]]
        return from_home

    def allowed_sites(self, u: int) -> npt.NDArray[np.intp]:
        """Site indices unit u may be based at (its home always)."""
        allowed = self.move_km(u) <= self.max_move_km[u] + 1e-9
        if self.home[u] >= 0:
            allowed[self.home[u]] = True
        return np.flatnonzero(allowed)

    def reach(self, u: int) -> npt.NDArray[np.bool_]:
        """Boolean matrix sites x places: unit u based at site j can patrol place i."""
        within: npt.NDArray[np.bool_] = self.site_place_km <= self.radius_km[u] + 1e-9
        return within


@dataclass
class Plan:
    """A posture: where each unit is based and which unit covers each place."""

    method: str  # "milp", "greedy" or "posture"
    site_of_unit: npt.NDArray[np.int_]  # site index per unit, -1 when not based anywhere
    covered_by: npt.NDArray[np.int_]  # unit index per place, -1 when uncovered
    weight: npt.NDArray[np.float64]
    status: str = "optimal"
    optimal: bool = True
    objective: float | None = None
    mip_gap: float | None = None
    dual_bound: float | None = None
    seconds: float = 0.0

    @property
    def covered_weight(self) -> float:
        return float(self.weight[self.covered_by >= 0].sum())

    @property
    def total_weight(self) -> float:
        return float(self.weight.sum())

    @property
    def share_covered(self) -> float | None:
        """Share of the total weighted risk covered, None when there is no risk at all."""
        total = self.total_weight
        return self.covered_weight / total if total > 0 else None

    @property
    def places_covered(self) -> int:
        return int((self.covered_by >= 0).sum())
