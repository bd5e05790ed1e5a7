"""Humanitarian gap analysis: need minus coverage, by area and sector (no Django here).

Definitions, for one area (e.g. a district), one sector and one period [start, end]:

- need: people in need from the latest assessment on or before the period's end. The
  area's own assessment when there is one; otherwise the sum, over the smaller places
  inside it (e.g. chiefdoms), of each one's latest assessment. Severity: the highest of the
  assessments used.
- an activity counts in the period when it overlaps it (no start or start <= end, and no
  end or end >= start);
- targeted: people targeted by the activities that count, whatever their status (the plan);
- reached: people reached by the ongoing and completed activities that count;
- coverage: what ongoing and completed activities account for (each its people reached
  when reported, else its people targeted), capped at the need: several organisations
  reaching the same people cannot cover more than everyone;
- gap: need minus coverage. With no assessment the need, coverage and gap are unknown
  (None): an area without data is never shown as having no gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import asdict, dataclass
from typing import TypedDict

COVERING_STATUSES = ("ongoing", "completed")


@dataclass(frozen=True)
class Need:
    area: Hashable  # the area of the analysis the assessment falls in
    place: Hashable  # where it was assessed: the area itself or a place inside it
    sector: str
    assessed_on: dt.date
    people_in_need: int
    severity: int


@dataclass(frozen=True)
class Coverage:
    area: Hashable
    sector: str
    start: dt.date | None
    end: dt.date | None
    status: str  # planned, ongoing, completed
    targeted: int | None
    reached: int | None


@dataclass
class Gap:
    area: Hashable
    sector: str
    people_in_need: int | None
    severity: int | None
    assessed_on: dt.date | None
    targeted: int
    reached: int
    coverage: int | None
    gap: int | None
    activities: int

    @property
    def covered_share(self) -> float | None:
        """Coverage as a share of need (None without a need; 1.0 when nobody is in need)."""
        if self.people_in_need is None or self.coverage is None:  # (the coverage is known with the need)
            return None
        return 1.0 if self.people_in_need == 0 else self.coverage / self.people_in_need

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "covered_share": self.covered_share}


def overlaps(
    start: dt.date | None, end: dt.date | None, period_start: dt.date | None, period_end: dt.date | None
) -> bool:
    return (start is None or period_end is None or start <= period_end) and (
        end is None or period_start is None or end >= period_start
    )


def area_needs(
    needs: Iterable[Need], period_end: dt.date | None
) -> dict[tuple[Hashable, str], tuple[int, int, dt.date]]:
    """(area, sector) -> (people in need, severity, latest assessment date), by the rule above."""
    latest: dict[tuple[Hashable, str, Hashable], Need] = {}
    for need in needs:
        if period_end is not None and need.assessed_on > period_end:
            continue
        key = (need.area, need.sector, need.place)
        if key not in latest or need.assessed_on >= latest[key].assessed_on:
            latest[key] = need
    grouped: dict[tuple[Hashable, str], list[Need]] = {}
    for (area, sector, _place), need in latest.items():
        grouped.setdefault((area, sector), []).append(need)
    result: dict[tuple[Hashable, str], tuple[int, int, dt.date]] = {}
    for area_sector, found in grouped.items():
        own = [n for n in found if n.place == n.area]
        used = own or found
        result[area_sector] = (
            sum(n.people_in_need for n in used),
            max(n.severity for n in used),
            max(n.assessed_on for n in used),
        )
    return result


def gap_table(
    needs: Iterable[Need],
    activities: Iterable[Coverage],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    sector: str | None = None,
) -> list[Gap]:
    """One Gap per (area, sector) with a need or an activity in the period, largest gap
    first, then those with no assessment (unknown gap) by people targeted."""
    needs = [n for n in needs if sector is None or n.sector == sector]
    activities = [
        a for a in activities if (sector is None or a.sector == sector) and overlaps(a.start, a.end, start, end)
    ]
    need_by_key = area_needs(needs, end)
    totals: dict[tuple[Hashable, str], list[int]] = {}  # key -> [targeted, reached, covering, count]
    for activity in activities:
        total = totals.setdefault((activity.area, activity.sector), [0, 0, 0, 0])
        total[0] += activity.targeted or 0
        total[3] += 1
        if activity.status in COVERING_STATUSES:
            total[1] += activity.reached or 0
            total[2] += activity.reached if activity.reached is not None else (activity.targeted or 0)
    rows = []
    for key in set(need_by_key) | set(totals):
        targeted, reached, covering, count = totals.get(key, [0, 0, 0, 0])
        people: int | None
        severity: int | None
        assessed_on: dt.date | None
        coverage: int | None
        gap: int | None
        if key in need_by_key:
            people, severity, assessed_on = need_by_key[key]
            coverage = min(covering, people)
            gap = people - coverage
        else:
            people = severity = assessed_on = coverage = gap = None
        rows.append(Gap(key[0], key[1], people, severity, assessed_on, targeted, reached, coverage, gap, count))
    rows.sort(key=lambda g: (g.gap is None, -(g.gap or 0), -(g.severity or 0), -g.targeted, str(g.area), g.sector))
    return rows


class AreaGap(TypedDict):
    people_in_need: int | None
    gap: int | None
    severity: int | None
    unassessed_sectors: int


def gaps_by_area(rows: Iterable[Gap]) -> dict[Hashable, AreaGap]:
    """One figure per area across sectors, for the all-sectors map. People are not summed
    over sectors (the same person is in need of food and of water): as OCHA's intersectoral
    figure, an area's need and gap are the largest of its sectors'. Also the highest
    severity and how many sectors have activities but no assessment."""
    areas: dict[Hashable, AreaGap] = {}
    for row in rows:
        area = areas.setdefault(
            row.area, {"people_in_need": None, "gap": None, "severity": None, "unassessed_sectors": 0}
        )
        # A row with a need has a gap and a severity too (gap_table).
        if row.people_in_need is None or row.gap is None or row.severity is None:
            area["unassessed_sectors"] += 1
            continue
        area["people_in_need"] = max(area["people_in_need"] or 0, row.people_in_need)
        area["gap"] = max(area["gap"] or 0, row.gap)
        area["severity"] = max(area["severity"] or 0, row.severity)
    return areas
