"""Risk pages. Views pick the scoped query functions (queries.py) and a template; runs are
started through runs.start_forecast_run."""

from django import forms
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from bluehelmet.analytics.panel import month_id
from bluehelmet.core.gate import mission_view
from bluehelmet.core.job_views import JobStatusBox, is_finished, job_status_view
from bluehelmet.core.models import Sharing
from bluehelmet.core.months import parse_month
from bluehelmet.datasets.queries import missing_events

from .labels import feature_label
from .models import ForecastRun, ForecastUnit
from .queries import (
    LEVEL_LABELS,
    PAGE_HORIZONS,
    calibration_labels,
    distribution_summary,
    map_layers,
    review_for,
    run_notes,
    score_rows,
    shown_run,
    top_places,
    unit_chart,
    visible_runs,
)
from .runs import start_forecast_run

RECENT_RUNS = 8


def map_labels() -> dict:
    """Words the risk script shows, in the request's language."""
    return {
        "cells": gettext("PRIO-GRID cells"),
        "areas": gettext("Admin areas"),
        "p1": gettext("P(at least 1 fatality)"),
        "p25": gettext("P(at least 25 fatalities)"),
        "point": gettext("expected fatalities"),
        "range": gettext("%(level)s%% range") % {"level": 90},
        "history": gettext("Observed fatalities"),
        "forecast": gettext("Forecast (point)"),
        "band50": gettext("%(level)s%% band") % {"level": 50},
        "band90": gettext("%(level)s%% band") % {"level": 90},
        "drivers": gettext("Main drivers"),
        "noDrivers": gettext("No single feature stands out."),
        "fatalities": gettext("Fatalities per month"),
    }


class ForecastRunForm(forms.Form):
    cutoff = forms.CharField(
        label=_("Data cut-off"),
        required=False,
        max_length=7,
        help_text=_("YYYY-MM; empty: the latest month with events"),
        widget=forms.TextInput(
            attrs={
                "placeholder": pgettext_lazy("month format shown as a field placeholder", "YYYY-MM"),
                "pattern": r"\d{4}-\d{2}",
            }
        ),
    )
    sharing = forms.ChoiceField(label=_("Share with"), choices=Sharing.choices, initial=Sharing.MISSION)

    def clean_cutoff(self):
        text = self.cleaned_data["cutoff"].strip()
        if not text:
            return None
        try:
            month = parse_month(text)
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from None
        return month_id(month.year, month.month)


def _horizon(request) -> int:
    try:
        horizon = int(request.GET.get("h", 1))
    except ValueError:
        return 1
    return horizon if horizon in PAGE_HORIZONS else 1


def _index_context(request, access, form=None) -> dict:
    mission = access.mission
    run = shown_run(request.user, mission, request.GET.get("run"))
    horizon = _horizon(request)
    runs = list(visible_runs(request.user, mission).select_related("actor")[:RECENT_RUNS])
    context = {
        "mission": mission,
        "run": run,
        "horizon": horizon,
        "horizons": PAGE_HORIZONS,
        "runs": runs,
        "latest": runs[0] if runs else None,
        "can_run": access.can("earlywarning.run"),
        # A forecast reads the host countries' conflict events: without them a run can only fail.
        "missing_events": missing_events(request.user, access),
        "form": form or ForecastRunForm(),
    }
    if run is None:
        # A forecast the user's label does not admit (not shared with partners): say it exists
        # but is not shared, rather than that none was run.
        context["unshared_forecast"] = (
            ForecastRun.objects.filter(mission=mission, status=ForecastRun.Status.SUCCEEDED)
            .exclude(pk__in=visible_runs(request.user, mission).values("pk"))
            .exists()
        )
    if run is not None:
        context.update(
            notes=run_notes(run),
            areas=top_places(run, ForecastUnit.Level.ADMIN, horizon),
            cells=top_places(run, ForecastUnit.Level.CELL, horizon),
            scores=[(LEVEL_LABELS[level], score_rows(run, level)) for level in ("admin", "pgm")],
            review=review_for(request.user, mission, run, runs),
            map_config={
                "mapUrl": reverse("earlywarning:map-data", args=[mission.acronym]) + f"?run={run.pk}&h={horizon}",
                "unitUrl": reverse("earlywarning:unit-data", args=[mission.acronym, 0]),
                "labels": map_labels(),
            },
        )
    return context


@require_GET
@mission_view()
def index(request, access):
    return render(request, "earlywarning/index.html", _index_context(request, access))


@require_POST
@mission_view("earlywarning.run")
def start_run(request, access):
    mission = access.mission
    form = ForecastRunForm(request.POST)
    if not form.is_valid():
        return render(request, "earlywarning/index.html", _index_context(request, access, form), status=400)
    run = start_forecast_run(
        mission, request.user, cutoff_month=form.cleaned_data["cutoff"], sharing=form.cleaned_data["sharing"]
    )
    return redirect("earlywarning:run-detail", acronym=mission.acronym, pk=run.pk)


def _visible_run_or_404(request, mission, pk) -> ForecastRun:
    return get_object_or_404(visible_runs(request.user, mission).select_related("actor"), pk=pk)


@require_GET
@mission_view()
def run_detail(request, access, pk):
    mission = access.mission
    run = _visible_run_or_404(request, mission, pk)
    levels = []
    for level in ("admin", "pgm"):
        metrics = run.metrics.get(level)
        if metrics:
            levels.append(
                {
                    "level": level,
                    "label": LEVEL_LABELS[level],
                    "metrics": metrics,
                    "importance": [(feature_label(name), gain) for name, gain in run.importance.get(level, [])[:10]],
                    "distribution": distribution_summary(metrics.get("distribution")),
                }
            )
    context = {
        "mission": mission,
        "run": run,
        "levels": levels,
        "calibration_charts": {
            "levels": {level["level"]: level["metrics"].get("distribution") for level in levels},
            "labels": calibration_labels(),
        },
        "notes": run_notes(run),
        **STATUS_BOX.context(run, mission.acronym),
    }
    return render(request, "earlywarning/run_detail.html", context)


# A run's status box (core.job_views); a finished run reloads its page to show its scores.
STATUS_BOX = JobStatusBox(
    "earlywarning:run-status", "run-status", "earlywarning/_run_result.html", refresh_when=is_finished
)
run_status = job_status_view(STATUS_BOX, lambda request, access, pk: _visible_run_or_404(request, access.mission, pk))


@require_GET
@mission_view()
def map_data(request, access):
    mission = access.mission
    run = shown_run(request.user, mission, request.GET.get("run"))
    if run is None:
        raise Http404("No forecast to show.")
    return JsonResponse(map_layers(run, _horizon(request)))


@require_GET
@mission_view()
def unit_data(request, access, pk):
    mission = access.mission
    runs = visible_runs(request.user, mission).filter(status=ForecastRun.Status.SUCCEEDED)
    unit = get_object_or_404(ForecastUnit.objects.select_related("run"), pk=pk, run__in=runs)
    return JsonResponse(unit_chart(unit))
