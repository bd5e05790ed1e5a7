"""`bluehelmet restore FILE [--yes]`: replace the database, the uploads and the field key with
a backup's, after checking the archive (see bluehelmet.core.backup)."""

import tempfile

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bluehelmet.core.backup import BackupError, holds_encrypted_data, restore_backup, unpack_backup


class Command(BaseCommand):
    help = "Restore a backup made with `bluehelmet backup`: REPLACES the database, the uploads and the field key."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a .tar.gz made by `bluehelmet backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive, yes=False, **options):
        # Unpacked inside BLUEHELMET_HOME, not /tmp, which may be small or readable by others.
        with tempfile.TemporaryDirectory(prefix="restore-", dir=settings.HOME) as workdir:
            try:
                unpacked = unpack_backup(archive, workdir)
            except BackupError as error:
                raise CommandError(str(error)) from None
            manifest = unpacked.manifest
            self.stdout.write(
                f"Backup of a {manifest['engine']} database made {manifest['created_at']} by Blue Helmet "
                f"{manifest['bluehelmet_version']} ({sum(map(len, manifest['migrations'].values()))} migrations applied)."
            )
            if not yes and not self.confirmed():
                raise CommandError("restore cancelled: nothing changed")
            try:
                restore_backup(unpacked)
            except BackupError as error:
                raise CommandError(f"{error}; the uploads and the field key were not touched") from None
        self.stdout.write(self.style.SUCCESS(f"Restored {archive}."))
        executor = MigrationExecutor(connection)
        if pending := executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(
                self.style.WARNING(
                    f"The backup predates {len(pending)} migration(s) of this version: run `bluehelmet migrate`."
                )
            )
        if unpacked.field_key and settings.BLUEHELMET_FIELD_KEYS:
            self.stdout.write(
                self.style.WARNING(
                    "The archive's field key was written to BLUEHELMET_HOME/field_key, but BLUEHELMET_FIELD_KEYS is set and "
                    "takes precedence: it must hold the key the backed-up data was encrypted with."
                )
            )
        elif not unpacked.field_key and not settings.BLUEHELMET_FIELD_KEYS and holds_encrypted_data():
            self.stdout.write(
                self.style.WARNING(
                    "The archive holds no field key: set BLUEHELMET_FIELD_KEYS to the keys the backed-up personal data was encrypted with."
                )
            )

    def confirmed(self) -> bool:
        try:
            answer = input("This REPLACES the current database and uploads. Type 'yes' to restore: ")
        except EOFError:  # no terminal: only --yes restores
            return False
        return answer.strip().lower() == "yes"
