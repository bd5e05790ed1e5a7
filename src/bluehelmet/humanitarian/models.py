"""Humanitarian coordination: needs assessments, who does what where (3W), aid deliveries
and access constraints, per mission, at the host country's admin areas."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.models import Mission, Organization, Place, Sharing


class Sector(models.TextChoices):
    """The IASC clusters (plus multi-sector), the sectors of OCHA's 3W and HDX files."""

    CCCM = "cccm", _("Camp coordination and camp management")
    EARLY_RECOVERY = "early_recovery", _("Early recovery")
    EDUCATION = "education", _("Education")
    SHELTER_NFI = "shelter_nfi", _("Emergency shelter and NFI")
    TELECOMS = "telecoms", _("Emergency telecommunications")
    FOOD_SECURITY = "food_security", _("Food security")
    HEALTH = "health", _("Health")
    LOGISTICS = "logistics", _("Logistics")
    NUTRITION = "nutrition", _("Nutrition")
    PROTECTION = "protection", _("Protection")
    WASH = "wash", _("Water, sanitation and hygiene (WASH)")
    MULTI_SECTOR = "multi_sector", _("Multi-sector")


# Other names files use for the sectors (compared after normalize_sector).
SECTOR_SYNONYMS = {
    "camp coordination camp management": Sector.CCCM,
    "camp management": Sector.CCCM,
    "cccm": Sector.CCCM,
    "er": Sector.EARLY_RECOVERY,
    "livelihoods": Sector.EARLY_RECOVERY,
    "shelter": Sector.SHELTER_NFI,
    "nfi": Sector.SHELTER_NFI,
    "shelter nfi": Sector.SHELTER_NFI,
    "es nfi": Sector.SHELTER_NFI,
    "emergency shelter": Sector.SHELTER_NFI,
    "non food items": Sector.SHELTER_NFI,
    "etc": Sector.TELECOMS,
    "telecommunications": Sector.TELECOMS,
    "food": Sector.FOOD_SECURITY,
    "fsl": Sector.FOOD_SECURITY,
    "food security and livelihoods": Sector.FOOD_SECURITY,
    "food security livelihoods": Sector.FOOD_SECURITY,
    "food aid": Sector.FOOD_SECURITY,
    "water sanitation hygiene": Sector.WASH,
    "water sanitation and hygiene": Sector.WASH,
    "water and sanitation": Sector.WASH,
    "child protection": Sector.PROTECTION,
    "gbv": Sector.PROTECTION,
    "gender based violence": Sector.PROTECTION,
    "multi sector": Sector.MULTI_SECTOR,
    "multisector": Sector.MULTI_SECTOR,
}


class Severity(models.IntegerChoices):
    """The JIAF severity scale of needs."""

    NONE_MINIMAL = 1, _("1: none or minimal")
    STRESS = 2, _("2: stress")
    SEVERE = 3, _("3: severe")
    EXTREME = 4, _("4: extreme")
    CATASTROPHIC = 5, _("5: catastrophic")


class HumanitarianRecord(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+", verbose_name=_("mission"))
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)
    exercise = models.BooleanField(
        _("exercise data"), default=False, help_text=_("made-up figures for training and demonstration")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class NeedsAssessment(HumanitarianRecord):
    """People in need in one admin area and sector, as one assessment found them."""

    class Method(models.TextChoices):
        MIRA = "mira", _("Multi-cluster initial rapid assessment (MIRA)")
        RAPID = "rapid", _("Rapid needs assessment")
        HOUSEHOLD_SURVEY = "household_survey", _("Household survey")
        KEY_INFORMANTS = "key_informants", _("Key informant interviews")
        JOINT = "joint", _("Joint assessment mission")
        OTHER = "other", _("Other")

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, db_index=True)
    people_in_need = models.PositiveIntegerField(_("people in need"))
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity.choices, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    assessed_on = models.DateField(_("assessment date"), db_index=True)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.RAPID)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-assessed_on", "place__name", "sector"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        indexes = [models.Index(fields=["mission", "sector", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.place} {self.get_sector_display()} {self.assessed_on:%Y-%m-%d}"


class Activity(HumanitarianRecord):
    """One line of the 3W/4W: who (organisation) does what (sector, activity) where, when,
    for how many people."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    implementing_partner = models.CharField(_("implementing partner"), max_length=300, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, db_index=True)
    activity = models.CharField(_("activity"), max_length=300, blank=True)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    location = models.CharField(
        _("location"), max_length=200, blank=True, help_text=_("town, village or site within the place")
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True)
    targeted = models.PositiveIntegerField(_("people targeted"), null=True, blank=True)
    targeted_female = models.PositiveIntegerField(_("women and girls targeted"), null=True, blank=True)
    targeted_male = models.PositiveIntegerField(_("men and boys targeted"), null=True, blank=True)
    reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    reached_female = models.PositiveIntegerField(_("women and girls reached"), null=True, blank=True)
    reached_male = models.PositiveIntegerField(_("men and boys reached"), null=True, blank=True)

    class Meta:
        ordering = ["-start", "organization__name", "sector"]
        verbose_name = _("activity (3W)")
        verbose_name_plural = _("activities (3W)")
        indexes = [models.Index(fields=["mission", "sector", "status"])]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_sector_display()} {self.place}"


class AccessConstraint(HumanitarianRecord):
    """Something that kept aid from people, typed after OCHA's access monitoring and
    reporting framework, optionally linked to the incident report that describes it."""

    class Type(models.TextChoices):
        ENTRY = "entry", _("Restriction of entry into the country (visas, permits, import of goods)")
        MOVEMENT = "movement", _("Restriction of movement within the country (checkpoints, closures)")
        INTERFERENCE = "interference", _("Interference in the implementation of humanitarian activities")
        VIOLENCE = "violence", _("Violence against humanitarian personnel, assets and facilities")
        DENIAL = "denial", _("Denial of the existence of needs or of entitlement to assistance")
        POPULATION = "population", _("Restriction of the affected population's access to services and assistance")
        HOSTILITIES = "hostilities", _("Military operations and ongoing hostilities impeding operations")
        MINES = "mines", _("Presence of mines and unexploded ordnance")
        ENVIRONMENT = "environment", _("Physical environment (terrain, weather, lack of infrastructure)")

    class Impact(models.TextChoices):
        DELAYED = "delayed", _("Activities delayed")
        REDUCED = "reduced", _("Activities reduced")
        SUSPENDED = "suspended", _("Activities suspended")
        NONE = "none", _("No impact on activities")

    type = models.CharField(_("type"), max_length=20, choices=Type.choices, db_index=True)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    started_on = models.DateField(_("from"), db_index=True)
    ended_on = models.DateField(_("until"), null=True, blank=True, help_text=_("empty while it lasts"))
    impact = models.CharField(_("impact"), max_length=10, choices=Impact.choices, default=Impact.DELAYED)
    people_affected = models.PositiveIntegerField(_("people cut off from aid"), null=True, blank=True)
    description = models.TextField(_("description"))
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_constraints",
        verbose_name=_("incident report"),
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("access constraint")
        verbose_name_plural = _("access constraints")

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.place} {self.started_on:%Y-%m-%d}"


class Delivery(HumanitarianRecord):
    """A consignment of aid: what, how much, to where, when, by whom, escorted or not, and
    what happened to it."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        PARTIAL = "partial", _("Partly delivered")
        BLOCKED = "blocked", _("Blocked or turned back")
        LOOTED = "looted", _("Looted or diverted")
        POSTPONED = "postponed", _("Postponed")
        PLANNED = "planned", _("Planned")

    BLOCKED_OUTCOMES = (Outcome.BLOCKED, Outcome.LOOTED, Outcome.PARTIAL)

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("delivered by")
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    item = models.CharField(_("what"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=40, help_text=_("e.g. tonnes, kits, litres"))
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("to"))
    destination = models.CharField(
        _("destination"), max_length=200, blank=True, help_text=_("town, camp or site within the place")
    )
    delivered_on = models.DateField(_("date"), db_index=True)
    escorted = models.BooleanField(_("escorted by the mission"), default=False)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.DELIVERED)
    beneficiaries = models.PositiveIntegerField(_("people served"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    access_constraint = models.ForeignKey(
        AccessConstraint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
        verbose_name=_("access constraint"),
    )

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name = _("aid delivery")
        verbose_name_plural = _("aid deliveries")

    def __str__(self) -> str:
        return f"{self.item} {self.quantity} {self.unit} to {self.place} {self.delivered_on:%Y-%m-%d}"

    @property
    def was_blocked(self) -> bool:
        return self.outcome in self.BLOCKED_OUTCOMES
