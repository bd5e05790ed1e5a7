"""Readable names of the model's features, for the drivers shown beside each place."""

import re

from django.utils.translation import gettext as _

from bluehelmet.analytics.panel import FATALITY_TARGETS


def _what(series: str) -> str | None:
    if series in FATALITY_TARGETS:
        return _("fatalities")
    if series == "neighbours":
        return _("fatalities in neighbouring places")
    if series == "events":
        return _("events")
    return None


def _covariate_labels() -> dict[str, tuple[str, str]]:
    """The covariates of analytics.forecast.covariates: (last month, 12-month average)."""
    return {
        "un_site_km": (_("distance to the nearest UN site"), _("distance to the nearest UN site, 12-month average")),
        "population_50km": (_("people within 50 km"), _("people within 50 km")),
        "patrols_25km": (_("patrols within 25 km"), _("patrols within 25 km, 12-month average")),
        "incidents_reported_25km": (
            _("incidents reported within 25 km"),
            _("incidents reported within 25 km, 12-month average"),
        ),
        "incidents_verified_25km": (
            _("verified incidents within 25 km"),
            _("verified incidents within 25 km, 12-month average"),
        ),
        "community_alerts_25km": (
            _("community alerts within 25 km"),
            _("community alerts within 25 km, 12-month average"),
        ),
        "ceasefire_zone": (_("in a ceasefire zone"), _("months in a ceasefire zone in the last year")),
        "months_to_election": (
            _("months to the next polling day"),
            _("months to the next polling day, 12-month average"),
        ),
    }


def feature_label(name: str) -> str:
    """ "ged_best_t-0" -> "fatalities last month", and so on; unknown names come back as they are."""
    if match := re.fullmatch(r"(troops|sites)_(\d+)km_(t-0|mean_12m)", name):
        kind, radius, when = match.groups()
        if kind == "troops":
            text = (
                _("UN troops within %(km)s km") if when == "t-0" else _("UN troops within %(km)s km, 12-month average")
            )
        else:
            text = _("UN sites within %(km)s km") if when == "t-0" else _("UN sites within %(km)s km, 12-month average")
        return text % {"km": radius}
    if match := re.fullmatch(r"(.+)_(t-0|mean_12m)", name):
        covariate, when = match.groups()
        labels = _covariate_labels()
        if covariate in labels:
            now, average = labels[covariate]
            return now if when == "t-0" else average
    if name == "ceasefire_t-0":
        return _("ceasefire in force")
    if name == "ceasefire_mean_12m":
        return _("months under a ceasefire in the last year")
    if (match := re.fullmatch(r"(.+)_t-(\d+)", name)) and (what := _what(match.group(1))):
        months = int(match.group(2))
        if months == 0:
            return _("%(what)s last month") % {"what": what}
        return _("%(what)s %(n)s months before the last") % {"what": what, "n": months}
    if (match := re.fullmatch(r"(.+)_mean_(\d+)m", name)) and (what := _what(match.group(1))):
        return _("%(what)s, %(n)s-month average") % {"what": what, "n": match.group(2)}
    if (match := re.fullmatch(r"(.+)_mean_all", name)) and (what := _what(match.group(1))):
        return _("%(what)s, long-run average") % {"what": what}
    if name == "months_since_event":
        return _("months since the last fatal event")
    if name == "neighbours_months_since_event":
        return _("months since violence in neighbouring places")
    if name.startswith("decay_"):
        return _("how recent the last fatal event is")
    return name
