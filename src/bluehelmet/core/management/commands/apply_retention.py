"""bluehelmet apply_retention [--dry-run]: anonymise personal data kept past its retention
period (core/retention.py), and report the counts."""

from django.core.management.base import BaseCommand

from bluehelmet.core.retention import apply_retention


class Command(BaseCommand):
    help = "Anonymise personal data older than its retention period (BLUEHELMET_RETENTION_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be anonymised, change nothing")

    def handle(self, *args, dry_run=False, **options):
        for outcome in apply_retention(dry_run=dry_run):
            if outcome.cutoff is None:
                self.stdout.write(f"{outcome.category} ({outcome.model}): off (retention 0 days)")
                continue
            done = f"{outcome.due} due" if dry_run else f"{outcome.anonymised} anonymised"
            self.stdout.write(
                f"{outcome.category} ({outcome.model}): {done}, kept {outcome.days} days, before {outcome.cutoff.isoformat()}"
            )
        if dry_run:
            self.stdout.write("Dry run: nothing changed.")
