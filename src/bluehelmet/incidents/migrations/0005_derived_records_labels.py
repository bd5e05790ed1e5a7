"""Alerts and response tasks carry the strictest label of the incidents they derive from;
existing ones are labelled from their incidents (AMBER when they have none). Attachments
remember the report they came with (from the history's "attachment added" entries, else
their report), as sources do."""

import django.db.models.deletion
from django.db import migrations, models

# As in core.sensitivity.RANK, frozen here.
RANK = {"clear": 0, "green": 1, "amber": 2, "red": 3}


def _strictest(labels):
    labels = [label for label in labels if label]
    return max(labels, key=RANK.__getitem__) if labels else "amber"


def first_incident_of_attachments(apps, schema_editor):
    Attachment = apps.get_model("incidents", "Attachment")
    IncidentHistory = apps.get_model("incidents", "IncidentHistory")
    Attachment.objects.filter(first_incident__isnull=True).update(first_incident=models.F("incident"))
    for entry in IncidentHistory.objects.filter(action="attachment added", incident__isnull=False).iterator():
        pk = (entry.after or {}).get("attachment")
        if isinstance(pk, int):
            Attachment.objects.filter(pk=pk).update(first_incident_id=entry.incident_id)


def label_existing(apps, schema_editor):
    Alert = apps.get_model("incidents", "Alert")
    ResponseTask = apps.get_model("incidents", "ResponseTask")
    for alert in Alert.objects.all().iterator():
        labels = set(alert.incidents.values_list("sensitivity", flat=True))
        if alert.incident_id:
            labels.add(alert.incident.sensitivity)
        label = _strictest(labels)
        if label != alert.sensitivity:
            Alert.objects.filter(pk=alert.pk).update(sensitivity=label)
    for task in ResponseTask.objects.all().iterator():
        labels = []
        if task.alert_id:
            labels.append(Alert.objects.get(pk=task.alert_id).sensitivity)
        if task.incident_id:
            labels.append(task.incident.sensitivity)
        label = _strictest(labels)
        if label != task.sensitivity:
            ResponseTask.objects.filter(pk=task.pk).update(sensitivity=label)


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0004_verbose_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='alert',
            name='sensitivity',
            field=models.CharField(choices=[('clear', 'TLP:CLEAR (public)'), ('green', 'TLP:GREEN (mission and partners)'), ('amber', 'TLP:AMBER (mission staff only)'), ('red', 'TLP:RED (analysts, administrators and the author)')], db_index=True, default='amber', editable=False, max_length=10, verbose_name='sensitivity'),
        ),
        migrations.AddField(
            model_name='responsetask',
            name='sensitivity',
            field=models.CharField(choices=[('clear', 'TLP:CLEAR (public)'), ('green', 'TLP:GREEN (mission and partners)'), ('amber', 'TLP:AMBER (mission staff only)'), ('red', 'TLP:RED (analysts, administrators and the author)')], db_index=True, default='amber', editable=False, max_length=10, verbose_name='sensitivity'),
        ),
        migrations.AddField(
            model_name='attachment',
            name='first_incident',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='incidents.incident', verbose_name='first incident'),
        ),
        migrations.RunPython(label_existing, migrations.RunPython.noop),
        migrations.RunPython(first_incident_of_attachments, migrations.RunPython.noop),
    ]
