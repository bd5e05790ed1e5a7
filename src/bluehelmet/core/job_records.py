"""What every background job keeps about itself, and how a job task runs one.

The rules:
- A job record (an import, a forecast run, an allocation plan, a report) inherits
  `JobRecord`: its status, when it was asked for (`created`), started and finished, why it
  failed (`error`), and who started it (`actor`, with `actor_label` naming them even when
  the account is gone or the job came from the command line). One status box
  (core/_job_status.html, core.job_views) shows all of them.
- Who started it: the signed-in user of a page or API call; for a command, the user named
  by `bluehelmet --actor USERNAME` (BLUEHELMET_ACTOR), else "command:<OS user>", labelled
  as a command (`job_actor`).
- `run_job` runs a job task under the job's lock (bluehelmet.jobs.job_lock): a finished
  record is left alone, one a live process runs is left to it; otherwise the record is
  marked running with its start time and the work runs as the job's actor, so the change
  history names the person who started it, not the worker's OS user.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bluehelmet.jobs import forget_job_lock, job_lock

from .history import acting_for, command_actor_label, named_actor

COMMAND_PREFIX = "command:"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class JobRecord(models.Model):
    """The state of one background job. A kind whose outcomes have other names (an
    allocation plan is optimal, feasible or infeasible) redeclares `Status`, `status` and
    `FINISHED`; "queued", "running" and "failed" mean the same for every kind."""

    Status = JobStatus
    # The statuses a job ends in (a finished job is never run again).
    FINISHED: tuple[str, ...] = (JobStatus.SUCCEEDED, JobStatus.FAILED)

    status = models.CharField(
        _("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    created = models.DateTimeField(_("requested"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("reason for failure"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    actor_label = models.CharField(
        _("started by (name)"),
        max_length=254,
        blank=True,
        help_text=_("the user name, or command:<system user> for a command run without --actor"),
    )

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def is_pending(self) -> bool:
        """Queued or running: its status page keeps asking."""
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def actor_name(self) -> str:
        """Who started the job, for people: the user name, "command line (system user X)",
        or "" when nobody is known (a job from before actors were recorded)."""
        if self.actor_id is not None and self.actor is not None:
            return self.actor.get_username()
        if self.actor_label.startswith(COMMAND_PREFIX):
            return gettext("command line (system user %(user)s)") % {"user": self.actor_label[len(COMMAND_PREFIX) :]}
        return self.actor_label


def job_actor(user=None) -> dict:
    """The `actor` and `actor_label` of a job started by `user`: a signed-in user; else (a
    command, a script) the user named by --actor / BLUEHELMET_ACTOR; else the OS user,
    labelled "command:<name>"."""
    if user is None or not getattr(user, "is_authenticated", False):
        user = named_actor()
    if user is not None:
        return {"actor": user, "actor_label": user.get_username()[:254]}
    return {"actor": None, "actor_label": command_actor_label()}


def run_job(model: type[JobRecord], kind: str, pk: int, work) -> str:
    """Run `work(record)` for the job `pk` of `model` (kind `kind`, as registered with
    bluehelmet.jobs) under its lock, as its actor; returns the record's final status. `work`
    records the outcome (and must never leave the record running)."""
    with job_lock(kind, pk) as mine:
        status = model.objects.values_list("status", flat=True).get(pk=pk)
        if not mine or status in model.FINISHED:
            return status
        model.objects.filter(pk=pk).update(status=JobStatus.RUNNING, started=timezone.now())
        record = model.objects.select_related("actor").get(pk=pk)
        with acting_for(record.actor, record.actor_label):
            work(record)
        status = model.objects.values_list("status", flat=True).get(pk=pk)
    forget_job_lock(kind, pk)
    return status
