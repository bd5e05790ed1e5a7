"""The mission timeline: UN presence against violence, month by month, in the host countries.

It lives in forces, the lowest layer that reads both deployments and incidents, so the
overview page and the performance report can both draw it."""

import datetime

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from bluehelmet.core.freshness import cached_aggregate
from bluehelmet.core.models import Mission
from bluehelmet.core.months import month_range
from bluehelmet.datasets.queries import (
    country_strength_by_month,
    mission_conflict_months,
    mission_events,
    monthly_conflict_figures,
    monthly_event_deaths,
    timeline_sources,
)

PERSONNEL_SERIES = ("troops", "police", "observers")
# Conflict-month series (Hultman, Kathman & Shannon) and GED sums, in chart order.
VIOLENCE_SERIES = ("civilians_killed", "battle_deaths", "ged_civilian_deaths", "ged_state_based_deaths")
GED_SERIES = ("ged_civilian_deaths", "ged_state_based_deaths")


def mission_timeline(mission: Mission, user) -> dict:
    """Monthly series for the mission's host countries, on one continuous month axis.

    `series` maps a name to one value per month (None where the source has no figure);
    a series with no figure at all is left out. Personnel is summed over every mission in
    the host countries, violence over every conflict there.
    """
    countries = mission.host_countries.all()
    strength = country_strength_by_month(user, countries)
    conflict = monthly_conflict_figures(mission_conflict_months(user, mission))
    ged = monthly_event_deaths(mission_events(user, mission))

    by_month: dict[datetime.date, dict] = {}
    for source, renames in (
        (strength, {name: name for name in PERSONNEL_SERIES}),
        (conflict, {"civilians_killed": "civilians_killed", "battle_deaths": "battle_deaths"}),
        (ged, {"civilian_deaths": "ged_civilian_deaths", "state_based_deaths": "ged_state_based_deaths"}),
    ):
        for month, values in source.items():
            row = by_month.setdefault(month, {})
            for key, name in renames.items():
                row[name] = values[key]

    months = month_range(min(by_month), max(by_month)) if by_month else []
    series = {}
    for name in PERSONNEL_SERIES + VIOLENCE_SERIES:
        values = [by_month.get(month, {}).get(name) for month in months]
        if name in GED_SERIES:
            values = _zero_between_first_and_last(values)
        if any(value is not None for value in values):
            series[name] = values
    return {"months": [month.strftime("%Y-%m") for month in months], "series": series}


def cached_mission_timeline(user, access) -> dict:
    """mission_timeline, from the cache while no record it reads has changed (one query
    then, against three heavy ones): per mission and audience (core.freshness)."""
    mission = access.mission
    timeline, _counts = cached_aggregate(
        "timeline", user, access, timeline_sources(mission), lambda: mission_timeline(mission, user)
    )
    return timeline


def _zero_between_first_and_last(values: list) -> list:
    """GED lists every event it knows of, so a month without events inside the span it
    covers had no deaths (0), while months outside that span stay unknown (None)."""
    known = [i for i, value in enumerate(values) if value is not None]
    if not known:
        return values
    first, last = known[0], known[-1]
    return [0 if value is None and first <= i <= last else value for i, value in enumerate(values)]


def timeline_caption(timeline: dict, place: str) -> str:
    """A plain-language reading of the timeline, from its own numbers: when UN personnel
    arrived, when troops peaked, and civilian killings in the arrival year against the
    last year of the series."""
    months = [datetime.date.fromisoformat(month + "-01") for month in timeline["months"]]
    series = timeline["series"]
    sentences = []

    personnel = [sum(series[name][i] or 0 for name in PERSONNEL_SERIES if name in series) for i in range(len(months))]
    arrival = next((i for i, total in enumerate(personnel) if total > 0), None)
    if arrival is not None:
        sentences.append(
            _("UN uniformed personnel are first reported in %(place)s in %(month)s.")
            % {"place": place, "month": date_format(months[arrival], "YEAR_MONTH_FORMAT")}
        )
    troops = series.get("troops")
    if troops and any(troops):
        peak = max(range(len(months)), key=lambda i: troops[i] or 0)
        sentences.append(
            _("Troops peaked at %(troops)s in %(month)s.")
            % {
                "troops": number_format(troops[peak], force_grouping=True),
                "month": date_format(months[peak], "YEAR_MONTH_FORMAT"),
            }
        )

    killings_name = "civilians_killed" if "civilians_killed" in series else "ged_civilian_deaths"
    killings = series.get(killings_name)
    if killings:
        per_year: dict[int, float] = {}
        for month, value in zip(months, killings):
            if value is not None:
                per_year[month.year] = per_year.get(month.year, 0) + value
        first_year = months[arrival].year if arrival is not None and months[arrival].year in per_year else min(per_year)
        last_year = max(per_year)
        if first_year != last_year:
            sentences.append(
                _("Civilians killed: %(first)s in %(first_year)s, %(last)s in %(last_year)s.")
                % {
                    "first": number_format(round(per_year[first_year]), force_grouping=True),
                    "first_year": first_year,
                    "last": number_format(round(per_year[last_year]), force_grouping=True),
                    "last_year": last_year,
                }
            )
    return " ".join(sentences)
