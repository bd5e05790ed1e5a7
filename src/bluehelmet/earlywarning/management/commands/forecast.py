"""`bluehelmet forecast evaluate ...` and `bluehelmet forecast run ...`.

bluehelmet forecast evaluate --panel FILE --unit COL --time COL --target COL
                             [--covariates A,B] [--horizons 1-12] [--origins 12] [--spacing 1] [--json]
bluehelmet forecast evaluate --events GED.csv --level pgm|adm1|country [--target ged_best] ...
    Rolling-origin evaluation of the baselines and the main model: one table, model x
    metric (MSE, MSLE, CRPS, average precision, Brier), per horizon and overall.

bluehelmet forecast run --mission ACRONYM [--cutoff YYYY-MM] [--user NAME] [--share]
                        [--covariates peacekeepers,incidents,...]
    Compute a forecast run for a mission now, in this process, and store it, with the
    covariate families named (default: those the benchmark keeps; "none" for none).
"""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bluehelmet.analytics.evaluate import default_origins, format_table, rolling_origin, score_table
from bluehelmet.analytics.forecast import all_forecasters, parse_horizons
from bluehelmet.analytics.forecast.covariates import FAMILIES
from bluehelmet.analytics.panel import (
    LEVELS,
    TARGETS,
    PanelError,
    events_panel,
    month_id,
    panel_from_frame,
    read_ged_csv,
    read_panel_file,
)
from bluehelmet.core.models import Mission, Sharing
from bluehelmet.core.months import parse_month


class Command(BaseCommand):
    help = "Evaluate forecasters on a panel or events file, or run a mission's forecast."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        evaluate = sub.add_parser("evaluate", help="rolling-origin evaluation of every forecaster")
        source = evaluate.add_mutually_exclusive_group(required=True)
        source.add_argument("--panel", help="a unit x month panel, .csv or .parquet")
        source.add_argument("--events", help="a UCDP GED CSV file")
        evaluate.add_argument("--unit", help="panel: the unit column")
        evaluate.add_argument("--time", help="panel: the month column (YYYY-MM, a date, or a month number)")
        evaluate.add_argument("--target", help="panel: the target column; events: one of " + ", ".join(TARGETS))
        evaluate.add_argument(
            "--covariates", help="panel: comma-separated covariate columns (default: every other column)"
        )
        evaluate.add_argument(
            "--level", choices=[lvl for lvl in LEVELS if lvl != "site"], default="pgm", help="events: the unit"
        )
        evaluate.add_argument("--horizons", default="1-12", help="e.g. 1-12 or 1,3,6,12")
        evaluate.add_argument("--origins", type=int, default=12, help="number of forecast origins")
        evaluate.add_argument("--spacing", type=int, default=1, help="months between origins")
        evaluate.add_argument("--json", action="store_true", help="print JSON instead of a table")

        run = sub.add_parser("run", help="compute and store a mission's forecast now")
        run.add_argument("--mission", required=True, help="mission acronym")
        run.add_argument("--cutoff", help="last month of data to use, YYYY-MM (default: the latest month with events)")
        run.add_argument("--user", help="username recorded as having run it")
        run.add_argument("--share", action="store_true", help="share the run with the mission's partners")
        run.add_argument(
            "--backtest-origins", type=int, default=4, help="origins of the out-of-sample scores (0: none)"
        )
        run.add_argument(
            "--covariates",
            help="covariate families, comma-separated, or none (default: those the benchmark keeps): "
            + ", ".join(FAMILIES),
        )

    def handle(self, *args, **options):
        try:
            if options["action"] == "evaluate":
                self.evaluate(options)
            else:
                self.run(options)
        except PanelError as problem:
            raise CommandError(str(problem)) from None

    def evaluate(self, options):
        horizons = parse_horizons(options["horizons"])
        if options["panel"]:
            missing = [f"--{name}" for name in ("unit", "time", "target") if not options[name]]
            if missing:
                raise CommandError(f"--panel needs {', '.join(missing)}")
            covariates = (
                [c.strip() for c in options["covariates"].split(",") if c.strip()] if options["covariates"] else None
            )
            panel = panel_from_frame(
                read_panel_file(options["panel"]),
                unit=options["unit"],
                time=options["time"],
                target=options["target"],
                covariates=covariates,
            )
        else:
            panel = events_panel(
                read_ged_csv(options["events"]), options["level"], target=options["target"] or "ged_best"
            )
        origins = default_origins(panel, horizons, n_origins=options["origins"], spacing=options["spacing"])
        backtests = rolling_origin(panel, all_forecasters(horizons), origins, horizons)
        table = score_table(backtests, horizons)
        seconds = {name: round(b.fit_seconds + b.predict_seconds, 3) for name, b in backtests.items()}
        if options["json"]:
            rows = [
                {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
                for row in table.iter_rows(named=True)
            ]
            self.stdout.write(
                json.dumps(
                    {
                        "units": len(panel.units),
                        "months": len(panel.months),
                        "origins": origins,
                        "horizons": horizons,
                        "seconds": seconds,
                        "scores": rows,
                    },
                    indent=1,
                )
            )
        else:
            self.stdout.write(
                f"{len(panel.units)} units x {len(panel.months)} months; {len(origins)} origins; horizons {horizons}"
            )
            self.stdout.write(format_table(table, seconds))

    def run(self, options):
        from bluehelmet.earlywarning.models import ForecastRun
        from bluehelmet.earlywarning.queries import run_notes
        from bluehelmet.earlywarning.runs import create_run, execute_run

        mission = Mission.objects.filter(acronym=options["mission"]).first()
        if mission is None:
            raise CommandError(f"no mission {options['mission']!r}")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user {options['user']!r}")
        cutoff = None
        if options["cutoff"]:
            try:
                month = parse_month(options["cutoff"])
            except ValueError:
                raise CommandError("--cutoff must be YYYY-MM") from None
            cutoff = month_id(month.year, month.month)
        # Computed here and now, whatever the job settings: the command is the job.
        families = None
        if options["covariates"]:
            families = [f.strip() for f in options["covariates"].split(",") if f.strip() and f.strip() != "none"]
        run = create_run(
            mission,
            user,
            cutoff_month=cutoff,
            backtest_origins=options["backtest_origins"],
            covariates=families,
            sharing=Sharing.PUBLIC if options["share"] else Sharing.MISSION,
        )
        run = execute_run(run.pk)
        if run.status != ForecastRun.Status.SUCCEEDED:
            raise CommandError(f"forecast run {run.pk} failed: {run.error}")
        units = run.units.count()
        self.stdout.write(
            f"forecast run {run.pk} for {mission.acronym}: data up to {run.data_cutoff:%Y-%m}, {units} places, horizons 1-12"
        )
        for note in run_notes(run):
            self.stdout.write(f"note: {note}")
