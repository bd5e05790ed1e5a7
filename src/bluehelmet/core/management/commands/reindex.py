"""bluehelmet reindex [KIND ...]: rebuild the search index (core.search) of every searchable
kind, or of the kinds named; after a bulk import or a restore, whatever wrote the records."""

from django.core.management.base import BaseCommand, CommandError

from bluehelmet.core import search


class Command(BaseCommand):
    help = "Rebuild the search index (every kind, or the kinds named, e.g. incidents.incident)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="kinds to rebuild (default: all); see --list")
        parser.add_argument("--list", action="store_true", help="list the searchable kinds and stop")

    def handle(self, *args, kinds=(), list=False, **options):
        known = [registered.name for registered in search.kinds()]
        if list:
            for name in known:
                self.stdout.write(name)
            return
        unknown = sorted(set(kinds) - set(known))
        if unknown:
            raise CommandError(f"Unknown kind(s): {', '.join(unknown)}. Known: {', '.join(known)}.")
        counts = search.reindex(kinds, progress=self.stdout.write)
        self.stdout.write(f"Indexed {sum(counts.values())} records of {len(counts)} kinds.")
