"""Civil affairs computations, free of Django: perception shares with confidence
intervals, agreement implementation over time, and which high-risk places lack engagement.

Perception: each respondent answers yes/no (trusts the mission, feels safe) or gives no
answer; the indicator is the share of "yes" among those who answered, with a Wilson score
interval (good at small samples and near 0 or 1, unlike the normal approximation).
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

Z_95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion; None when there are no observations."""
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must lie between 0 and n")
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Share:
    group: tuple[Hashable, ...]
    n: int
    yes: int
    share: float | None
    low: float | None
    high: float | None


def share_of(answers: Iterable[bool | None], group: tuple[Hashable, ...] = ()) -> Share:
    """The share of True among the answers given (None: no answer, left out)."""
    given = [a for a in answers if a is not None]
    n, yes = len(given), sum(1 for a in given if a)
    interval = wilson_interval(yes, n)
    return Share(group, n, yes, yes / n if n else None, *(interval or (None, None)))


def quarter(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


PERIODS: dict[str, Callable[[datetime.date], datetime.date]] = {
    "month": lambda day: day.replace(day=1),
    "quarter": quarter,
    "year": lambda day: datetime.date(day.year, 1, 1),
}


def perception_table(
    rows: Iterable[tuple[Hashable, datetime.date, bool | None, bool | None]], period: str = "quarter"
) -> list[dict[str, object]]:
    """rows: (place, day, trust, security) with trust/security True, False or None.
    One row per place and period: respondents, and for trust and security the share of yes
    among answers with its 95 % interval. Sorted by place, then period."""
    start_of = PERIODS[period]
    groups: dict[tuple[Hashable, datetime.date], list[tuple[bool | None, bool | None]]] = defaultdict(list)
    for place, day, trust, security in rows:
        groups[(place, start_of(day))].append((trust, security))
    table = []
    for (place, start), answers in sorted(groups.items(), key=lambda item: (str(item[0][0]), item[0][1])):
        table.append(
            {
                "place": place,
                "period": start,
                "respondents": len(answers),
                "trust": share_of(a[0] for a in answers),
                "security": share_of(a[1] for a in answers),
            }
        )
    return table


# --- Agreements -----------------------------------------------------------------------------

LEVELS = (0, 1, 2, 3)  # Peace Accords Matrix: not implemented, minimal, intermediate, full


def month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _month_end(month: datetime.date) -> datetime.date:
    following = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def implementation_by_month(
    provisions: Sequence[Sequence[tuple[datetime.date, int]]], first: datetime.date, last: datetime.date
) -> list[dict[str, object]]:
    """For each month from `first` to `last`: the share of provisions at each level at the
    month's end. `provisions`: for each provision, its assessments (day, level) in any
    order; before its first assessment a provision counts as not implemented (level 0)."""
    histories = [sorted(history) for history in provisions]
    series = []
    for month in month_starts(first, last):
        end = _month_end(month)
        counts = dict.fromkeys(LEVELS, 0)
        for history in histories:
            level = 0
            for day, value in history:
                if day > end:
                    break
                level = value
            counts[level] += 1
        total = len(histories)
        series.append(
            {"month": month, "counts": counts, "shares": {k: (v / total if total else None) for k, v in counts.items()}}
        )
    return series


# --- Engagement coverage --------------------------------------------------------------------


def engagement_gaps(risk: dict[int, float], engaged: set[int]) -> tuple[list[int], list[int]]:
    """(engaged, not engaged) high-risk places, each sorted from the highest risk down."""
    order = sorted(risk, key=lambda place: (-risk[place], place))
    return [p for p in order if p in engaged], [p for p in order if p not in engaged]


def coverage_share(risk: dict[int, float], engaged: set[int]) -> float | None:
    """Share of the high-risk places engaged; None when there is no high-risk place."""
    if not risk:
        return None
    return sum(1 for place in risk if place in engaged) / len(risk)
