"""The mission's forces: units, bases, patrols, personnel and training, equipment, the
allocation optimiser's plans, and recognition. (Geo-PKO deployments and mission strength, the
published data sets, are in `datasets`.)"""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.job_records import JobRecord
from bluehelmet.core.models import Mission, Organization, Place, Sharing
from bluehelmet.core.months import add_months

# --- Units, bases and postings ------------------------------------------------------------


class UnitKind(models.TextChoices):
    INFANTRY = "infantry", _("Infantry battalion")
    FORMED_POLICE = "formed_police", _("Formed police unit")
    POLICE = "police", _("UN police (individual officers)")
    ENGINEERING = "engineering", _("Engineering")
    MEDICAL = "medical", _("Medical")
    AVIATION = "aviation", _("Aviation")
    RIVERINE = "riverine", _("Riverine")
    SIGNALS = "signals", _("Signals")
    LOGISTICS = "logistics", _("Logistics and transport")
    OBSERVERS = "observers", _("Military observers")
    UNKNOWN = "unknown", _("Type not known")


class Base(models.Model):
    """A place the mission bases units at: its headquarters, sector headquarters, bases and
    temporary operating bases. The optimiser's candidate sites."""

    class Kind(models.TextChoices):
        MISSION_HQ = "mission_hq", _("Mission headquarters")
        SECTOR_HQ = "sector_hq", _("Sector headquarters")
        BASE = "base", _("Base")
        TOB = "tob", _("Temporary operating base")

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="bases", verbose_name=_("mission"))
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        related_name="bases",
        verbose_name=_("place"),
        limit_choices_to={"kind__in": Place.POINT_KINDS},
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.BASE)
    opened = models.DateField(_("opened"), null=True, blank=True)
    closed = models.DateField(_("closed"), null=True, blank=True, help_text=_("empty while open"))
    max_units = models.PositiveSmallIntegerField(
        _("at most units"), null=True, blank=True, help_text=_("empty: the plan's default")
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)

    class Meta:
        ordering = ["mission", "place__name"]
        constraints = [models.UniqueConstraint(fields=["mission", "place"], name="one_base_per_place")]
        verbose_name = _("base")
        verbose_name_plural = _("bases")

    def __str__(self) -> str:
        return f"{self.place} ({self.get_kind_display()})"

    def clean(self):
        errors = {}
        if self.opened and self.closed and self.closed < self.opened:
            errors["closed"] = _("A base cannot close before it opened.")
        if self.place_id and self.place.latitude is None:
            errors["place"] = _("A base needs a place with coordinates.")
        if errors:
            raise ValidationError(errors)


class Unit(models.Model):
    """A contingent or formed unit of the mission."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="units", verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=UnitKind.choices, default=UnitKind.UNKNOWN)
    country = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        limit_choices_to={"kind": Organization.Kind.MEMBER_STATE},
        verbose_name=_("contributing country"),
    )
    authorised_strength = models.PositiveIntegerField(
        _("authorised strength"), null=True, blank=True, help_text=_("empty = unknown")
    )
    actual_strength = models.PositiveIntegerField(
        _("actual strength"), null=True, blank=True, help_text=_("empty = unknown")
    )
    strength_reason = models.CharField(_("reason for strength above authorised"), max_length=300, blank=True)
    patrol_radius_km = models.FloatField(
        _("patrol radius (km)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.1)],
        help_text=_("how far from its base it can patrol; empty: the plan's default"),
    )
    max_move_km = models.FloatField(
        _("maximum move (km)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("how far the plan may move it from its base; empty: the plan's default"),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)

    class Meta:
        ordering = ["mission", "name"]
        constraints = [models.UniqueConstraint(fields=["mission", "name"], name="unique_unit_name")]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if (
            self.authorised_strength is not None
            and self.actual_strength is not None
            and self.actual_strength > self.authorised_strength
            and not self.strength_reason.strip()
        ):
            raise ValidationError(
                {
                    "strength_reason": _(
                        "The actual strength (%(actual)s) is above the authorised strength (%(authorised)s): give the reason."
                    )
                    % {"actual": self.actual_strength, "authorised": self.authorised_strength}
                }
            )

    @property
    def strength_gap(self) -> int | None:
        """Authorised minus actual (negative when above authorised); None when unknown."""
        if self.authorised_strength is None or self.actual_strength is None:
            return None
        return self.authorised_strength - self.actual_strength


class UnitPosting(models.Model):
    """A unit at a base over a period: deployments from Geo-PKO maps or entered by hand,
    rotations and redeployments."""

    class Kind(models.TextChoices):
        DEPLOYMENT = "deployment", _("Deployment")
        ROTATION = "rotation", _("Rotation")
        REDEPLOYMENT = "redeployment", _("Redeployment")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="postings", verbose_name=_("unit"))
    base = models.ForeignKey(Base, on_delete=models.PROTECT, related_name="postings", verbose_name=_("base"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DEPLOYMENT)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("empty while there"))
    troops = models.PositiveIntegerField(_("troops"), null=True, blank=True, help_text=_("empty = unknown"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["unit", "start"]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")

    def __str__(self) -> str:
        return f"{self.unit} at {self.base.place} from {self.start}"

    def clean(self):
        errors = {}
        if self.end and self.start and self.end < self.start:
            errors["end"] = _("The end (%(end)s) is before the start (%(start)s).") % {
                "end": self.end,
                "start": self.start,
            }
        if self.unit_id and self.base_id and self.unit.mission_id != self.base.mission_id:
            errors["base"] = _("The base belongs to another mission.")
        if errors:
            raise ValidationError(errors)


class PlacePopulation(models.Model):
    """A place's population, entered or imported by a planner with its source. No
    population ships with the demo: where it is unknown the plan weights places equally."""

    place = models.OneToOneField(Place, on_delete=models.CASCADE, related_name="population", verbose_name=_("place"))
    population = models.PositiveIntegerField(_("population"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("place population")
        verbose_name_plural = _("place populations")

    def __str__(self) -> str:
        return f"{self.place}: {self.population}"


class PlaceRisk(models.Model):
    """Risk of violence at a place entered by hand (probability, 0 to 1), for missions
    without an early-warning forecast."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="place_risks", verbose_name=_("mission")
    )
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+", verbose_name=_("place"))
    risk = models.FloatField(
        _("risk"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("probability of violence, 0 to 1"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"), auto_now=True)

    class Meta:
        ordering = ["mission", "place__name"]
        constraints = [models.UniqueConstraint(fields=["mission", "place"], name="one_risk_per_place")]
        verbose_name = _("risk entered by hand")
        verbose_name_plural = _("risks entered by hand")


class AllocationPlan(JobRecord):
    """One run of the allocation optimiser, with its inputs and what it proposed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        OPTIMAL = "optimal", _("Optimal")
        FEASIBLE = "feasible", _("Feasible (stopped at the time limit)")
        INFEASIBLE = "infeasible", _("Infeasible")
        FAILED = "failed", _("Failed")

    # A run still going, the runs whose result the plan page shows, and the runs that ended.
    PENDING = (Status.QUEUED, Status.RUNNING)
    SOLVED = (Status.OPTIMAL, Status.FEASIBLE)
    FINISHED = (Status.OPTIMAL, Status.FEASIBLE, Status.INFEASIBLE, Status.FAILED)

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True)
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="allocation_plans", verbose_name=_("mission")
    )
    parameters = models.JSONField(_("parameters"), default=dict)
    risk_source = models.CharField(_("risk source"), max_length=20, blank=True)
    population_weighted = models.BooleanField(_("population weighted"), default=False)
    objective = models.FloatField(_("risk covered"), null=True, blank=True)
    share_covered = models.FloatField(_("share of risk covered"), null=True, blank=True)
    posture_share = models.FloatField(_("share covered by today's posture"), null=True, blank=True)
    greedy_share = models.FloatField(_("share covered by the greedy rule"), null=True, blank=True)
    mip_gap = models.FloatField(_("MIP gap"), null=True, blank=True)
    seconds = models.FloatField(_("solve time (s)"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, help_text=_("units, sites, places and coverage, for the map"))
    problems = models.JSONField(_("constraints that cannot be met"), default=list)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("allocation plan")
        verbose_name_plural = _("allocation plans")

    def __str__(self) -> str:
        return f"{self.mission} plan {self.created:%Y-%m-%d %H:%M}"


# --- Patrols ------------------------------------------------------------------------------


class Patrol(models.Model):
    class Kind(models.TextChoices):
        FOOT = "foot", _("Foot")
        MOBILE = "mobile", _("Mobile")
        LONG_RANGE = "long_range", _("Long-range")
        JOINT_POLICE = "joint_police", _("Joint with police")
        RIVERINE = "riverine", _("Riverine")
        AIR = "air", _("Air")

    class Period(models.TextChoices):
        DAY = "day", _("Day")
        NIGHT = "night", _("Night")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONDUCTED = "conducted", _("Conducted")
        CANCELLED = "cancelled", _("Cancelled")

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="patrols", verbose_name=_("mission"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="patrols", verbose_name=_("unit"))
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    period = models.CharField(_("day or night"), max_length=5, choices=Period.choices, default=Period.DAY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    start = models.DateTimeField(_("planned start"))
    end = models.DateTimeField(_("planned end"), null=True, blank=True)
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    route = models.JSONField(_("route or area"), null=True, blank=True, help_text=_("GeoJSON LineString or Polygon"))
    places = models.ManyToManyField(
        Place, blank=True, related_name="patrol_visits", verbose_name=_("places to visit, then visited")
    )
    incidents = models.ManyToManyField(
        "incidents.Incident", blank=True, related_name="patrols", verbose_name=_("incidents met")
    )
    community_contacts = models.PositiveIntegerField(_("community contacts"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)

    class Meta:
        ordering = ["mission", "-start"]
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()} {self.start:%Y-%m-%d}"

    def clean(self):
        errors = {}
        if self.end and self.start and self.end <= self.start:
            errors["end"] = _("A patrol cannot end before it starts.")
        if self.actual_end and self.actual_start and self.actual_end <= self.actual_start:
            errors["actual_end"] = _("A patrol cannot end before it starts.")
        if self.unit_id and self.mission_id and self.unit.mission_id != self.mission_id:
            errors["unit"] = _("The unit belongs to another mission.")
        if self.route is not None and (
            not isinstance(self.route, dict)
            or self.route.get("type") not in ("LineString", "Polygon", "MultiLineString")
        ):
            errors["route"] = _("The route must be a GeoJSON LineString or Polygon.")
        if errors:
            raise ValidationError(errors)

    @property
    def hours(self) -> float | None:
        """The duration: as conducted when recorded, else as planned."""
        start, end = (self.actual_start, self.actual_end) if self.actual_end else (self.start, self.end)
        return None if end is None or start is None else (end - start).total_seconds() / 3600


# --- Personnel and training ---------------------------------------------------------------


class PersonRole(models.TextChoices):
    COMMANDER = "commander", _("Commander")
    STAFF_OFFICER = "staff_officer", _("Staff officer")
    SOLDIER = "soldier", _("Soldier")
    POLICE_OFFICER = "police_officer", _("Police officer")
    MILITARY_OBSERVER = "military_observer", _("Military observer")
    MEDICAL = "medical", _("Medical staff")
    ENGINEER = "engineer", _("Engineer")
    PILOT = "pilot", _("Pilot or aircrew")
    LOGISTICS = "logistics", _("Logistics")


class Person(models.Model):
    """One tour of duty of one person in the mission (sensitive personal data)."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="personnel", verbose_name=_("mission"))
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="personnel", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=200)
    service_number = models.CharField(_("service number"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=PersonRole.choices)
    rank = models.CharField(_("rank or grade"), max_length=50, blank=True)
    country = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organization.Kind.MEMBER_STATE},
        verbose_name=_("country"),
    )
    arrival = models.DateField(_("arrival"))
    departure = models.DateField(_("departure"), null=True, blank=True, help_text=_("empty while serving"))

    class Meta:
        ordering = ["mission", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("personnel")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.departure and self.arrival and self.departure < self.arrival:
            errors["departure"] = _("The departure (%(departure)s) is before the arrival (%(arrival)s).") % {
                "departure": self.departure,
                "arrival": self.arrival,
            }
        if self.unit_id and self.mission_id and self.unit.mission_id != self.mission_id:
            errors["unit"] = _("The unit belongs to another mission.")
        if errors:
            raise ValidationError(errors)


class TrainingCourse(models.Model):
    class Topic(models.TextChoices):
        CORE = "core", _("Core pre-deployment training")
        POC = "poc", _("Protection of civilians")
        IHL = "ihl", _("International humanitarian law")
        CRSV = "crsv", _("Conflict-related sexual violence")
        CHILD_PROTECTION = "child_protection", _("Child protection")
        CULTURAL = "cultural", _("Cultural awareness")
        LANGUAGE = "language", _("Language")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True, help_text=_("empty: never expires")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")

    def __str__(self) -> str:
        return self.name


class TrainingRequirement(models.Model):
    """A course that people in a role must hold (every role when empty), in one mission or
    in every mission."""

    course = models.ForeignKey(
        TrainingCourse, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("course")
    )
    role = models.CharField(
        _("role"), max_length=20, choices=PersonRole.choices, blank=True, help_text=_("empty: every role")
    )
    mission = models.ForeignKey(
        Mission,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="training_requirements",
        verbose_name=_("mission"),
        help_text=_("empty: every mission"),
    )

    class Meta:
        ordering = ["course", "role"]
        verbose_name = _("training requirement")
        verbose_name_plural = _("training requirements")

    def __str__(self) -> str:
        return f"{self.course} ({self.get_role_display() or _('every role')})"


class TrainingRecord(models.Model):
    """A course a person completed, with its certificate and when it expires."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="training_records", verbose_name=_("person")
    )
    course = models.ForeignKey(
        TrainingCourse, on_delete=models.PROTECT, related_name="records", verbose_name=_("course")
    )
    completed = models.DateField(_("completed"))
    expires = models.DateField(_("expires"), null=True, blank=True, help_text=_("empty: from the course's validity"))
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)

    class Meta:
        ordering = ["person", "course", "-completed"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self) -> str:
        return f"{self.person}: {self.course} {self.completed}"

    def clean(self):
        if self.expires and self.completed and self.expires < self.completed:
            raise ValidationError({"expires": _("A certificate cannot expire before the course was completed.")})

    def save(self, *args, **kwargs):
        if self.expires is None and self.course.validity_months:
            self.expires = months_after(self.completed, self.course.validity_months)
        super().save(*args, **kwargs)


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    first = add_months(day.replace(day=1), months)
    return first.replace(day=min(day.day, calendar.monthrange(first.year, first.month)[1]))


# --- Equipment ----------------------------------------------------------------------------


class Equipment(models.Model):
    """Major equipment of a unit: what it should have, has, and has working."""

    class Category(models.TextChoices):
        ARMOURED_VEHICLE = "armoured_vehicle", _("Armoured vehicle")
        VEHICLE = "vehicle", _("Vehicle")
        GENERATOR = "generator", _("Generator")
        COMMUNICATIONS = "communications", _("Communications")
        WATER = "water", _("Water purification")
        MEDICAL = "medical", _("Medical")
        ENGINEERING = "engineering", _("Engineering plant")
        AIRCRAFT = "aircraft", _("Aircraft")
        BOAT = "boat", _("Boat")
        OTHER = "other", _("Other")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="equipment", verbose_name=_("unit"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    name = models.CharField(_("item"), max_length=200)
    required = models.PositiveIntegerField(_("required"))
    present = models.PositiveIntegerField(_("present"))
    serviceable = models.PositiveIntegerField(_("serviceable"))
    limits = models.CharField(
        _("what a gap limits"), max_length=300, blank=True, help_text=_("e.g. long-range patrols, night operations")
    )
    updated = models.DateField(_("as of"))

    class Meta:
        ordering = ["unit", "category", "name"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")

    def __str__(self) -> str:
        return f"{self.unit}: {self.name}"

    def clean(self):
        if self.serviceable is not None and self.present is not None and self.serviceable > self.present:
            raise ValidationError(
                {
                    "serviceable": _("More serviceable (%(s)s) than present (%(p)s).")
                    % {"s": self.serviceable, "p": self.present}
                }
            )

    @property
    def gap(self) -> int:
        """Serviceable items missing to meet the requirement."""
        return max(self.required - self.serviceable, 0)


# --- Recognition --------------------------------------------------------------------------


class MedalRule(models.Model):
    """The days of continuous service that earn a mission's UN medal (90 unless set)."""

    DEFAULT_DAYS = 90

    mission = models.OneToOneField(
        Mission, on_delete=models.CASCADE, related_name="medal_rule", verbose_name=_("mission")
    )
    qualifying_days = models.PositiveSmallIntegerField(
        _("qualifying days of continuous service"), default=DEFAULT_DAYS, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("medal rule")
        verbose_name_plural = _("medal rules")

    def __str__(self) -> str:
        return f"{self.mission}: {self.qualifying_days}"


class Parade(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="parades", verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=200)
    date = models.DateField(_("date"))
    base = models.ForeignKey(
        Base, null=True, blank=True, on_delete=models.SET_NULL, related_name="parades", verbose_name=_("base")
    )
    units = models.ManyToManyField(
        Unit, blank=True, related_name="parades", verbose_name=_("units on parade"), help_text=_("empty: every unit")
    )

    class Meta:
        ordering = ["mission", "-date"]
        verbose_name = _("medal parade")
        verbose_name_plural = _("medal parades")

    def __str__(self) -> str:
        return f"{self.name} ({self.date})"


class Award(models.Model):
    """A medal, commendation or special award, moving through its approval steps."""

    class Kind(models.TextChoices):
        UN_MEDAL = "un_medal", _("UN mission medal")
        COMMENDATION = "commendation", _("Commendation")
        COURAGE = "courage", _("Medal for exceptional courage")
        POSTHUMOUS = "posthumous", _("Posthumous medal")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ENDORSED = "endorsed", _("Endorsed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    # The approvals each kind needs, in order: (status reached, who decides).
    STEPS = {
        Kind.UN_MEDAL: [(Status.APPROVED, _("chief of staff"))],
        Kind.COMMENDATION: [(Status.ENDORSED, _("unit commander")), (Status.APPROVED, _("force commander"))],
        Kind.COURAGE: [(Status.ENDORSED, _("force commander")), (Status.APPROVED, _("head of mission"))],
        Kind.POSTHUMOUS: [(Status.ENDORSED, _("force commander")), (Status.APPROVED, _("head of mission"))],
    }

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="awards", verbose_name=_("person"))
    kind = models.CharField(_("award"), max_length=14, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    citation = models.TextField(_("citation"), blank=True)
    parade = models.ForeignKey(
        Parade, null=True, blank=True, on_delete=models.SET_NULL, related_name="awards", verbose_name=_("parade")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"

    def clean(self):
        if self.kind == self.Kind.COMMENDATION or self.kind == self.Kind.UN_MEDAL:
            return
        if not self.citation.strip():
            raise ValidationError({"citation": _("A special award needs a citation.")})

    @property
    def next_step(self):
        """(status it reaches, who decides) of the next approval, or None when decided."""
        if self.status in (self.Status.APPROVED, self.Status.REJECTED):
            return None
        done = len(self.decisions.filter(approved=True))
        steps = self.STEPS[self.kind]
        return steps[done] if done < len(steps) else None


class AwardDecision(models.Model):
    """One approval step taken on an award; never edited."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("award"))
    step = models.CharField(_("step"), max_length=100)
    approved = models.BooleanField(_("approved"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        ordering = ["award", "decided_at"]
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
