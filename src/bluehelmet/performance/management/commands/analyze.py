"""`bluehelmet analyze effect ...`: fit a count-panel regression on a CSV panel and print
coefficients, standard errors and fit statistics (or JSON). `bluehelmet analyze mission
ACRONYM` recomputes a mission's stored effect estimates and indicators."""

import json
from pathlib import Path

import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from bluehelmet.analytics.effects import CannotEstimate, fit_count_model
from bluehelmet.analytics.effects.count_models import COVARIANCES, MODELS, format_table
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
        mission = sub.add_parser("mission", help="recompute a mission's stored effect estimates and indicators")
        mission.add_argument("acronym")

    def handle(self, *args, subcommand, **options):
        if subcommand == "effect":
            return self.effect(**options)
        return self.mission(options["acronym"])

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


def _json_dumps(data) -> str:
    return json.dumps(data, indent=2, allow_nan=True)
