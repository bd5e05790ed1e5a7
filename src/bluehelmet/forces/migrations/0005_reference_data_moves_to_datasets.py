"""Geo-PKO deployments and their contributions, site-years and mission strength now belong
to `datasets` (its migration 0001, which takes over their tables). Here they only leave
forces' state: the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("forces", "0004_verbose_names"),
        ("datasets", "0001_reference_data_keeps_its_tables"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                # The contribution first: it points at the deployment.
                migrations.DeleteModel(name="DeploymentContribution"),
                migrations.DeleteModel(name="Deployment"),
                migrations.DeleteModel(name="SiteYear"),
                migrations.DeleteModel(name="MissionStrength"),
            ],
            database_operations=[],
        ),
    ]
