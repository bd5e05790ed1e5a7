"""The mission's effect analyses: data frames from the database for analytics.effects, the
stored results, and their plain-language reading.

Three analyses per mission, each stored as an EffectEstimate (or the reason it cannot be
estimated):
- conflict months: the country's monthly civilians killed on last month's UN troops, police
  and observers (Hultman, Kathman & Shannon 2013), negative binomial and Poisson;
- cell panel: civilian deaths per PRIO-GRID cell and month (UCDP GED) on the mission's
  presence in the cell last month (Geo-PKO), with lagged violence, clustered by cell;
- base openings: GED events per cell-month around the month a base first appears in the
  cell (Callaway & Sant'Anna event study).
"""

from __future__ import annotations

import math

import pandas as pd
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from bluehelmet.analytics.effects import CannotEstimate, fit_count_model, rate_change, staggered_event_study
from bluehelmet.analytics.effects.count_models import Coefficient
from bluehelmet.analytics.effects.panels import cell_month_panel, month_index
from bluehelmet.analytics.effects.plots import event_study_figure, figure_bytes
from bluehelmet.core.access import mission_scope
from bluehelmet.core.models import Mission, Sharing
from bluehelmet.datasets.models import ConflictEvent, ConflictMonth, Deployment

from .comparison import conflict_month_rows, pooled_hks_model
from .models import EffectEstimate

PERSONNEL_TERMS = ("troops_lag", "police_lag", "observers_lag")
PANEL_CONTROLS = ("log_civilian_deaths_lag", "log_state_based_deaths_lag")
# Months of the panel before the first deployment map, and the event-study window.
LEADS, LAGS = 12, 24
# How much more of each term a reading talks about: terms are in thousands (troops) or
# thousands / presence dummies; readings use sizes a commander thinks in.
READING_SCALES = {
    "troops_lag": (1.0, gettext_lazy("1,000 troops")),
    "troopLag": (1.0, gettext_lazy("1,000 troops")),  # the HKS file's name
    "police_lag": (0.01, gettext_lazy("10 police")),
    "observers_lag": (0.1, gettext_lazy("100 military observers")),
}
PRESENCE_READINGS = {
    "police_lag": gettext_lazy("UN police present in the cell"),
    "observers_lag": gettext_lazy("military observers present in the cell"),
}

# Why an analysis could not be made, stored with the estimate in English and shown in the
# reader's language (core.stored_text): raise CannotEstimate(MSGID % values), never a gettext.
NO_DEPLOYMENT_MAPS = gettext_noop("no deployment maps (Geo-PKO) for %(mission)s")
NO_GED_EVENTS = gettext_noop("no UCDP GED events for %(countries)s in Blue Helmet: import GED events to estimate this")
GED_STARTS_LATE = gettext_noop("the GED events start after the months needed before the first deployment map")
GED_ENDS_EARLY = gettext_noop("the GED events end before the mission's first deployment map")
NO_CONFLICT_MONTHS = gettext_noop("no conflict-month series for %(countries)s in Blue Helmet")
PROBLEMS = (NO_DEPLOYMENT_MAPS, NO_GED_EVENTS, GED_STARTS_LATE, GED_ENDS_EARLY, NO_CONFLICT_MONTHS)


def conflict_month_frame(mission: Mission) -> pd.DataFrame:
    rows = ConflictMonth.objects.filter(country__in=mission.host_countries.all()).order_by("conflict_id", "month")
    return pd.DataFrame(
        [
            {
                "conflict_id": row.conflict_id,
                "month": row.month,
                "osv_all": row.osv_all,
                "troops_lag": row.troops_lag,
                "police_lag": row.police_lag,
                "observers_lag": row.observers_lag,
                "battle_deaths_lag": row.battle_deaths_lag,
            }
            for row in rows
        ],
        columns=["conflict_id", "month", "osv_all", *PERSONNEL_TERMS, "battle_deaths_lag"],
    )


def cell_panel(mission: Mission) -> pd.DataFrame:
    """The mission's PRIO-GRID cell x month panel, from LEADS months before its first
    deployment map to its last map (or the last GED event, if earlier)."""
    deployments = pd.DataFrame(
        list(
            Deployment.objects.filter(mission=mission).values_list(
                "site__priogrid_gid", "month", "troops", "police", "observers"
            )
        ),
        columns=["cell", "month", "troops", "police", "observers"],
    )
    if deployments.empty:
        raise CannotEstimate(NO_DEPLOYMENT_MAPS % {"mission": mission.acronym})
    countries = ", ".join(c.name for c in mission.host_countries.all())
    events = pd.DataFrame(
        list(
            ConflictEvent.objects.filter(
                country__in=mission.host_countries.all(), priogrid_gid__isnull=False
            ).values_list("priogrid_gid", "date_start", "deaths_civilians", "best", "type_of_violence")
        ),
        columns=["cell", "date", "civilian_deaths", "fatalities", "type"],
    )
    if events.empty:
        raise CannotEstimate(NO_GED_EVENTS % {"countries": countries})
    deployments = deployments.dropna(subset=["cell"])
    deployments["period"] = [month_index(m) for m in deployments["month"]]
    deployments["troops"] = deployments["troops"].astype(float)
    events["period"] = [month_index(d) for d in events["date"]]
    events["state_based"] = events["type"] == ConflictEvent.ViolenceType.STATE_BASED
    first_map, last_map = deployments["period"].min(), deployments["period"].max()
    first, last = first_map - LEADS, min(last_map, events["period"].max())
    if events["period"].min() > first:
        raise CannotEstimate(GED_STARTS_LATE)
    if last <= first_map:
        raise CannotEstimate(GED_ENDS_EARLY)
    return cell_month_panel(events, deployments, int(first), int(last))


def json_safe(data):
    """NaN and infinity (a standard error that could not be computed) as None: JSON has no NaN."""
    if isinstance(data, dict):
        return {key: json_safe(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [json_safe(value) for value in data]
    if isinstance(data, float) and not math.isfinite(data):
        return None
    return data


def _store(mission: Mission, kind: str, sharing: str, compute) -> EffectEstimate:
    try:
        result, svg = compute()
        fields = {"result": json_safe(result), "problem": "", "figure_svg": svg, "sharing": sharing}
    except CannotEstimate as problem:
        fields = {"result": None, "problem": problem.reason, "figure_svg": "", "sharing": sharing}
    estimate, _created = EffectEstimate.objects.update_or_create(mission=mission, kind=kind, defaults=fields)
    return estimate


def _conflict_month_models(mission: Mission):
    frame = conflict_month_frame(mission)
    if frame.empty:
        countries = ", ".join(c.name for c in mission.host_countries.all())
        raise CannotEstimate(NO_CONFLICT_MONTHS % {"countries": countries})
    # Clustering needs several conflicts; one country's single conflict gets
    # autocorrelation-robust (Newey-West) errors instead.
    several = frame["conflict_id"].nunique() >= 5
    options = {"cluster": "conflict_id"} if several else {"covariance": "hac"}
    models = {
        name: fit_count_model(frame, "osv_all", list(PERSONNEL_TERMS), model=name, **options).as_dict()
        for name in ("negbin", "poisson")
    }
    months = frame["month"]
    result = {"models": models, "first_month": str(months.min()), "last_month": str(months.max())}
    # Beside the one-country estimate, the same question across every conflict held (HKS).
    try:
        result["pooled"] = pooled_hks_model(conflict_month_rows(ConflictMonth.objects.all()))
    except CannotEstimate as problem:
        result["pooled"] = {"problem": problem.reason}
    return result, ""


def _cell_panel_models(mission: Mission):
    panel = cell_panel(mission)
    terms = [*PERSONNEL_TERMS, *PANEL_CONTROLS]
    models = {
        name: fit_count_model(panel, "civilian_deaths", terms, model=name, cluster="cell").as_dict()
        for name in ("negbin", "poisson")
    }
    return {
        "models": models,
        "first_month": str(panel["month"].min()),
        "last_month": str(panel["month"].max()),
        "cells": int(panel["cell"].nunique()),
    }, ""


def _base_openings(mission: Mission):
    panel = cell_panel(mission)
    result = staggered_event_study(
        panel, unit="cell", time="period", outcome="events", first_treated="first_opened", leads=LEADS, lags=LAGS
    )
    figure = event_study_figure(
        result,
        title=_("GED events per cell and month, by months since a base opened"),
        y_label=_("Effect on events per month"),
        x_label=_("Months since the base opened (-1 = reference)"),
    )
    data = result.as_dict()
    data.update(first_month=str(panel["month"].min()), last_month=str(panel["month"].max()))
    return data, figure_bytes(figure, "svg").decode("utf-8")


@transaction.atomic
def compute_mission_effects(mission: Mission) -> list[EffectEstimate]:
    # Conflict months are published research data (no sharing flag); the cell analyses
    # use the mission's own deployment maps, so they stay with mission staff.
    return [
        _store(mission, EffectEstimate.Kind.CONFLICT_MONTHS, Sharing.PUBLIC, lambda: _conflict_month_models(mission)),
        _store(mission, EffectEstimate.Kind.CELL_PANEL, Sharing.MISSION, lambda: _cell_panel_models(mission)),
        _store(mission, EffectEstimate.Kind.BASE_OPENINGS, Sharing.MISSION, lambda: _base_openings(mission)),
    ]


# --- Plain-language readings ----------------------------------------------------------------


def _percent(value: float) -> str:
    size = abs(value)
    # Whole percents, except below 10% and just short of 100% ("99.7% fewer", not "100% fewer").
    return f"{size:,.1f}%" if size < 10 or 99 <= size < 100 else f"{size:,.0f}%"


def _signed(value: float) -> str:
    return (_("%(p)s fewer") if value < 0 else _("%(p)s more")) % {"p": _percent(value)}


def _higher(value: float) -> str:
    return (_("%(p)s lower") if value < 0 else _("%(p)s higher")) % {"p": _percent(value)}


def term_reading(model: dict, term: str, outcome_words: str) -> str:
    """ "Each additional 1,000 troops is associated with 23% fewer civilian killings (95%
    interval: 51% fewer to 19% more)...", from the stored estimates."""
    if not model.get("reliable"):
        return _("The model did not converge (%(why)s), so its estimates are not reliable and are not read here.") % {
            "why": "; ".join(model.get("warnings") or [_("no standard errors")])
        }
    coefficient = next(Coefficient(**c) for c in model["coefficients"] if c["term"] == term)
    scale, amount = READING_SCALES.get(term, (1.0, term))
    change = rate_change(coefficient, scale)
    text = _(
        "Each additional %(amount)s is associated with %(change)s %(outcome)s (95%% interval: %(low)s to %(high)s)."
    ) % {
        "amount": amount,
        "change": _signed(change.percent),
        "outcome": outcome_words,
        "low": _signed(change.ci_low),
        "high": _signed(change.ci_high),
    }
    if not change.significant:
        text += " " + _("The interval includes no change: these data cannot tell this apart from no effect.")
    return text


def presence_reading(model: dict, term: str, outcome_words: str) -> str:
    """The same for a 0/1 presence term."""
    if not model.get("reliable"):
        return ""
    coefficient = next(Coefficient(**c) for c in model["coefficients"] if c["term"] == term)
    change = rate_change(coefficient, 1.0)
    text = _("With %(what)s, %(outcome)s are %(change)s (95%% interval: %(low)s to %(high)s).") % {
        "what": PRESENCE_READINGS[term],
        "outcome": outcome_words,
        "change": _higher(change.percent),
        "low": _higher(change.ci_low),
        "high": _higher(change.ci_high),
    }
    if not change.significant:
        text += " " + _("The interval includes no change.")
    return text


def event_study_reading(result: dict) -> str:
    post = [
        (e, b, lo, hi)
        for e, b, lo, hi in zip(result["event_times"], result["estimates"], result["ci_low"], result["ci_high"])
        if e >= 0
    ]
    low, high = result["overall_ci"]
    text = _(
        "Averaged over the months after opening, a base is associated with %(att)+.2f GED events per cell and month "
        "(95%% interval %(low)+.2f to %(high)+.2f), against cells without a base yet."
    ) % {"att": result["overall_att"], "low": low, "high": high}
    if low <= 0 <= high:
        text += " " + _("The interval includes no change.")
    window = result.get("window_att")
    if window is not None and post:
        text += " " + _("Over the first %(months)s months after opening only: %(att)+.2f.") % {
            "months": max(e for e, *_rest in post) + 1,
            "att": window,
        }
    pre_p = result.get("pre_trend_p_value")
    if pre_p is not None:
        text += " " + (
            _("Before opening, treated and comparison cells moved alike (joint test p = %(p).2f).")
            if pre_p >= 0.05
            else _(
                "Before opening, treated and comparison cells already differed (joint test p = %(p).2f): read the effects with care."
            )
        ) % {"p": pre_p}
    if not post:
        text += " " + _("No month after opening is observed.")
    return text


def single_country_caveat() -> str:
    return _(
        "Why one country gives a weak estimate: troops are sent where and when civilians are being killed, and their "
        "numbers change as a war ends for other reasons too (a peace agreement, disarmament, outside forces), so in a "
        "single country troops and killings move together for reasons that are not the troops' effect (confounding). "
        "One country also has few months with killings, so the interval is wide. Comparing many conflicts, each with "
        "itself over time, gives a firmer estimate."
    )


def conflict_month_context(result: dict, outcome: str) -> list[str]:
    """The caveat, and the many-country estimate (HKS Table 1, model 1) when it was fitted."""
    sentences = [single_country_caveat()]
    pooled = result.get("pooled") or {}
    if pooled.get("model"):
        sentences.append(
            _(
                "Across %(countries)s countries and %(conflicts)s conflicts (Hultman, Kathman & Shannon 2013, Table 1 "
                "model 1, with its controls):"
            )
            % {"countries": pooled["countries"], "conflicts": pooled["conflicts"]}
            + " "
            + term_reading(pooled["model"], "troopLag", outcome)
        )
    return sentences


def readings(estimate: EffectEstimate) -> list[str]:
    """Every plain-language sentence for a stored estimate (none when it has a problem)."""
    if not estimate.result:
        return []
    if estimate.kind == EffectEstimate.Kind.BASE_OPENINGS:
        return [event_study_reading(estimate.result)]
    model = estimate.result["models"]["negbin"]
    if estimate.kind == EffectEstimate.Kind.CONFLICT_MONTHS:
        outcome = _("civilian killings per month")
        sentences = [term_reading(model, term, outcome) for term in PERSONNEL_TERMS]
        sentences += conflict_month_context(estimate.result, outcome)
    else:
        outcome = _("civilian deaths in the cell per month")
        sentences = [term_reading(model, "troops_lag", outcome)]
        sentences += [presence_reading(model, term, _("civilian deaths")) for term in ("police_lag", "observers_lag")]
    return [s for s in dict.fromkeys(sentences) if s]


def estimates_for(user, mission: Mission) -> QuerySet[EffectEstimate]:
    """The mission's stored estimates the user may see."""
    return EffectEstimate.objects.filter(mission_scope(user), mission=mission)


def visible_estimates(user, mission: Mission) -> list[EffectEstimate]:
    """The same, those with a result first."""
    return sorted(estimates_for(user, mission), key=lambda e: (e.result is None, e.kind))
