"""Re-encrypt every encrypted column of every model under the newest key (the first of
BLUEHELMET_FIELD_KEYS) and recompute the DDR duplicate-lookup hashes under it, in one
transaction. Run after putting a new key first; then the old keys can be dropped."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from bluehelmet.core.crypto import encrypted_fields, reencrypt


class Command(BaseCommand):
    help = "Re-encrypt all encrypted personal data with the newest key (key rotation)."

    @transaction.atomic
    def handle(self, *args, **options):
        from bluehelmet.ddr.cases import rehash_participants

        for model in apps.get_models():
            if encrypted_fields(model):
                rows = reencrypt(model)
                self.stdout.write(f"{model._meta.label}: {rows} rows re-encrypted")
        self.stdout.write(f"ddr.Participant: {rehash_participants()} lookup hashes recomputed")
