"""Ceasefire durability: each of the mission's ceasefires as a spell, against the history.

A mission's ceasefire spell runs from the agreement's entry into force to its first VERIFIED
violation in which at least the mission's threshold of people were killed (an event), or
is still running: censored today, or on the agreement's end date.

The history: there is no real ceasefire-spell data set in Blue Helmet, so the historical
curve and the hazard ratio are DERIVED from the Hultman, Kathman & Shannon (2013) conflict
months: spells without civilian killings (at least the same threshold in a month ends one),
in the 26 African countries, 1991-2008, with UN troops in the country or not
(analytics.effects.cases.peace_spells). The pages say so.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from bluehelmet.analytics.effects import CannotEstimate
from bluehelmet.analytics.effects.cases import peace_spells
from bluehelmet.analytics.effects.survival import cox_ph, kaplan_meier
from bluehelmet.core.models import Mission
from bluehelmet.incidents import ceasefires
from bluehelmet.incidents.feed import incident_scope
from bluehelmet.incidents.models import Incident

from . import figures
from .comparison import SOURCE, CaseFigure, case_figure, conflict_month_rows, reference_conflict_months
from .models import CeasefireThreshold

DAYS_PER_MONTH = 365.25 / 12


def threshold_for(mission: Mission) -> int:
    setting = CeasefireThreshold.objects.filter(mission=mission).first()
    return setting.min_killed if setting else 1


def _months(first: datetime.date, last: datetime.date) -> float:
    return max((last - first).days, 0) / DAYS_PER_MONTH


def mission_spells(user, mission: Mission, threshold: int, today: datetime.date | None = None) -> list[dict]:
    """Each visible agreement of the mission as a spell (see the module's rule); the
    violation that ended it only when the user may see it."""
    today = today or timezone.localdate()
    spells = []
    for agreement in ceasefires.visible_agreements(user, mission).order_by("effective_from"):
        breaking = (
            ceasefires.violations(agreement)
            .filter(incident_scope(user))
            .filter(
                status=Incident.Status.VERIFIED, killed__gte=threshold, occurred_at__date__gte=agreement.effective_from
            )
            .order_by("occurred_at")
            .first()
        )
        if breaking is not None:
            end, ended = breaking.occurred_at.date(), True
        else:
            end = min(agreement.ends_on, today) if agreement.ends_on else today
            ended = False
        spells.append(
            {
                "agreement": agreement,
                "start": agreement.effective_from,
                "end": end,
                "ended": ended,
                "violation": breaking,
                "months": _months(agreement.effective_from, end),
            }
        )
    return spells


def historical_durability(user, threshold: int) -> dict:
    """The derived historical spells: Kaplan-Meier curves (all, with and without UN troops
    at the start) and the Cox hazard ratio of UN troops in the country (time-varying),
    clustered by country, Efron ties."""
    frame = conflict_month_rows(reference_conflict_months(user))
    if frame.empty:
        raise CannotEstimate(_("no conflict months are loaded (import the HKS file)"))
    spells, rows = peace_spells(frame, threshold)
    if spells.empty:
        raise CannotEstimate(_("the conflict months hold no spell"))
    zeros = [0.0] * len(spells)
    curves = {"all": kaplan_meier(zeros, spells["months"], spells["ended"], label="all")}
    for flag, label in ((1, "with"), (0, "without")):
        chosen = spells[spells["un_troops_at_start"] == flag]
        if len(chosen):
            curves[label] = kaplan_meier([0.0] * len(chosen), chosen["months"], chosen["ended"], label=label)
    cox = cox_ph(rows, start="start", stop="stop", event="ended", terms=["un_troops"], cluster="country")
    return {
        "spells": len(spells),
        "ended": int(spells["ended"].sum()),
        "countries": int(spells["country"].nunique()),
        "rows": len(rows),
        "curves": curves,
        "cox": cox,
        "hazard": cox.term("un_troops"),
        "source": SOURCE,
    }


def ceasefire_durability(user, mission: Mission) -> dict:
    threshold = threshold_for(mission)
    spells = mission_spells(user, mission, threshold)
    try:
        history = historical_durability(user, threshold)
        problem = ""
    except CannotEstimate as failure:
        history, problem = None, failure.reason
    if history:
        curve = history["curves"]["all"]
        longest = max(curve.times) if curve.times else 0
        for spell in spells:
            spell["historical_survival"] = curve.survival_at(spell["months"])
            spell["beyond_history"] = spell["months"] > longest
    figure = _figure(history, spells) if history else None
    return {"threshold": threshold, "spells": spells, "history": history, "problem": problem, "figure": figure}


def _figure(history: dict, spells: list[dict]) -> CaseFigure:
    names = {
        "all": _("every spell"),
        "with": _("UN troops in the country at the start"),
        "without": _("no UN troops at the start"),
    }
    curves = {names[key]: (curve.times, curve.survival) for key, curve in history["curves"].items()}
    longest = max(max(c.times, default=1) for c in history["curves"].values())
    figure = figures.survival_curves(
        curves,
        [(s["agreement"].name[:40], s["months"]) for s in spells if s["months"] <= longest],
        title=_("Share of spells without civilian killings still running, by months"),
        x_label=_("Months since the spell began"),
        y_label=_("Still running (Kaplan-Meier)"),
        max_months=longest,
    )
    return case_figure(
        figure,
        _("Derived from %(source)s: %(n)s spells in %(countries)s countries. Dotted: this mission's ceasefires so far.")
        % {"source": history["source"], "n": history["spells"], "countries": history["countries"]},
    )
