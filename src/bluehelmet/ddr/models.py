"""Disarmament, demobilisation and reintegration records.

A participant's name, birth date, phone and the notes of follow-up visits are encrypted at
rest (core.crypto); `duplicate_key` is a keyed hash of name + birth date + faction so a
second registration of the same person is caught without decrypting anything.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.crypto import EncryptedDateField, EncryptedTextField
from bluehelmet.core.models import Mission, Organization, Place

ADULT_AGE = 18


class Participant(models.Model):
    class Category(models.TextChoices):
        COMBATANT = "combatant", _("Ex-combatant")
        ASSOCIATED_ADULT = "associated_adult", _("Adult associated with an armed group")
        ASSOCIATED_CHILD = "associated_child", _("Child associated with an armed group")

    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        UNKNOWN = "unknown", _("Not recorded")

    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="ddr_participants", verbose_name=_("mission")
    )
    reference = models.CharField(_("reference"), max_length=20, help_text=_("programme number, e.g. DDR-000123"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    full_name = EncryptedTextField(_("full name"))
    birth_date = EncryptedDateField(_("date of birth"))
    phone = EncryptedTextField(_("phone"), blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    # Age in whole years on the registration day: what aggregates and the child rule need,
    # without the birth date.
    age_at_registration = models.PositiveSmallIntegerField(_("age at registration"))
    faction = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="ddr_participants",
        verbose_name=_("faction"),
        limit_choices_to={"kind": Organization.Kind.ARMED_GROUP},
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="ddr_participants", verbose_name=_("place of registration")
    )
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )
    duplicate_key = models.CharField(
        max_length=64,
        editable=False,
        help_text=_("keyed hash of name, birth date and faction"),
        verbose_name=_("duplicate key"),
    )
    exercise = models.BooleanField(
        _("exercise record"), default=False, help_text=_("made up for a demo or an exercise")
    )
    # Stage dates, set by the stage records; empty until reached.
    disarmed_on = models.DateField(_("disarmed on"), null=True, blank=True)
    demobilised_on = models.DateField(_("demobilised on"), null=True, blank=True)
    reinserted_on = models.DateField(_("reinsertion support on"), null=True, blank=True)
    reintegrated_on = models.DateField(_("reintegration completed on"), null=True, blank=True)
    referred_to = models.CharField(
        _("referred to"), max_length=200, blank=True, help_text=_("child protection partner (children only)")
    )

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "reference"], name="ddr_unique_reference"),
            models.UniqueConstraint(fields=["mission", "duplicate_key"], name="ddr_unique_person"),
        ]
        verbose_name = _("DDR participant")
        verbose_name_plural = _("DDR participants")

    def __str__(self) -> str:
        return self.reference  # never the name: this shows in logs and admin lists

    @property
    def is_child(self) -> bool:
        return self.category == self.Category.ASSOCIATED_CHILD

    @property
    def stage(self) -> str:
        if self.is_child:
            return "referred"
        for stage, day in (
            ("reintegrated", self.reintegrated_on),
            ("reinserted", self.reinserted_on),
            ("demobilised", self.demobilised_on),
            ("disarmed", self.disarmed_on),
        ):
            if day:
                return stage
        return "registered"


class Weapon(models.Model):
    class Kind(models.TextChoices):
        RIFLE = "rifle", _("Rifle / assault rifle")
        PISTOL = "pistol", _("Pistol")
        MACHINE_GUN = "machine_gun", _("Machine gun")
        RPG = "rpg", _("Rocket launcher (RPG)")
        MORTAR = "mortar", _("Mortar")
        SHOTGUN = "shotgun", _("Shotgun / hunting gun")
        GRENADE = "grenade", _("Grenade")
        AMMUNITION = "ammunition", _("Ammunition (rounds)")
        OTHER = "other", _("Other")

    WEAPON_KINDS = (Kind.RIFLE, Kind.PISTOL, Kind.MACHINE_GUN, Kind.RPG, Kind.MORTAR, Kind.SHOTGUN, Kind.OTHER)

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="weapons", verbose_name=_("participant")
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    model = models.CharField(_("model"), max_length=100, blank=True, help_text=_("e.g. AK-47, G3"))
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(
        _("quantity"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("rounds for ammunition, items otherwise"),
    )
    handed_in_on = models.DateField(_("handed in on"))
    site = models.CharField(_("collection site"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["handed_in_on", "pk"]
        verbose_name = _("weapon or ammunition handed in")
        verbose_name_plural = _("weapons and ammunition handed in")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial}".strip()


class Demobilisation(models.Model):
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="demobilisation", verbose_name=_("participant")
    )
    site = models.CharField(_("demobilisation site"), max_length=200)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    entered_on = models.DateField(_("entered the site on"))
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    allowance = models.DecimalField(
        _("transitional allowance"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")

    class Meta:
        verbose_name = _("demobilisation")
        verbose_name_plural = _("demobilisations")

    def __str__(self) -> str:
        return f"{self.participant} @ {self.site}"


class Reintegration(models.Model):
    class Programme(models.TextChoices):
        VOCATIONAL = "vocational", _("Vocational training / apprenticeship")
        AGRICULTURE = "agriculture", _("Agriculture")
        EDUCATION = "education", _("Formal education")
        BUSINESS = "business", _("Small business")
        PUBLIC_WORKS = "public_works", _("Public works")
        ARMED_FORCES = "armed_forces", _("Integration into the national army")

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        DROPPED_OUT = "dropped_out", _("Dropped out")

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="reintegration", verbose_name=_("participant")
    )
    reinsertion_package = models.CharField(
        _("reinsertion package"),
        max_length=200,
        blank=True,
        help_text=_("e.g. tools kit, transport, food for three months"),
    )
    reinsertion_on = models.DateField(_("reinsertion support on"), null=True, blank=True)
    programme = models.CharField(_("reintegration programme"), max_length=20, choices=Programme.choices, blank=True)
    implementing_partner = models.CharField(_("implementing partner"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("reinsertion and reintegration")
        verbose_name_plural = _("reinsertions and reintegrations")

    def __str__(self) -> str:
        return f"{self.participant} {self.get_programme_display()}"


class FollowUpVisit(models.Model):
    class Outcome(models.TextChoices):
        EMPLOYED = "employed", _("Working / self-employed")
        TRAINING = "training", _("Still in training or school")
        UNEMPLOYED = "unemployed", _("Without work")
        MOVED = "moved", _("Moved away")
        NOT_FOUND = "not_found", _("Not found")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="visits", verbose_name=_("participant")
    )
    visited_on = models.DateField(_("visited on"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("visited by"),
    )

    class Meta:
        ordering = ["visited_on", "pk"]
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")

    def __str__(self) -> str:
        return f"{self.participant} {self.visited_on}"
