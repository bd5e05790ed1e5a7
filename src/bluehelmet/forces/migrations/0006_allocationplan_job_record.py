"""AllocationPlan becomes a core.job_records.JobRecord: created_by renamed actor and created_at
renamed created (rows kept), with actor_label, started, finished and error added."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_job_fields(apps, schema_editor):
    """Name each job's actor (kept if the account goes), and date the start of any job left
    running by the time it was asked for (stale-job recovery dates runs by `started`)."""
    Job = apps.get_model("forces", "AllocationPlan")
    for job in Job.objects.filter(actor__isnull=False).select_related("actor").only("pk", "actor__username"):
        Job.objects.filter(pk=job.pk).update(actor_label=job.actor.username[:254])
    Job.objects.filter(status="running", started__isnull=True).update(started=models.F("created"))


class Migration(migrations.Migration):
    dependencies = [
        ("forces", "0005_reference_data_moves_to_datasets"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="allocationplan", old_name="created_by", new_name="actor"),
        migrations.AlterField(
            model_name="allocationplan",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="started by",
            ),
        ),
        migrations.AddField(
            model_name="allocationplan",
            name="actor_label",
            field=models.CharField(
                blank=True,
                help_text="the user name, or command:<system user> for a command run without --actor",
                max_length=254,
                verbose_name="started by (name)",
            ),
        ),
        migrations.RenameField(model_name="allocationplan", old_name="created_at", new_name="created"),
        migrations.AlterField(model_name="allocationplan", name="created", field=models.DateTimeField(auto_now_add=True, verbose_name="requested")),
        migrations.AlterModelOptions(
            name="allocationplan",
            options={"ordering": ["-created"], "verbose_name": "allocation plan", "verbose_name_plural": "allocation plans"},
        ),
        migrations.AlterField(
            model_name="allocationplan",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("running", "Running"),
                    ("optimal", "Optimal"),
                    ("feasible", "Feasible (stopped at the time limit)"),
                    ("infeasible", "Infeasible"),
                    ("failed", "Failed"),
                ],
                db_index=True,
                default="queued",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AddField(model_name="allocationplan", name="started", field=models.DateTimeField(blank=True, null=True, verbose_name="started")),
        migrations.AddField(model_name="allocationplan", name="finished", field=models.DateTimeField(blank=True, null=True, verbose_name="finished")),
        migrations.AddField(model_name="allocationplan", name="error", field=models.TextField(blank=True, verbose_name="reason for failure")),
        migrations.RunPython(fill_job_fields, migrations.RunPython.noop),
    ]
