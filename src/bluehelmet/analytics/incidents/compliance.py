"""Ceasefire compliance: violations per party and week, verified against alleged."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TypedDict


class WeeklyViolations(TypedDict):
    weeks: list[date]
    parties: dict[str, dict[str, list[int]]]  # party -> "verified" / "alleged" -> count per week


def week_start(day: date) -> date:
    """The Monday of the ISO week of `day`."""
    return day - timedelta(days=day.weekday())


def weekly_violations(rows: Iterable[tuple[date, str, bool]]) -> WeeklyViolations:
    """From (day, party, verified) rows, counts per week and party.

    Returns {"weeks": [monday, ...] every week from the first to the last, "parties": {party:
    {"verified": [...], "alleged": [...]}}} with one count per week; "alleged" are the
    violations not (yet) verified."""
    rows = list(rows)
    if not rows:
        return {"weeks": [], "parties": {}}
    first = week_start(min(r[0] for r in rows))
    last = week_start(max(r[0] for r in rows))
    weeks = []
    week = first
    while week <= last:
        weeks.append(week)
        week += timedelta(days=7)
    index = {w: i for i, w in enumerate(weeks)}
    parties: dict[str, dict[str, list[int]]] = {}
    for day, party, verified in rows:
        counts = parties.setdefault(party, {"verified": [0] * len(weeks), "alleged": [0] * len(weeks)})
        counts["verified" if verified else "alleged"][index[week_start(day)]] += 1
    return {"weeks": weeks, "parties": dict(sorted(parties.items()))}
