"""`bluehelmet backup [--output FILE]`: the database, the uploads and the field key in one
.tar.gz (see bluehelmet.core.backup)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bluehelmet.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database (a consistent snapshot), the uploads and the field-encryption key into one .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", help="archive file or folder (default: bluehelmet-backup-<UTC time>.tar.gz here)"
        )

    def handle(self, *args, output=None, **options):
        try:
            path, manifest = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        apps = len(manifest["migrations"])
        self.stdout.write(
            f"{manifest['engine']} database, uploads and migration state of {apps} apps written to {path}"
        )
        if manifest["field_key"]:
            self.stdout.write(
                self.style.WARNING(
                    "This archive holds the field-encryption key (BLUEHELMET_HOME/field_key) beside the encrypted "
                    "personal data: anyone with the archive can read that data. Keep it as securely as the database."
                )
            )
        if settings.BLUEHELMET_FIELD_KEYS:
            self.stdout.write(
                self.style.WARNING(
                    "Personal data is encrypted with BLUEHELMET_FIELD_KEYS, which are NOT in this archive: keep them safe "
                    "separately; without them the restored personal data cannot be read."
                )
            )
