"""`bluehelmet import <kind> FILE`: import one data file (Django name: import_data)."""

import argparse
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from bluehelmet.importers.base import ImportFailed
from bluehelmet.importers.registry import REGISTRY, run_import

PROGRESS_STEP = 5  # percent


class Command(BaseCommand):
    help = "Import a data file. The database is left unchanged when the file has any error."

    def create_parser(self, prog_name, subcommand, **kwargs):
        kinds = "\n".join(f"  {kind:<22} {importer.label}" for kind, importer in REGISTRY.items())
        kwargs.update(formatter_class=argparse.RawDescriptionHelpFormatter, epilog=f"kinds:\n{kinds}")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", choices=list(REGISTRY), metavar="kind", help="what the file holds (see the list below)"
        )
        parser.add_argument("file", help="path of the CSV or GeoJSON file")
        parser.add_argument("--json", action="store_true", help="print the summary (or the errors) as JSON")
        parser.add_argument("--mission", help="geopko: import only this mission's rows (acronym)")
        parser.add_argument("--country", help="boundaries: the country the areas belong to")
        parser.add_argument(
            "--level", choices=["ADM0", "ADM1", "ADM2", "ADM3"], help="boundaries: the level of every feature"
        )

    def handle(self, *args, kind, file, json: bool = False, **options):
        importer = REGISTRY[kind]
        chosen = {name: options.get(name) for name in importer.option_names if options.get(name)}
        ignored = [
            f"--{name}"
            for name in ("mission", "country", "level")
            if options.get(name) and name not in importer.option_names
        ]
        if ignored:
            raise CommandError(f"{kind} does not take {', '.join(ignored)}")
        try:
            summary = run_import(kind, file, progress=self._progress_printer(), **chosen)
        except FileNotFoundError:
            raise CommandError(f"no such file: {file}")
        except ImportFailed as failure:
            self._report_failure(failure, as_json=json)
            raise CommandError(f"{file} was not imported: {failure.total} error(s); nothing was changed", returncode=1)
        if json:
            self.stdout.write(self._dumps({"ok": True, **summary.as_dict()}))
        else:
            self.stdout.write(format_summary(summary))

    def _progress_printer(self):
        last = {"percent": -PROGRESS_STEP}

        def progress(done: int, total: int) -> None:
            percent = 100 * done // max(total, 1)
            if percent >= last["percent"] + PROGRESS_STEP or (done == total and last["percent"] != 100):
                last["percent"] = percent
                sys.stderr.write(f"  {percent:3d}%  {done:,} / {total:,} rows\n")
                sys.stderr.flush()

        return progress

    def _report_failure(self, failure: ImportFailed, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(self._dumps({"ok": False, "error_count": failure.total, "errors": failure.as_dicts()}))
            return
        self.stderr.write(f"{'row':>7}  {'column':<22} {'value':<24} message")
        for error in failure.errors:
            row = "" if error.row is None else str(error.row)
            self.stderr.write(f"{row:>7}  {error.column[:22]:<22} {error.value[:24]:<24} {error.message}")
        if failure.omitted:
            self.stderr.write(f"... and {failure.omitted} more error(s)")

    @staticmethod
    def _dumps(data) -> str:
        return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def format_summary(summary) -> str:
    lines = [
        f"{summary.kind}: {summary.file}: {summary.rows:,} rows in {summary.seconds:.1f} s",
        f"  created {summary.created:,}, updated {summary.updated:,}, unchanged {summary.unchanged:,}",
    ]
    lines += [f"  {name}: {count:,}" for name, count in summary.details.items()]
    lines += [f"  warning: {warning}" for warning in summary.warnings]
    return "\n".join(lines)
