"""The upload page end to end: upload, job, summary or error table; importers only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bluehelmet.datasets.models import ConflictMonth
from bluehelmet.importers.models import ImportJob
from tests.factories import make_user

from .conftest import CONFLICT_MONTHS, GEOPKO, read_rows, set_cell, write_csv


@pytest.fixture(autouse=True)
def jobs_in_process(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_BROKER_URL = ""
    settings.BLUEHELMET_JOBS_SYNC = True


@pytest.fixture
def own_months(tmp_path):
    """The conflict months of UNAMSIL (the users' mission) and of no mission: what an analyst
    of UNAMSIL may import (the file's UNOMSIL rows are another mission's)."""
    header, rows = read_rows(CONFLICT_MONTHS)
    rows = [row for row in rows if row[header.index("mission")] in ("", "UNAMSIL")]
    return write_csv(tmp_path / CONFLICT_MONTHS.name, header, rows)


def upload(client, path, kind, **fields):
    with open(path, "rb") as f:
        file = SimpleUploadedFile(path.name, f.read(), content_type="text/csv")
    return client.post("/imports/", {"kind": kind, "file": file, **fields})


def test_analyst_uploads_and_sees_the_summary(client_for, users, own_months):
    client = client_for(users["analyst"])
    assert client.get("/imports/").status_code == 200
    response = upload(client, own_months, "conflict-months")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert job.status == ImportJob.Status.SUCCEEDED and job.actor == users["analyst"]
    assert (job.rows_done, job.rows_total, job.summary["created"]) == (129, 129, 129)
    assert ConflictMonth.objects.count() == 129
    page = client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert "Succeeded" in content and "<td>129</td>" in content and "hx-get" not in content
    assert "sierra_leone_conflict_month_1991_2002.csv" in client.get("/imports/").content.decode()


def test_mission_option_reaches_the_import(client_for, users, tmp_path):
    header, rows = read_rows(GEOPKO)
    path = write_csv(tmp_path / "geopko.csv", header, [r for r in rows if r[1] in ("UNOMSIL", "UNIPSIL")])
    upload(client_for(users["superuser"]), path, "geopko", mission="UNOMSIL")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.summary["options"] == {"mission": "UNOMSIL"} and job.summary["created"] == 28


def test_bad_file_shows_the_error_table(client_for, users, tmp_path, own_months):
    header, data = read_rows(own_months)
    data[9] = set_cell(header, data[9], "year", "19x2")
    client = client_for(users["analyst"])
    response = upload(client, write_csv(tmp_path / "bad.csv", header, data), "conflict-months")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and ConflictMonth.objects.count() == 0
    assert job.errors == [{"row": 11, "column": "year", "value": "19x2", "message": "not a number"}]
    content = client.get(response["Location"]).content.decode()
    assert "Failed" in content and "<td>11</td><td>year</td><td><code>19x2</code></td><td>not a number</td>" in content


def test_running_job_polls_its_status(client_for, users):
    job = ImportJob.objects.create(
        kind="ged",
        file_name="ged.csv",
        status=ImportJob.Status.RUNNING,
        rows_done=50,
        rows_total=200,
        actor=users["analyst"],
    )
    client = client_for(users["analyst"])
    content = client.get(f"/imports/{job.pk}/").content.decode()
    assert f'hx-get="/imports/{job.pk}/status/"' in content and 'hx-trigger="every 1s"' in content
    partial = client.get(f"/imports/{job.pk}/status/").content.decode()
    assert '<progress value="25" max="100">' in partial and "<html" not in partial


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"kind": "ged", "mission": "UNAMSIL"}, "mission"),
        ({"kind": "boundaries"}, "file"),
        ({"kind": "nonsense"}, "kind"),
    ],
)
def test_bad_form_input_gives_field_errors(client_for, users, fields, field):
    client = client_for(users["administrator"])
    file = SimpleUploadedFile("cm.csv", CONFLICT_MONTHS.read_bytes())
    response = client.post("/imports/", {"file": file, **fields})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_missing_file_is_a_field_error(client_for, users):
    response = client_for(users["analyst"]).post("/imports/", {"kind": "ged"})
    assert response.status_code == 400 and "file" in response.context["form"].errors


@pytest.mark.parametrize("role", ["partner", "reporter", "outsider"])
def test_others_get_403(client_for, users, role):
    client = client_for(users[role])
    job = ImportJob.objects.create(kind="ged", file_name="ged.csv")
    assert client.get("/imports/").status_code == 403
    assert client.get(f"/imports/{job.pk}/").status_code == 403
    assert client.get(f"/imports/{job.pk}/status/").status_code == 403
    assert upload(client, CONFLICT_MONTHS, "conflict-months").status_code == 403
    assert ImportJob.objects.count() == 1


def test_anonymous_is_sent_to_login(client, db):
    assert client.get("/imports/").status_code == 302


def test_analysts_follow_their_own_jobs_and_administrators_their_missions(client_for, users, own_months):
    upload(client_for(users["analyst"]), own_months, "conflict-months")
    job = ImportJob.objects.get()
    colleague = make_user("second-analyst", users["analyst"].memberships.get().mission, "analyst")

    client = client_for(colleague)
    assert client.get(f"/imports/{job.pk}/").status_code == 404
    assert CONFLICT_MONTHS.name not in client.get("/imports/").content.decode()

    client = client_for(users["administrator"])
    assert client.get(f"/imports/{job.pk}/").status_code == 200
    assert CONFLICT_MONTHS.name in client.get("/imports/").content.decode()
