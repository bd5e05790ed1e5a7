"""History rows and import jobs show labels in the reader's language, not stored codes
(issue 15, section 5: "open -> done", `humanitarian-3w`)."""

import datetime

from django.utils import timezone, translation

from bluehelmet.core.models import Role
from bluehelmet.importers.models import ImportJob
from bluehelmet.incidents import history, response
from bluehelmet.incidents.models import IncidentHistory, ResponseTask


def test_a_tasks_status_change_reads_as_its_labels(users, mission):
    analyst = users[Role.ANALYST]
    task = response.create_task(
        analyst, mission, title="Patrol", assignee=analyst, due_at=timezone.now() + datetime.timedelta(hours=1)
    )
    response.update_task(task, analyst, status=ResponseTask.Status.DONE, outcome="Calm.")
    entry = IncidentHistory.objects.get(task=task, action="task updated")
    # The changes come in the stored order, which PostgreSQL's jsonb does not keep: find the status.
    [(_entry, _label, changes)] = history.described([entry])
    status = [(str(before), str(after)) for name, before, after, _had in changes if str(name) == "Status"]
    assert status == [("Open", "Done")], changes
    with translation.override("fr"):
        [(_entry, _label, changes)] = history.described([entry])
        statut = [(str(before), str(after)) for name, before, after, _had in changes if str(name) == "Statut"]
        assert statut == [("Ouverte", "Terminée")], changes


def test_import_job_pages_name_the_kind_by_its_label(client_for, users):
    job = ImportJob.objects.create(
        kind="humanitarian-3w", file_name="3w.csv", actor=users[Role.ANALYST], status=ImportJob.Status.SUCCEEDED
    )
    assert job.kind_label == "Humanitarian: who does what where (3W), HXL-tagged CSV"
    client = client_for(users[Role.ANALYST])
    for url in (f"/imports/{job.pk}/", "/imports/"):
        page = client.get(url).content.decode()
        assert "who does what where (3W)" in page, url
        assert ">humanitarian-3w<" not in page
    with translation.override("fr"):
        assert job.kind_label != "Humanitarian: who does what where (3W), HXL-tagged CSV"
    assert ImportJob(kind="gone-kind").kind_label == "gone-kind"
