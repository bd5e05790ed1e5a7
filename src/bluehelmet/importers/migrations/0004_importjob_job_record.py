"""ImportJob becomes a core.job_records.JobRecord: created_by renamed actor (rows kept), with
actor_label, started and error added."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_job_fields(apps, schema_editor):
    """Name each job's actor (kept if the account goes), and date the start of any job left
    running by the time it was asked for (stale-job recovery dates runs by `started`)."""
    Job = apps.get_model("importers", "ImportJob")
    for job in Job.objects.filter(actor__isnull=False).select_related("actor").only("pk", "actor__username"):
        Job.objects.filter(pk=job.pk).update(actor_label=job.actor.username[:254])
    Job.objects.filter(status="running", started__isnull=True).update(started=models.F("created"))


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0003_verbose_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="importjob", old_name="created_by", new_name="actor"),
        migrations.AlterField(
            model_name="importjob",
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
            model_name="importjob",
            name="actor_label",
            field=models.CharField(
                blank=True,
                help_text="the user name, or command:<system user> for a command run without --actor",
                max_length=254,
                verbose_name="started by (name)",
            ),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="status",
            field=models.CharField(
                choices=[("queued", "Queued"), ("running", "Running"), ("succeeded", "Succeeded"), ("failed", "Failed")],
                db_index=True,
                default="queued",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(model_name="importjob", name="created", field=models.DateTimeField(auto_now_add=True, verbose_name="requested")),
        migrations.AddField(model_name="importjob", name="started", field=models.DateTimeField(blank=True, null=True, verbose_name="started")),
        migrations.AlterField(model_name="importjob", name="finished", field=models.DateTimeField(blank=True, null=True, verbose_name="finished")),
        migrations.AddField(model_name="importjob", name="error", field=models.TextField(blank=True, verbose_name="reason for failure")),
        migrations.RunPython(fill_job_fields, migrations.RunPython.noop),
    ]
