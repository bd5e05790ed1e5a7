"""Performance and impact: the results framework, effect estimates, reports, lessons learned.

Results framework: Objective > Outcome > Output > Indicator; an indicator has one
Measurement per period (computed by a formula from the data, or entered by hand with
evidence) and written Assessments. Every record hangs from a mission, so core.access's
mission_scope scopes them through the chain.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.job_records import JobRecord
from bluehelmet.core.models import Mission, Sharing

# Paths from each model to its mission, for core.access.mission_scope.
INDICATOR_MISSION = "output__outcome__objective__mission"
MEASUREMENT_MISSION = f"indicator__{INDICATOR_MISSION}"


class FrameworkLevel(models.Model):
    """What objectives, outcomes and outputs share: a code, a title, and a place in order."""

    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Objective(FrameworkLevel):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("mission"))

    class Meta:
        ordering = ["mission", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["mission", "code"], name="one_objective_code_per_mission")]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")


class Outcome(FrameworkLevel):
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("objective")
    )

    class Meta:
        ordering = ["objective", "order", "code"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")


class Output(FrameworkLevel):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("outcome"))

    class Meta:
        ordering = ["outcome", "order", "code"]
        verbose_name = _("output")
        verbose_name_plural = _("outputs")


class Indicator(models.Model):
    class Direction(models.TextChoices):
        DECREASE = "decrease", _("Lower is better")
        INCREASE = "increase", _("Higher is better")

    class Frequency(models.TextChoices):
        MONTH = "month", _("Monthly")
        QUARTER = "quarter", _("Quarterly")
        YEAR = "year", _("Yearly")

    class Method(models.TextChoices):
        FORMULA = "formula", _("Computed from the data")
        MANUAL = "manual", _("Entered by hand, with evidence")

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("output"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True, help_text=_("e.g. deaths, %, sites"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.DECREASE)
    frequency = models.CharField(_("period"), max_length=10, choices=Frequency.choices, default=Frequency.MONTH)
    start = models.DateField(_("first period"), help_text=_("values are computed from this period on"))
    end = models.DateField(_("last period"), null=True, blank=True, help_text=_("empty: up to the current period"))
    baseline = models.FloatField(_("baseline"), null=True, blank=True)
    baseline_note = models.CharField(_("baseline source"), max_length=300, blank=True)
    target = models.FloatField(_("target"), null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.FORMULA)
    formula = models.CharField(
        _("formula"), max_length=60, blank=True, help_text=_("a named formula from the registry")
    )
    formula_options = models.JSONField(_("formula options"), default=dict, blank=True)
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)
    computed_at = models.DateTimeField(_("last computed"), null=True, blank=True)

    class Meta:
        ordering = ["output", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def mission(self) -> Mission:
        return self.output.outcome.objective.mission


class Measurement(models.Model):
    """The indicator's value for one period. `value` None means no data, and
    `no_data_reason` says why: never a zero standing in for unknown."""

    class Source(models.TextChoices):
        COMPUTED = "computed", _("Computed")
        MANUAL = "manual", _("Entered by hand")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("indicator")
    )
    period = models.DateField(_("period"), help_text=_("first day of the period"))
    value = models.FloatField(_("value"), null=True, blank=True)
    no_data_reason = models.CharField(_("reason for no data"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.COMPUTED)
    evidence = models.FileField(_("evidence"), upload_to="performance/evidence/%Y/%m/", blank=True)
    evidence_note = models.CharField(_("evidence note"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="one_measurement_per_period")]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period:%Y-%m}: {self.value if self.value is not None else 'no data'}"


class Assessment(models.Model):
    """A written judgement on an indicator: what the figures mean, why, what to do."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("indicator")
    )
    period = models.DateField(_("period"), null=True, blank=True)
    text = models.TextField(_("assessment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["indicator", "-created"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.created:%Y-%m-%d}"


class EffectEstimate(models.Model):
    """A stored effect analysis of one mission: the pure result (analytics.effects, as a
    dict) or the reason it could not be estimated, and its figure."""

    class Kind(models.TextChoices):
        CONFLICT_MONTHS = "conflict_months", _("Country conflict months (Hultman, Kathman & Shannon design)")
        CELL_PANEL = "cell_panel", _("PRIO-GRID cell months: events and deployments")
        BASE_OPENINGS = "base_openings", _("Event study of base openings")

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="effect_estimates", verbose_name=_("mission")
    )
    kind = models.CharField(_("analysis"), max_length=20, choices=Kind.choices)
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)
    result = models.JSONField(_("result"), null=True, blank=True)
    problem = models.TextField(_("why it could not be estimated"), blank=True)
    figure_svg = models.TextField(blank=True, verbose_name=_("chart (SVG)"))
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        ordering = ["mission", "kind"]
        constraints = [models.UniqueConstraint(fields=["mission", "kind"], name="one_estimate_per_kind")]
        verbose_name = _("effect estimate")
        verbose_name_plural = _("effect estimates")

    def __str__(self) -> str:
        return f"{self.mission} {self.get_kind_display()}"

    @property
    def problem_text(self) -> str:
        """Why it could not be estimated, in the reader's language (stored in English)."""
        from bluehelmet.core.stored_text import translate_stored

        from .effects import PROBLEMS

        return translate_stored(self.problem, PROBLEMS)


class CeasefireThreshold(models.Model):
    """When a mission counts a ceasefire as broken: its first verified violation in which at
    least `min_killed` people were killed (the same count ends a historical spell)."""

    mission = models.OneToOneField(
        Mission, on_delete=models.CASCADE, related_name="ceasefire_threshold", verbose_name=_("mission")
    )
    min_killed = models.PositiveIntegerField(
        _("people killed that break a ceasefire"),
        default=1,
        help_text=_("a verified violation with at least this many people killed ends the ceasefire spell"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("ceasefire threshold")
        verbose_name_plural = _("ceasefire thresholds")

    def __str__(self) -> str:
        return f"{self.mission}: {self.min_killed}"


class Report(JobRecord):
    """A mission report written in the background (performance.tasks), as HTML and PDF."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Ready")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True)
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="reports", verbose_name=_("mission"))
    language = models.CharField(_("language"), max_length=10, default="en")
    html_path = models.CharField(max_length=500, blank=True, verbose_name=_("HTML file path"))
    pdf_path = models.CharField(max_length=500, blank=True, verbose_name=_("PDF file path"))

    class Meta:
        ordering = ["-created"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.mission} report {self.created:%Y-%m-%d %H:%M} ({self.status})"


class Theme(models.TextChoices):
    PROTECTION = "protection", _("Protection of civilians")
    FORCE = "force", _("Force posture and rules of engagement")
    PLANNING = "planning", _("Planning and deployment")
    DDR = "ddr", _("Disarmament, demobilization and reintegration")
    ELECTIONS = "elections", _("Elections")
    ENGAGEMENT = "engagement", _("Community engagement and mediation")
    EARLY_WARNING = "early_warning", _("Early warning and rapid response")
    LOGISTICS = "logistics", _("Logistics and resources")
    OTHER = "other", _("Other")


class AfterActionReview(models.Model):
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="after_action_reviews", verbose_name=_("mission")
    )
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date of the events"))
    operation = models.CharField(_("operation or event"), max_length=300, blank=True)
    summary = models.TextField(_("what happened"))
    sources = models.TextField(_("sources"), blank=True)
    exercise = models.BooleanField(
        _("exercise data"), default=False, help_text=_("made up for training or the demo, not a real record")
    )
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("after-action review")
        verbose_name_plural = _("after-action reviews")

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("mission"))
    review = models.ForeignKey(
        AfterActionReview,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
        verbose_name=_("after-action review"),
    )
    title = models.CharField(_("title"), max_length=300)
    observation = models.TextField(_("observation"), help_text=_("what was seen"))
    lesson = models.TextField(_("lesson"), help_text=_("what it teaches"))
    recommendation = models.TextField(_("recommendation"), blank=True, help_text=_("what to do differently"))
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, default=Theme.OTHER, db_index=True)
    date = models.DateField(_("date"))
    sources = models.TextField(_("sources"), blank=True)
    exercise = models.BooleanField(
        _("exercise data"), default=False, help_text=_("made up for training or the demo, not a real record")
    )
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title


class LessonLink(models.Model):
    """A lesson tied to any record: an indicator, an incident or event, an operation."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="links", verbose_name=_("lesson"))
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("record type"))
    object_id = models.PositiveBigIntegerField(verbose_name=_("record identifier"))
    target = GenericForeignKey("content_type", "object_id")
    target.verbose_name = _("linked record")  # GenericForeignKey takes no verbose_name argument
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lesson", "content_type", "object_id"], name="one_link_per_record")
        ]
        verbose_name = _("lesson link")
        verbose_name_plural = _("lesson links")


class LessonApplication(models.Model):
    """Where a lesson was applied beyond the mission that learned it."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="applications", verbose_name=_("lesson"))
    mission = models.ForeignKey(
        Mission,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("applied in mission"),
    )
    where = models.CharField(_("where or how"), max_length=300, blank=True)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("marked by"),
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = _("application elsewhere")
        verbose_name_plural = _("applications elsewhere")
