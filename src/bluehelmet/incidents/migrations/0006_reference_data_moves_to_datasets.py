"""Conflict events and conflict months now belong to `datasets` (its migration 0001, which
takes over their tables). Here they only leave incidents' state: the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0005_derived_records_labels"),
        ("datasets", "0001_reference_data_keeps_its_tables"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ConflictEvent"),
                migrations.DeleteModel(name="ConflictMonth"),
            ],
            database_operations=[],
        ),
    ]
