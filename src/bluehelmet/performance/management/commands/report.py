"""`bluehelmet report mission ACRONYM [--output DIR]`: the mission's case-study report as
HTML and PDF, read with full access (the server's operator)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from bluehelmet.core.models import Mission
from bluehelmet.performance.report import CommandLineReader, write_report


class Command(BaseCommand):
    help = "Generate a mission's performance and impact report (HTML and PDF)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        mission = sub.add_parser("mission", help="the case-study report of one mission")
        mission.add_argument("acronym")
        mission.add_argument("--output", type=Path, default=Path("."), help="folder for the files (default: here)")
        mission.add_argument("--language", default="en", choices=["en", "fr"])
        mission.add_argument(
            "--no-refresh", action="store_true", help="use the stored indicators and estimates as they are"
        )

    def handle(self, *args, subcommand, acronym, output, language, no_refresh, **options):
        mission = Mission.objects.filter(acronym=acronym).first()
        if mission is None:
            raise CommandError(f"no mission {acronym}")
        with translation.override(language):
            html_path, pdf_path = write_report(mission, CommandLineReader(), output, refresh=not no_refresh)
        self.stdout.write(f"{html_path}\n{pdf_path}")
