"""Jobs survive their runner: redelivery settings, a second delivery is harmless, a job whose
runner died is found and closed with a reason."""

import datetime
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

import bluehelmet
from bluehelmet import jobs
from bluehelmet.celery import app
from bluehelmet.datasets.models import ConflictMonth
from bluehelmet.earlywarning.models import ForecastRun
from bluehelmet.forces.models import AllocationPlan
from bluehelmet.importers.models import ImportJob
from bluehelmet.importers.tasks import run_import_job
from bluehelmet.performance.models import Report

CONFLICT_MONTHS = Path(bluehelmet.__file__).parent / "data/cases/sierra_leone_conflict_month_1991_2002.csv"
LONG_AGO = datetime.timedelta(hours=5)


def test_a_killed_workers_jobs_go_back_to_the_broker():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    options = app.conf.broker_transport_options
    # Longer than a job may run (or a running job is handed out again), and checked often.
    assert options["visibility_timeout"] >= 3600 and options["unacked_restore_throttle"] == 1
    from bluehelmet.earlywarning.tasks import run_forecast_job
    from bluehelmet.forces.tasks import run_allocation_plan
    from bluehelmet.performance.tasks import generate_report

    for task in (run_import_job, run_forecast_job, run_allocation_plan, generate_report):
        assert task.autoretry_for == jobs.DATABASE_UNAVAILABLE and task.max_retries >= 5


def import_job(**fields) -> ImportJob:
    return ImportJob.objects.create(
        kind="conflict-months", file_name="cm.csv", stored_path=str(CONFLICT_MONTHS), **fields
    )


def age(job, by=LONG_AGO):
    """Asked for and started `by` ago (every job record dates its run by `started`, else
    `created`)."""
    type(job).objects.filter(pk=job.pk).update(created=timezone.now() - by, started=timezone.now() - by)


@pytest.mark.django_db
def test_a_redelivered_job_whose_runner_died_runs_to_the_end():
    job = import_job(status=ImportJob.Status.RUNNING)  # a worker took it, then died
    assert run_import_job.apply(args=[job.pk]).get() == ImportJob.Status.SUCCEEDED
    assert ConflictMonth.objects.count() == 144


@pytest.mark.django_db
def test_a_finished_job_delivered_again_is_left_alone(monkeypatch):
    job = import_job()
    assert run_import_job.apply(args=[job.pk]).get() == ImportJob.Status.SUCCEEDED
    finished = ImportJob.objects.get(pk=job.pk).finished
    monkeypatch.setattr("bluehelmet.importers.tasks.run_import", lambda *a, **k: pytest.fail("imported twice"))
    assert run_import_job.apply(args=[job.pk]).get() == ImportJob.Status.SUCCEEDED
    assert ImportJob.objects.get(pk=job.pk).finished == finished


@pytest.mark.django_db
def test_a_second_delivery_gives_way_to_a_live_runner(monkeypatch):
    job = import_job(status=ImportJob.Status.RUNNING)
    monkeypatch.setattr("bluehelmet.importers.tasks.run_import", lambda *a, **k: pytest.fail("run twice at once"))
    with jobs.job_lock("import", job.pk) as mine:  # the first delivery, still running
        assert mine
        assert run_import_job.apply(args=[job.pk]).get() == ImportJob.Status.RUNNING


@pytest.mark.django_db
def test_a_database_outage_is_retried_not_recorded_as_a_failure(monkeypatch):
    from django.db import OperationalError

    job = import_job()
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("the database system is starting up")
        from bluehelmet.importers.registry import run_import

        return run_import(*args, **kwargs)

    monkeypatch.setattr("bluehelmet.importers.tasks.run_import", flaky)
    assert run_import_job.apply(args=[job.pk]).get() == ImportJob.Status.SUCCEEDED
    assert len(calls) == 2 and ImportJob.objects.get(pk=job.pk).errors == []


def test_the_lock_dies_with_its_process(tmp_path, settings):
    """A runner killed with SIGKILL leaves no lock behind: the next delivery may take over."""
    code = (
        "import sys, time, django; django.setup()\n"
        "from django.conf import settings; settings.JOB_LOCK_DIR = sys.argv[1]\n"  # this test's locks
        "from bluehelmet.jobs import job_lock\n"
        "with job_lock('import', 7) as mine:\n"
        "    print(mine, flush=True); time.sleep(60)\n"
    )
    env = {**os.environ, "BLUEHELMET_HOME": str(settings.HOME), "DJANGO_SETTINGS_MODULE": "bluehelmet.settings"}
    runner = subprocess.Popen(
        [sys.executable, "-c", code, str(settings.JOB_LOCK_DIR)], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert runner.stdout.readline().strip() == "True"
        assert jobs.runner_alive("import", 7)
        with jobs.job_lock("import", 7) as mine:
            assert not mine
    finally:
        runner.send_signal(signal.SIGKILL)
        runner.wait(timeout=10)
    assert not jobs.runner_alive("import", 7)
    with jobs.job_lock("import", 7) as mine:
        assert mine


@pytest.fixture
def stale_jobs(mission, users):
    """One job of each kind left "running" long ago, with nobody running it."""
    made = [
        import_job(status=ImportJob.Status.RUNNING),
        ForecastRun.objects.create(
            mission=mission, model_name="lightgbm", status=ForecastRun.Status.RUNNING, started=timezone.now()
        ),
        AllocationPlan.objects.create(mission=mission, status=AllocationPlan.Status.RUNNING),
        Report.objects.create(mission=mission, status=Report.Status.RUNNING),
    ]
    for job in made:
        age(job)
    return made


def statuses(made):
    return [type(job).objects.get(pk=job.pk).status for job in made]


def test_in_process_jobs_of_a_dead_server_are_closed_with_a_reason(settings, stale_jobs):
    settings.CELERY_BROKER_URL = ""
    recovered = jobs.recover_stale_jobs()
    assert sorted(kind for kind, _pk, _reason in recovered) == ["allocation", "forecast", "import", "report"]
    assert statuses(stale_jobs) == ["failed", "failed", "failed", "failed"]
    imported, run, plan, report = (type(j).objects.get(pk=j.pk) for j in stale_jobs)
    for job in (imported, run, plan, report):
        assert "restarted" in job.error and job.finished is not None
    assert jobs.recover_stale_jobs() == []  # nothing left to do


def test_a_job_with_a_live_runner_or_just_started_is_left_running(settings, stale_jobs):
    settings.CELERY_BROKER_URL = ""
    fresh = import_job(status=ImportJob.Status.RUNNING)  # within the start-up grace
    with jobs.job_lock("forecast", stale_jobs[1].pk):
        recovered = jobs.recover_stale_jobs()
    assert {kind for kind, _pk, _reason in recovered} == {"import", "allocation", "report"}
    assert ForecastRun.objects.get(pk=stale_jobs[1].pk).status == "running"
    assert ImportJob.objects.get(pk=fresh.pk).status == "running"


def test_with_celery_only_jobs_past_the_timeout_are_closed(settings, stale_jobs):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    settings.BLUEHELMET_JOB_TIMEOUT = 6 * 3600  # longer than they have been running
    assert jobs.recover_stale_jobs() == []  # the broker redelivers them if their worker died
    settings.BLUEHELMET_JOB_TIMEOUT = 3600
    assert len(jobs.recover_stale_jobs()) == 4
    run = ForecastRun.objects.get(pk=stale_jobs[1].pk)
    assert run.status == "failed" and "60 minutes" in run.error


def test_the_first_request_of_a_web_process_recovers_stale_jobs(settings, stale_jobs, client_for, users):
    settings.CELERY_BROKER_URL = ""
    client_for(users["analyst"]).get("/")
    assert statuses(stale_jobs) == ["failed", "failed", "failed", "failed"]


def test_every_kind_of_job_is_under_recovery():
    """Each app registers its job kinds (bluehelmet.jobs.register_job_kind): every model with
    a "running" status that a job task moves is among them, reports included."""
    assert {job.kind: job.model for job in jobs.job_kinds()} == {
        "import": "importers.ImportJob",
        "forecast": "earlywarning.ForecastRun",
        "allocation": "forces.AllocationPlan",
        "report": "performance.Report",
    }


def test_a_job_kind_cannot_be_registered_twice_under_one_name():
    taken = jobs.job_kinds()[0]
    with pytest.raises(ValueError, match="already registered"):
        jobs.register_job_kind(jobs.JobKind(taken.kind, "core.Mission", "running", "failed", "created", dict))
    jobs.register_job_kind(taken)  # the same kind again is harmless
    assert jobs.job_kinds().count(taken) == 1


@pytest.mark.django_db
def test_a_report_delivered_again_after_it_finished_is_left_alone(mission, monkeypatch):
    from bluehelmet.performance import tasks

    report = Report.objects.create(mission=mission, status=Report.Status.SUCCEEDED)
    monkeypatch.setattr(tasks, "write_report_files", lambda report: pytest.fail("written again"))
    assert tasks.generate_report.apply(args=[report.pk]).get() == Report.Status.SUCCEEDED
