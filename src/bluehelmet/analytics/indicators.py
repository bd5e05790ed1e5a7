"""Indicator maths: periods, progress from baseline to target, traffic lights, trends.

Status rules (documented once, used everywhere):
- green:  the target is met (or passed) in the indicator's direction;
- amber:  better than the baseline but short of the target;
- red:    no better than the baseline;
- grey:   no value, or no baseline and target to judge it against.
With a target but no baseline, only green (met) or amber (not met) can be said.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence

GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"
MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}


def period_start(day: datetime.date, frequency: str) -> datetime.date:
    """The first day of the period (month, quarter, year) that contains `day`."""
    step = MONTHS_IN[frequency]
    month = (day.month - 1) // step * step + 1
    return datetime.date(day.year, month, 1)


def add_periods(start: datetime.date, frequency: str, n: int) -> datetime.date:
    index = start.year * 12 + start.month - 1 + n * MONTHS_IN[frequency]
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_end(start: datetime.date, frequency: str) -> datetime.date:
    """The last day of the period starting on `start`."""
    return add_periods(start, frequency, 1) - datetime.timedelta(days=1)


def periods_between(first: datetime.date, last: datetime.date, frequency: str) -> list[datetime.date]:
    """Starts of every period from the one holding `first` to the one holding `last`."""
    periods, current = [], period_start(first, frequency)
    while current <= last:
        periods.append(current)
        current = add_periods(current, frequency, 1)
    return periods


def is_better(value: float, reference: float, direction: str) -> bool:
    return value < reference if direction == "decrease" else value > reference


def progress(value: float | None, baseline: float | None, target: float | None) -> float | None:
    """Share of the way from baseline to target (0 at baseline, 1 at target), or None."""
    if value is None or baseline is None or target is None or math.isclose(target, baseline):
        return None
    return (value - baseline) / (target - baseline)


def status(value: float | None, baseline: float | None, target: float | None, direction: str) -> str:
    if value is None or target is None:
        return GREY
    met = value <= target if direction == "decrease" else value >= target
    if met:
        return GREEN
    if baseline is None:
        return AMBER
    return AMBER if is_better(value, baseline, direction) else RED


def trend(values: Sequence[float | None], window: int = 6) -> str | None:
    """ "up" / "down" / "flat" for the last `window` known values, by the slope of a
    least-squares line relative to their mean level; None with fewer than three values.
    The caller knows which way is better."""
    known = [v for v in values if v is not None][-window:]
    if len(known) < 3:
        return None
    n = len(known)
    mean_x, mean_y = (n - 1) / 2, sum(known) / n
    slope = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(known)) / sum((i - mean_x) ** 2 for i in range(n))
    scale = max(abs(mean_y), 1e-9)
    # Less than 2% of the level per period is no trend worth a word.
    if abs(slope) / scale < 0.02:
        return "flat"
    return "up" if slope > 0 else "down"
