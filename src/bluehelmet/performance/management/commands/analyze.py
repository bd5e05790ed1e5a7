"""`bluehelmet analyze effect ...`: fit a count-panel regression on a CSV panel and print
coefficients, standard errors and fit statistics (or JSON).
`bluehelmet analyze event-study ...`: Callaway & Sant'Anna staggered event study on any panel.
`bluehelmet analyze survival ...`: Kaplan-Meier and Cox proportional hazards on spells.
`bluehelmet analyze mission ACRONYM` recomputes a mission's stored effect estimates and indicators."""

import json
import math
from pathlib import Path

import pandas as pd
import polars as pl
from django.core.management.base import BaseCommand, CommandError

from bluehelmet.analytics.effects import CannotEstimate, fit_count_model, staggered_event_study
from bluehelmet.analytics.effects.count_models import COVARIANCES, MODELS, format_table
from bluehelmet.analytics.effects.event_study import CONTROL_GROUPS, EventStudyResult
from bluehelmet.analytics.effects.survival import TIES, cox_ph, format_cox_table, kaplan_meier
from bluehelmet.core.models import Mission
from bluehelmet.performance.effects import compute_mission_effects
from bluehelmet.performance.results import compute_mission_indicators


class Command(BaseCommand):
    help = "Effect estimation: `analyze effect` on a CSV panel, `analyze mission` on a mission's data."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        effect = sub.add_parser("effect", help="negative binomial or Poisson regression of a count on terms")
        effect.add_argument("--panel", required=True, type=Path, help="CSV file, one row per unit and period")
        effect.add_argument("--outcome", required=True, help="the count column")
        effect.add_argument(
            "--terms", required=True, help="explanatory columns, comma-separated (e.g. troops_lag,police_lag)"
        )
        effect.add_argument("--cluster", help="column to cluster standard errors on")
        effect.add_argument("--model", choices=MODELS, default="negbin")
        effect.add_argument(
            "--covariance", choices=COVARIANCES, help="default: cluster with --cluster, else robust (HC0)"
        )
        effect.add_argument("--unit-effects", help="column of units for fixed effects (dummies)")
        effect.add_argument("--json", action="store_true", help="print the result as JSON")
        study = sub.add_parser(
            "event-study",
            help="staggered event study (Callaway & Sant'Anna 2021) on a unit x period panel",
            description=(
                "ATT(g, t) for every opening cohort g and period t, aggregated by periods since opening, "
                "with a universal base period (the period before opening) and outcome regression. "
                "Periods are whole numbers (1 and 1.0 are the same period), consecutive, one row per unit "
                "and period. A never-treated unit has an EMPTY or 0 first-treated value (so a real period 0 "
                "cannot be an opening: number periods from 1). Units treated in the first period are left out."
            ),
        )
        study.add_argument("--panel", required=True, type=Path, help=".csv or .parquet file")
        study.add_argument("--unit", required=True, help="the unit column")
        study.add_argument("--time", required=True, help="the period column (whole numbers)")
        study.add_argument("--outcome", required=True, help="the outcome column")
        study.add_argument(
            "--first-treated", required=True, help="the period the unit is first treated; empty or 0 = never treated"
        )
        study.add_argument("--leads", type=int, help="event times before opening to show (default: all)")
        study.add_argument("--lags", type=int, help="event times after opening to show (default: all)")
        study.add_argument(
            "--control",
            choices=CONTROL_GROUPS,
            default="notyet",
            help="notyet: not-yet-treated and never-treated units (default); never: never-treated only",
        )
        study.add_argument("--bootstrap", type=int, default=499, help="bootstrap draws over units (default 499)")
        study.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")
        study.add_argument("--json", action="store_true", help="print the result as JSON")

        survival = sub.add_parser(
            "survival",
            help="Kaplan-Meier and Cox proportional hazards on spells (start, stop, event)",
            description=(
                "Counting-process rows: a row is at risk at t when start < t <= stop; event is 1 when the "
                "spell ends at stop, 0 when it is still running or censored. Rows with a missing value "
                "in a term are dropped and counted."
            ),
        )
        survival.add_argument("--spells", required=True, type=Path, help=".csv or .parquet file")
        survival.add_argument("--start", required=True, help="the column of the row's start time")
        survival.add_argument("--stop", required=True, help="the column of the row's stop time")
        survival.add_argument("--event", required=True, help="the column: 1 = the spell ended at stop, 0 = not")
        survival.add_argument("--terms", required=True, help="explanatory columns, comma-separated")
        survival.add_argument("--cluster", help="column to cluster standard errors on (e.g. the country)")
        survival.add_argument("--ties", choices=TIES, default="efron")
        survival.add_argument("--curves", help="column: one Kaplan-Meier curve per value (e.g. peacekeepers)")
        survival.add_argument("--json", action="store_true", help="print the result as JSON")

        mission = sub.add_parser("mission", help="recompute a mission's stored effect estimates and indicators")
        mission.add_argument("acronym")

    def handle(self, *args, subcommand, **options):
        if subcommand == "effect":
            return self.effect(**options)
        if subcommand == "event-study":
            return self.event_study(**options)
        if subcommand == "survival":
            return self.survival(**options)
        return self.mission(options["acronym"])

    def event_study(
        self, *, panel, unit, time, outcome, first_treated, leads, lags, control, bootstrap, seed, **options
    ):
        data = read_table(panel)
        try:
            result = staggered_event_study(
                data,
                unit=unit,
                time=time,
                outcome=outcome,
                first_treated=first_treated,
                leads=leads,
                lags=lags,
                bootstrap=bootstrap,
                seed=seed,
                control=control,
            )
        except CannotEstimate as problem:
            raise CommandError(f"cannot estimate: {problem.reason}")
        if options.get("json"):
            self.stdout.write(_json_dumps(event_study_json(result)))
        else:
            self.stdout.write(format_event_study(result))

    def survival(self, *, spells, start, stop, event, terms, cluster, ties, curves, **options):
        data = read_table(spells)
        names = [t.strip() for t in terms.split(",") if t.strip()]
        try:
            result = cox_ph(data, start=start, stop=stop, event=event, terms=names, cluster=cluster, ties=ties)
            kept = data.dropna(subset=[start, stop, event])
            groups = [("all", kept)] if not curves else _curve_groups(kept, curves)
            curve_list = [kaplan_meier(g[start], g[stop], g[event], label=str(label)) for label, g in groups]
        except CannotEstimate as problem:
            raise CommandError(f"cannot estimate: {problem.reason}")
        if options.get("json"):
            self.stdout.write(_json_dumps({"cox": result.as_dict(), "kaplan_meier": [c.__dict__ for c in curve_list]}))
            return
        self.stdout.write(format_cox_table(result))
        for curve in curve_list:
            median = "not reached" if curve.median is None else f"{curve.median:g}"
            self.stdout.write(
                f"Kaplan-Meier {curves or ''}={curve.label}: {curve.n_events} ended of {curve.n_spells} rows, "
                f"median {median}"
            )

    def effect(self, *, panel, outcome, terms, cluster, model, covariance, unit_effects, json: bool = False, **_):
        if not panel.is_file():
            raise CommandError(f"no such file: {panel}")
        try:
            data = pd.read_csv(panel)
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as failure:
            raise CommandError(f"cannot read {panel} as CSV: {failure}")
        try:
            result = fit_count_model(
                data,
                outcome,
                [t.strip() for t in terms.split(",") if t.strip()],
                model=model,
                cluster=cluster,
                covariance=covariance,
                unit_effects=unit_effects,
            )
        except CannotEstimate as problem:
            raise CommandError(f"cannot estimate: {problem.reason}")
        self.stdout.write(_json_dumps(result.as_dict()) if json else format_table(result))

    def mission(self, acronym):
        mission = Mission.objects.filter(acronym=acronym).first()
        if mission is None:
            raise CommandError(f"no mission {acronym}")
        for estimate in compute_mission_effects(mission):
            state = f"not estimated: {estimate.problem}" if estimate.problem else "estimated"
            self.stdout.write(f"{estimate.kind:<16} {state}")
        written = compute_mission_indicators(mission)
        self.stdout.write(f"indicators: {sum(written.values())} period values for {len(written)} indicators")


def read_table(path: Path) -> pd.DataFrame:
    """A .csv or .parquet file as a pandas frame, or a CommandError naming the problem."""
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    try:
        if path.suffix.lower() == ".parquet":
            frame = pl.read_parquet(path)
            return pd.DataFrame(frame.to_dict(as_series=False))
        return pd.read_csv(path)
    except (
        pd.errors.ParserError,
        UnicodeDecodeError,
        pd.errors.EmptyDataError,
        pl.exceptions.PolarsError,
        OSError,
    ) as failure:
        raise CommandError(f"cannot read {path}: {failure}")


def _curve_groups(data: pd.DataFrame, column: str):
    if column not in data.columns:
        raise CannotEstimate(f"column {column} not in the file")
    return [(label, group) for label, group in data.groupby(column, dropna=True)]


def event_study_json(result: EventStudyResult) -> dict:
    """Every event time with estimate, standard error and interval; the overall ATT (all
    post-opening cells) and the window average beside it; the pre-trend test; the cohorts."""
    return _finite(
        {
            "outcome": result.outcome,
            "control_group": result.control_group,
            "base_period": result.base_period,
            "event_times": [
                {"event_time": e, "estimate": b, "std_error": se, "ci_low": lo, "ci_high": hi}
                for e, b, se, lo, hi in zip(
                    result.event_times, result.estimates, result.std_errors, result.ci_low, result.ci_high
                )
            ],
            "overall_att": {
                "aggregation": "simple: every post-treatment ATT(g, t) of the panel, weighted by cohort size",
                "estimate": result.overall_att,
                "std_error": result.overall_se,
                "ci_low": result.overall_ci[0],
                "ci_high": result.overall_ci[1],
            },
            "window_att": {
                "aggregation": "average over the shown window only: post-treatment event times 0..lags",
                "estimate": result.window_att,
                "std_error": result.window_se,
                "ci_low": result.window_ci[0] if result.window_ci else None,
                "ci_high": result.window_ci[1] if result.window_ci else None,
            },
            "pre_trend_test": {
                "test": "Wald test that every pre-treatment estimate (before -1) is zero, bootstrap covariance",
                "statistic": result.pre_trend_statistic,
                "df": result.pre_trend_df,
                "p_value": result.pre_trend_p_value,
            },
            "cohorts": [{"first_treated": g, "units": n} for g, n in sorted(result.cohort_units.items())],
            "units": result.n_units,
            "never_treated_units": result.n_never_treated,
            "dropped_already_treated": result.n_dropped_already_treated,
            "bootstrap_draws": result.bootstrap_draws,
            "group_time": [cell.__dict__ for cell in result.group_time],
            "notes": result.notes,
        }
    )


def format_event_study(result: EventStudyResult) -> str:
    lines = [
        f"Event study of {result.outcome} (Callaway & Sant'Anna; controls: {result.control_group}; base period -1)",
        f"{result.n_units} units, {result.n_never_treated} never treated; cohorts "
        + ", ".join(f"{g}: {n}" for g, n in sorted(result.cohort_units.items())),
        f"{'event time':>10}{'estimate':>12}{'SE':>10}{'95% interval':>26}",
    ]
    for e, b, se, lo, hi in zip(result.event_times, result.estimates, result.std_errors, result.ci_low, result.ci_high):
        lines.append(f"{e:>10}{b:>12.4f}{se:>10.4f}{f'{lo:.4f} to {hi:.4f}':>26}")
    lines.append(
        f"overall ATT (simple, every post-treatment cell): {result.overall_att:.4f} "
        f"(SE {result.overall_se:.4f}, {result.overall_ci[0]:.4f} to {result.overall_ci[1]:.4f})"
    )
    if result.window_att is not None:
        lines.append(f"average over the window's post-treatment event times only: {result.window_att:.4f}")
    if result.pre_trend_p_value is not None:
        lines.append(
            f"pre-trend test: chi2({result.pre_trend_df}) = {result.pre_trend_statistic:.3f}, p = {result.pre_trend_p_value:.3f}"
        )
    lines.extend(result.notes)
    return "\n".join(lines)


def _finite(data):
    """NaN and infinity as null: JSON has no NaN."""
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_finite(value) for value in data]
    if isinstance(data, float) and not math.isfinite(data):
        return None
    return data


def _json_dumps(data) -> str:
    return json.dumps(_finite(data), indent=2)
