"""Response indicators from alert timings: share answered in time, median time to respond."""

import statistics
from collections.abc import Sequence
from datetime import datetime, timedelta


def response_delays(raised: Sequence[datetime], answered: Sequence[datetime | None]) -> list[timedelta | None]:
    """Per alert, the time from raising to the first answer (None when not answered)."""
    return [None if a is None else max(a - r, timedelta(0)) for r, a in zip(raised, answered, strict=True)]


def share_answered_within(delays: Sequence[timedelta | None], within: timedelta) -> float | None:
    """Share of the alerts answered within `within`; None when there are no alerts."""
    if not delays:
        return None
    return sum(1 for d in delays if d is not None and d <= within) / len(delays)


def median_delay(delays: Sequence[timedelta | None]) -> timedelta | None:
    """Median time to respond over the answered alerts; None when none was answered."""
    answered = [d.total_seconds() for d in delays if d is not None]
    if not answered:
        return None
    return timedelta(seconds=statistics.median(answered))
