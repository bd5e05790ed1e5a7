"""`bluehelmet demo`: a fresh database with the shipped real data, demo users, and a server."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from bluehelmet.core.demo import DEMO_USERS, describe_demo_two_factor

from ...demo import describe_missions, load_demo_data


class Command(BaseCommand):
    help = "Create a fresh database with the Sierra Leone and Central African Republic demo data, then serve it."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="only load the data")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="where to serve (default 127.0.0.1:8000)")

    def handle(self, *args, **options):
        self.stdout.write(f"Blue Helmet demo in {settings.HOME}")
        start_fresh_database(self.stdout)
        load_demo_data(progress=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(describe_missions())
        self.stdout.write(self.style.SUCCESS("\nDemo logins (user / password):"))
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<12} / {user.password:<25} {user.description}")
        self.stdout.write(self.style.SUCCESS("\nTwo-factor log-in (required for administrators):"))
        self.stdout.write(describe_demo_two_factor())
        if options["no_serve"]:
            return
        self.stdout.write(self.style.SUCCESS(f"\nServing on http://{options['addrport']}/  (Ctrl+C to stop)"))
        call_command("runserver", options["addrport"], use_reloader=False, use_threading=True)


def start_fresh_database(stdout) -> None:
    """Delete the SQLite file (or empty the PostgreSQL database), then build the schema."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db['NAME']}{suffix}").unlink(missing_ok=True)
        call_command("migrate", verbosity=0)
    else:
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
    stdout.write("  fresh database ready")
