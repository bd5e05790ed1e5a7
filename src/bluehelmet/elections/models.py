"""Elections records: elections and rounds, polling centres and stations, station risk,
security plans, electoral officials' training, voter education, observers' checklists and
reports, election-day incidents (links into the incidents area), and station results."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.models import Mission, Organization, Place, Sharing


class Election(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("General (presidential and parliamentary)")
        PRESIDENTIAL = "presidential", _("Presidential")
        PARLIAMENTARY = "parliamentary", _("Parliamentary")
        LOCAL = "local", _("Local")
        REFERENDUM = "referendum", _("Referendum")

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="elections", verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.GENERAL)
    description = models.TextField(_("description"), blank=True)
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)

    class Meta:
        ordering = ["mission", "name"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("election"))
    number = models.PositiveSmallIntegerField(_("round"), default=1)
    date = models.DateField(_("polling day"))
    label = models.CharField(_("label"), max_length=100, blank=True)

    class Meta:
        ordering = ["election", "number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="election_round_number")]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self) -> str:
        return f"{self.election} · {self.label or self.number}"


class PollingCentre(models.Model):
    class Access(models.TextChoices):
        ROAD = "road", _("All-weather road")
        SEASONAL = "seasonal", _("Seasonal road (rains cut it)")
        DIFFICULT = "difficult", _("Difficult: track, river crossing")
        FOOT = "foot", _("On foot or by air only")

    # Access as a risk component: how hard it is to reach and reinforce the centre.
    ACCESS_RISK = {Access.ROAD: 0.0, Access.SEASONAL: 1 / 3, Access.DIFFICULT: 2 / 3, Access.FOOT: 1.0}

    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="polling_centres", verbose_name=_("mission")
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="polling_centres", verbose_name=_("admin area")
    )
    latitude = models.FloatField(_("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(_("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    access = models.CharField(_("access"), max_length=10, choices=Access.choices, default=Access.ROAD)
    exercise = models.BooleanField(_("exercise record"), default=False)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["mission", "code"], name="polling_centre_code")]
        verbose_name = _("polling centre")
        verbose_name_plural = _("polling centres")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PollingStation(models.Model):
    centre = models.ForeignKey(
        PollingCentre, on_delete=models.CASCADE, related_name="stations", verbose_name=_("polling centre")
    )
    code = models.CharField(
        _("code"), max_length=40, help_text=_("unique in the mission; results files name stations by it")
    )
    registered_voters = models.PositiveIntegerField(_("registered voters"))
    accessible = models.BooleanField(_("accessible to voters with disabilities"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("polling station")
        verbose_name_plural = _("polling stations")

    def __str__(self) -> str:
        return self.code


class StationRisk(models.Model):
    """A station's risk for a round, with its components (each 0-1, empty when not known)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="station_risks", verbose_name=_("round"))
    station = models.ForeignKey(
        PollingStation, on_delete=models.CASCADE, related_name="risks", verbose_name=_("polling station")
    )
    score = models.FloatField(_("risk score"))
    incidents = models.FloatField(_("incident history"), null=True, blank=True)
    events = models.FloatField(_("conflict events (UCDP GED)"), null=True, blank=True)
    early_warning = models.FloatField(_("early-warning risk"), null=True, blank=True)
    access = models.FloatField(_("access"), null=True, blank=True)
    detail = models.JSONField(default=dict, help_text=_("counts behind the components"), verbose_name=_("detail"))
    computed_at = models.DateTimeField(auto_now=True, verbose_name=_("computed at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "station"], name="station_risk_once")]
        verbose_name = _("station risk")
        verbose_name_plural = _("station risks")


class SecurityPlan(models.Model):
    class Status(models.TextChoices):
        OPTIMAL = "optimal", _("Optimal")
        FEASIBLE = "feasible", _("Feasible (time limit)")
        INFEASIBLE = "infeasible", _("No plan meets the rules")
        FAILED = "failed", _("Failed")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="security_plans", verbose_name=_("round"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    parameters = models.JSONField(_("parameters"), default=dict)
    posture_day = models.DateField(_("posture on"), null=True, blank=True)
    share_covered = models.FloatField(_("share of risk covered"), null=True, blank=True)
    posture_share = models.FloatField(_("share covered where units are"), null=True, blank=True)
    mip_gap = models.FloatField(_("MIP gap"), null=True, blank=True)
    seconds = models.FloatField(_("solve time (s)"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict)
    problems = models.JSONField(_("rules that cannot be met"), default=list)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("security plan")
        verbose_name_plural = _("security plans")

    def __str__(self) -> str:
        return f"{self.round} {self.created_at:%Y-%m-%d %H:%M}"


class SecurityAssignment(models.Model):
    plan = models.ForeignKey(
        SecurityPlan, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("security plan")
    )
    station = models.ForeignKey(
        PollingStation, on_delete=models.CASCADE, related_name="+", verbose_name=_("polling station")
    )
    unit = models.ForeignKey("forces.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    base = models.ForeignKey("forces.Base", on_delete=models.CASCADE, related_name="+", verbose_name=_("base"))

    class Meta:
        verbose_name = _("unit assigned to a station")
        verbose_name_plural = _("units assigned to stations")


class OfficialTraining(models.Model):
    class Course(models.TextChoices):
        PRESIDING = "presiding", _("Presiding officers")
        POLLING = "polling", _("Polling staff")
        COUNTING = "counting", _("Counting and tally")
        SECURITY = "security", _("Election security (police)")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("election")
    )
    course = models.CharField(_("course"), max_length=12, choices=Course.choices)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    date = models.DateField(_("date"))
    trainer = models.CharField(_("trainer or organisation"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants"))
    women = models.PositiveIntegerField(_("of whom women"), default=0)

    class Meta:
        ordering = ["date"]
        verbose_name = _("training of electoral officials")
        verbose_name_plural = _("trainings of electoral officials")


class VoterEducationEvent(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Community meeting")
        RADIO = "radio", _("Radio programme")
        SCHOOL = "school", _("School or youth session")
        DRAMA = "drama", _("Drama or outreach team")
        PRINT = "print", _("Posters and leaflets")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="education_events", verbose_name=_("election")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    date = models.DateField(_("date"))
    organiser = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("organiser")
    )
    audience = models.PositiveIntegerField(_("people reached (estimate)"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("voter-education event")
        verbose_name_plural = _("voter-education events")


class Phase(models.TextChoices):
    OPENING = "opening", _("Opening")
    VOTING = "voting", _("Voting")
    COUNTING = "counting", _("Counting")


class ChecklistQuestion(models.Model):
    """A question of an election's observer checklist. An answer other than `expected`
    (yes/no questions) marks a problem on the dashboard."""

    class Answer(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no")
        NUMBER = "number", _("Number")
        TEXT = "text", _("Text")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="questions", verbose_name=_("election")
    )
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300)
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices, default=Answer.YES_NO)
    expected = models.BooleanField(
        _("expected answer"), null=True, blank=True, help_text=_("yes/no questions: the answer of a proper process")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["phase", "order", "pk"]
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")

    def __str__(self) -> str:
        return self.text


class ObserverDeployment(models.Model):
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="observer_deployments", verbose_name=_("round")
    )
    station = models.ForeignKey(
        PollingStation, on_delete=models.CASCADE, related_name="observer_deployments", verbose_name=_("station")
    )
    team = models.CharField(_("team"), max_length=100)
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("observer account"),
    )

    class Meta:
        ordering = ["team", "station__code"]
        verbose_name = _("observer deployment")
        verbose_name_plural = _("observer deployments")

    def __str__(self) -> str:
        return f"{self.team} @ {self.station}"


class ObserverReport(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="observer_reports", verbose_name=_("round"))
    station = models.ForeignKey(
        PollingStation, on_delete=models.CASCADE, related_name="observer_reports", verbose_name=_("station")
    )
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)
    team = models.CharField(_("team"), max_length=100, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    problems = models.PositiveSmallIntegerField(_("answers flagged"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("observer report")
        verbose_name_plural = _("observer reports")

    def __str__(self) -> str:
        return f"{self.station} {self.get_phase_display()}"


class ObserverAnswer(models.Model):
    report = models.ForeignKey(
        ObserverReport, on_delete=models.CASCADE, related_name="answers", verbose_name=_("observer report")
    )
    question = models.ForeignKey(
        ChecklistQuestion, on_delete=models.PROTECT, related_name="answers", verbose_name=_("checklist question")
    )
    value = models.CharField(_("answer"), max_length=300)
    flagged = models.BooleanField(default=False, verbose_name=_("flagged"))

    class Meta:
        ordering = ["question__order", "pk"]
        verbose_name = _("observer answer")
        verbose_name_plural = _("observer answers")


class ElectionIncident(models.Model):
    """The election tag on an incident of the incidents area."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="incident_links", verbose_name=_("round"))
    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.CASCADE, related_name="election_link", verbose_name=_("incident")
    )
    station = models.ForeignKey(
        PollingStation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("station")
    )

    class Meta:
        verbose_name = _("election incident")
        verbose_name_plural = _("election incidents")


class Candidate(models.Model):
    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("election")
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("as the results file's column heading"))

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["election", "name"], name="candidate_name")]
        verbose_name = _("candidate or list")
        verbose_name_plural = _("candidates or lists")

    def __str__(self) -> str:
        return self.name


class StationResult(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results", verbose_name=_("round"))
    station = models.ForeignKey(
        PollingStation, on_delete=models.CASCADE, related_name="results", verbose_name=_("station")
    )
    registered_voters = models.PositiveIntegerField(_("registered voters (results sheet)"))
    ballots_cast = models.PositiveIntegerField(_("ballots cast"))
    valid_votes = models.PositiveIntegerField(_("valid votes"))
    invalid_votes = models.PositiveIntegerField(_("invalid votes"))
    flags = models.JSONField(_("flags"), default=list, help_text=_("what cannot be right, for review"))
    imported_from = models.CharField(_("file"), max_length=255, blank=True)

    class Meta:
        ordering = ["station__code"]
        constraints = [models.UniqueConstraint(fields=["round", "station"], name="station_result_once")]
        verbose_name = _("station result")
        verbose_name_plural = _("station results")


class CandidateVotes(models.Model):
    result = models.ForeignKey(
        StationResult, on_delete=models.CASCADE, related_name="votes", verbose_name=_("station result")
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="votes", verbose_name=_("candidate")
    )
    votes = models.PositiveIntegerField(_("votes"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["result", "candidate"], name="candidate_votes_once")]
        verbose_name = _("votes for a candidate")
        verbose_name_plural = _("votes for candidates")
