"""Every background job keeps one record (core.job_records.JobRecord), runs under its lock as
the person who started it, is under stale-job recovery, and shows one status box
(core/_job_status.html through core.job_views) on its page."""

import datetime
import importlib

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from bluehelmet import jobs
from bluehelmet.core.job_records import JobRecord, job_actor
from bluehelmet.core.models import Role
from bluehelmet.earlywarning.models import ForecastRun
from bluehelmet.earlywarning.runs import create_run
from bluehelmet.earlywarning.tasks import run_forecast_job
from bluehelmet.forces.models import AllocationPlan
from bluehelmet.forces.planning import PlanParameters, queue_plan
from bluehelmet.forces.tasks import run_allocation_plan
from bluehelmet.importers.models import ImportJob
from bluehelmet.importers.tasks import run_import_job
from bluehelmet.performance.models import Report
from bluehelmet.performance.tasks import generate_report

LONG_AGO = datetime.timedelta(hours=5)


def test_every_job_record_is_a_registered_job_kind():
    """The four kinds of job share the abstract record, and each is under stale-job recovery
    (performance.Report included)."""
    registered = {kind.model_class() for kind in jobs.job_kinds()}
    records = {model for model in apps.get_models() if issubclass(model, JobRecord)}
    assert registered == records == {ImportJob, ForecastRun, AllocationPlan, Report}
    for model in records:
        names = {field.name for field in model._meta.get_fields()}
        assert {"status", "created", "started", "finished", "error", "actor", "actor_label"} <= names


# --- One job of each kind, and where its status box is -------------------------------------


def _import(mission, user, kind="conflict-months"):
    return ImportJob.objects.create(
        kind=kind, file_name="cm.csv", summary={"options": {"mission": mission.acronym}}, **job_actor(user)
    )


KINDS = {
    # kind: (make the record, its status URL, the box's element id)
    "import": (
        lambda mission, user: _import(mission, user),
        lambda mission, job: reverse("importers:job-status", args=[job.pk]),
        "job-status",
    ),
    "humanitarian import": (
        lambda mission, user: _import(mission, user, kind="humanitarian-3w"),
        lambda mission, job: reverse("humanitarian:import-job-status", args=[mission.acronym, job.pk]),
        "job-status",
    ),
    "forecast": (
        lambda mission, user: ForecastRun.objects.create(mission=mission, model_name="lightgbm", **job_actor(user)),
        lambda mission, job: reverse("earlywarning:run-status", args=[mission.acronym, job.pk]),
        "run-status",
    ),
    "allocation": (
        lambda mission, user: AllocationPlan.objects.create(mission=mission, **job_actor(user)),
        lambda mission, job: reverse("forces:plan-status", args=[mission.acronym, job.pk]),
        "plan-run",
    ),
    "report": (
        lambda mission, user: Report.objects.create(mission=mission, **job_actor(user)),
        lambda mission, job: reverse("performance:report", args=[mission.acronym, job.pk]),
        "report-status",
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_the_status_box_polls_while_the_job_runs_then_says_how_it_ended(kind, client_for, users, mission):
    make, url_of, box_id = KINDS[kind]
    analyst = users[Role.ANALYST]
    job = make(mission, analyst)
    url = url_of(mission, job)
    client = client_for(analyst)

    queued = client.get(url, HTTP_HX_REQUEST="true")
    body = queued.content.decode()
    assert queued.status_code == 200, body
    assert f'id="{box_id}"' in body and 'data-status="queued"' in body
    assert f'hx-get="{url}"' in body  # it asks again while the job waits
    assert '<dd class="job-actor">analyst</dd>' in body and 'class="job-created"' in body
    assert 'class="job-finished"' not in body

    started, finished = timezone.now() - datetime.timedelta(minutes=3), timezone.now()
    type(job).objects.filter(pk=job.pk).update(
        status="failed", error="<b>the disk is full</b>", started=started, finished=finished
    )
    failed = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="failed"' in failed and "hx-get" not in failed  # done: no more polling
    assert "&lt;b&gt;the disk is full&lt;/b&gt;" in failed and "<b>the disk" not in failed
    assert 'class="job-started"' in failed and 'class="job-finished"' in failed


@pytest.mark.parametrize("kind", KINDS)
def test_a_job_status_is_not_shown_to_who_may_not_see_the_job(kind, client_for, users, mission):
    make, url_of, _box = KINDS[kind]
    job = make(mission, users[Role.ANALYST])
    outsider = client_for(users["outsider"]).get(url_of(mission, job), HTTP_HX_REQUEST="true")
    assert outsider.status_code in (403, 404)


def test_a_finished_forecast_reloads_its_page_to_show_its_scores(client_for, users, mission):
    run = ForecastRun.objects.create(mission=mission, model_name="lightgbm", status="failed", error="no data")
    response = client_for(users[Role.ANALYST]).get(reverse("earlywarning:run-status", args=[mission.acronym, run.pk]))
    assert response["HX-Refresh"] == "true" and "no data" in response.content.decode()


def test_an_import_that_stopped_says_why_not_that_the_file_has_errors(client_for, users, mission):
    analyst = users[Role.ANALYST]
    job = _import(mission, analyst)
    ImportJob.objects.filter(pk=job.pk).update(status="failed", error="the import stopped unexpectedly: disk full")
    body = client_for(analyst).get(reverse("importers:job-status", args=[job.pk])).content.decode()
    assert "the import stopped unexpectedly: disk full" in body and "Nothing was imported" not in body


def test_the_pages_of_a_job_include_the_same_box(client_for, users, mission):
    analyst = users[Role.ANALYST]
    client = client_for(analyst)
    job = _import(mission, analyst)
    page = client.get(reverse("importers:job", args=[job.pk])).content.decode()
    assert 'id="job-status"' in page and 'class="job-status job-status-queued"' in page
    report = Report.objects.create(mission=mission, **job_actor(analyst))
    page = client.get(reverse("performance:report", args=[mission.acronym, report.pk])).content.decode()
    assert 'id="report-status"' in page and "<html" in page and '<dd class="job-actor">analyst</dd>' in page


# --- Who started it -------------------------------------------------------------------------


def test_the_actor_of_a_page_is_the_signed_in_user(users, mission, monkeypatch):
    monkeypatch.setattr("bluehelmet.jobs.submit", lambda task, *args: None)
    plan = queue_plan(users[Role.ANALYST], mission, PlanParameters())
    assert plan.actor == users[Role.ANALYST] and plan.actor_label == "analyst" and plan.actor_name == "analyst"


def test_a_command_names_the_actor_given_with_actor_else_its_system_user(users, mission, monkeypatch):
    monkeypatch.delenv("BLUEHELMET_ACTOR", raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: "ops")
    run = create_run(mission)  # `bluehelmet forecast` without --user
    assert run.actor is None and run.actor_label == "command:ops"
    assert run.actor_name == "command line (system user ops)"
    monkeypatch.setenv("BLUEHELMET_ACTOR", "analyst")  # bluehelmet --actor analyst forecast ...
    run = create_run(mission)
    assert run.actor == users[Role.ANALYST] and run.actor_label == "analyst"


def test_the_name_outlives_the_account(users, mission):
    report = Report.objects.create(mission=mission, **job_actor(users[Role.ANALYST]))
    users[Role.ANALYST].delete()
    report.refresh_from_db()
    assert report.actor is None and report.actor_name == "analyst"


def test_what_a_job_changes_is_the_history_of_who_started_it(users, mission):
    """Run by a worker (no request), a job's changes are not "command:<OS user>"'s."""
    plan = AllocationPlan.objects.create(mission=mission, **job_actor(users[Role.ANALYST]))
    assert run_allocation_plan(plan.pk) == AllocationPlan.Status.FAILED  # nothing to plan in this mission
    entry = LogEntry.objects.get_for_object(plan).order_by("-pk").first()
    assert entry.actor == users[Role.ANALYST]
    by_command = AllocationPlan.objects.create(mission=mission, actor_label="command:ops")
    run_allocation_plan(by_command.pk)
    entry = LogEntry.objects.get_for_object(by_command).order_by("-pk").first()
    assert entry.actor is None and entry.actor_email == "command:ops"


# --- Under the lock, and recovered when their runner dies ----------------------------------

TASKS = {
    "import": (lambda mission: _import(mission, None), run_import_job),
    "forecast": (lambda mission: ForecastRun.objects.create(mission=mission, model_name="lightgbm"), run_forecast_job),
    "allocation": (lambda mission: AllocationPlan.objects.create(mission=mission), run_allocation_plan),
    "report": (lambda mission: Report.objects.create(mission=mission), generate_report),
}


@pytest.mark.parametrize("kind", TASKS)
def test_every_job_task_gives_way_to_a_live_runner_and_leaves_a_finished_job(kind, mission):
    make, task = TASKS[kind]
    job = make(mission)
    with jobs.job_lock(kind, job.pk) as mine:  # another delivery of the job is running it
        assert mine and task(job.pk) == "queued"
    type(job).objects.filter(pk=job.pk).update(status="failed", error="stopped")
    assert task(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == "stopped" and job.started is None  # not run again


@pytest.mark.parametrize("kind", TASKS)
def test_a_job_left_running_by_a_dead_runner_is_closed(kind, mission, settings):
    settings.CELERY_BROKER_URL = ""
    make, _task = TASKS[kind]
    job = make(mission)
    # Marked running before its runner stamped `started`: dated by when it was asked for.
    type(job).objects.filter(pk=job.pk).update(status="running", created=timezone.now() - LONG_AGO)
    assert [(k, pk) for k, pk, _reason in jobs.recover_stale_jobs()] == [(kind, job.pk)]
    job.refresh_from_db()
    assert job.status == "failed" and "restarted" in job.error and job.finished is not None


# --- The migrations that made the records ---------------------------------------------------

MIGRATIONS = {
    ImportJob: "bluehelmet.importers.migrations.0004_importjob_job_record",
    ForecastRun: "bluehelmet.earlywarning.migrations.0003_forecastrun_job_record",
    AllocationPlan: "bluehelmet.forces.migrations.0006_allocationplan_job_record",
    Report: "bluehelmet.performance.migrations.0005_report_job_record",
}


@pytest.mark.parametrize("model", MIGRATIONS, ids=lambda model: model.__name__)
def test_the_migration_names_old_jobs_actors_and_dates_running_ones(model, users, mission):
    make = {
        ImportJob: lambda **f: ImportJob.objects.create(kind="ged", file_name="g.csv", **f),
        ForecastRun: lambda **f: ForecastRun.objects.create(mission=mission, model_name="lightgbm", **f),
        AllocationPlan: lambda **f: AllocationPlan.objects.create(mission=mission, **f),
        Report: lambda **f: Report.objects.create(mission=mission, **f),
    }[model]
    old = make(actor=users[Role.ANALYST], status="running")  # as the rename left them: no label, no start
    nobody = make(status="succeeded")
    importlib.import_module(MIGRATIONS[model]).fill_job_fields(apps, None)
    old.refresh_from_db()
    nobody.refresh_from_db()
    assert old.actor_label == "analyst" and old.started == old.created
    assert nobody.actor_label == "" and nobody.started is None
