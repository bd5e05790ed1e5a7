"""Civil affairs records: local partners (and their protected contacts), community
engagements with their commitments, community alerts (from a form or an SMS gateway) and
grievances, perception surveys, mediation processes, and agreements broken into provisions
whose implementation is tracked on the Peace Accords Matrix scale.

Personal data (partners' contacts, the sender of an alert, a grievance's complainant) is
encrypted at rest (core.crypto) and shown only to civil affairs officers and administrators,
each view logged (core.audit). Status histories (grievances, provisions) are append-only.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.crypto import EncryptedTextField
from bluehelmet.core.models import Mission, Organization, Place, Sharing
from bluehelmet.core.sensitivity import Sensitivity

USER = settings.AUTH_USER_MODEL


class Exercise(models.Model):
    """Made-up records (demo, training) carry the flag and say so wherever they show."""

    exercise = models.BooleanField(
        _("exercise record"), default=False, help_text=_("made up for a demo or an exercise")
    )

    class Meta:
        abstract = True


# --- Partners -------------------------------------------------------------------------------


class Partner(Exercise):
    class Kind(models.TextChoices):
        LOCAL_LEADER = "local_leader", _("Local / traditional leader")
        CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
        WOMENS_GROUP = "womens_group", _("Women's group")
        YOUTH_GROUP = "youth_group", _("Youth group")
        RELIGIOUS_LEADER = "religious_leader", _("Religious leader or council")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        MEDIA = "media", _("Community media")
        OTHER = "other", _("Other")

    class Relationship(models.TextChoices):
        ACTIVE = "active", _("Active")
        OCCASIONAL = "occasional", _("Occasional")
        STRAINED = "strained", _("Strained")
        ENDED = "ended", _("Ended")

    class Trust(models.IntegerChoices):
        LOW = 1, _("Low")
        MEDIUM = 2, _("Medium")
        HIGH = 3, _("High")

    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="ca_partners", verbose_name=_("mission")
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("the group, office or title, e.g. 'Paramount Chief of Nongowa'")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("organization")
    )
    relationship = models.CharField(
        _("relationship"), max_length=12, choices=Relationship.choices, default=Relationship.ACTIVE
    )
    trust = models.PositiveSmallIntegerField(_("trust level"), choices=Trust.choices, default=Trust.MEDIUM)
    focal_point = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("mission focal point")
    )
    last_contact = models.DateField(_("last contact"), null=True, blank=True)
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("no personal data here: contacts go in the protected contacts")
    )
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["mission", "name", "place"], name="ca_unique_partner")]
        verbose_name = _("local partner")
        verbose_name_plural = _("local partners")

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """A person to reach at a partner: protected personal data, every field encrypted."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner"))
    full_name = EncryptedTextField(_("full name"))
    position = EncryptedTextField(_("position"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    added_at = models.DateTimeField(auto_now_add=True, verbose_name=_("added at"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")

    def __str__(self) -> str:
        return f"{self.partner} contact {self.pk}"  # never the name: this shows in logs and admin lists


# --- Engagements ----------------------------------------------------------------------------


class Engagement(Exercise):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        DIALOGUE = "dialogue", _("Community dialogue")
        TOWN_HALL = "town_hall", _("Town hall")
        JOINT_PROTECTION_TEAM = "jpt", _("Joint protection team")
        WORKSHOP = "workshop", _("Workshop / training")
        OTHER = "other", _("Other")

    PARTICIPANT_FIELDS = ("women", "men", "young_women", "young_men", "girls", "boys")

    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="ca_engagements", verbose_name=_("mission")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("date"), db_index=True)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    title = models.CharField(_("title"), max_length=200)
    partners = models.ManyToManyField(Partner, blank=True, related_name="engagements", verbose_name=_("partners"))
    topics = models.CharField(
        _("topics"), max_length=300, blank=True, help_text=_("comma-separated, e.g. land, security, returns")
    )
    summary = models.TextField(_("summary"), blank=True)
    women = models.PositiveIntegerField(_("women (25 and over)"), default=0)
    men = models.PositiveIntegerField(_("men (25 and over)"), default=0)
    young_women = models.PositiveIntegerField(_("young women (18-24)"), default=0)
    young_men = models.PositiveIntegerField(_("young men (18-24)"), default=0)
    girls = models.PositiveIntegerField(_("girls (under 18)"), default=0)
    boys = models.PositiveIntegerField(_("boys (under 18)"), default=0)
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("community engagement")
        verbose_name_plural = _("community engagements")

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    @property
    def participants(self) -> int:
        return sum(getattr(self, name) for name in self.PARTICIPANT_FIELDS)

    @property
    def female_participants(self) -> int:
        return self.women + self.young_women + self.girls

    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.topics.split(",") if t.strip()]


class Commitment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("engagement")
    )
    text = models.CharField(_("commitment"), max_length=300)
    made_by = models.CharField(
        _("made by"), max_length=200, help_text=_("e.g. the mission, the district council, youth leaders")
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    follow_up = models.TextField(_("follow-up"), blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.text


# --- Community alerts -----------------------------------------------------------------------


def hash_secret(secret: str) -> str:
    """Gateway secrets are long random tokens: a plain SHA-256 is enough to store them."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class AlertGateway(models.Model):
    """An SMS gateway (SMSSync, FrontlineSMS, Twilio, ...) allowed to post alerts into a
    mission. Only the hash of its secret is stored; the secret is shown once."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="ca_gateways", verbose_name=_("mission")
    )
    name = models.CharField(_("name"), max_length=100)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("secret hash"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["mission", "name"]
        verbose_name = _("SMS gateway")
        verbose_name_plural = _("SMS gateways")

    def __str__(self) -> str:
        return f"{self.mission} {self.name}"


class CommunityAlert(Exercise):
    class Channel(models.TextChoices):
        FORM = "form", _("Web form")
        SMS = "sms", _("SMS")
        PHONE = "phone", _("Phone call")
        IN_PERSON = "in_person", _("In person")

    class Category(models.TextChoices):
        THREAT = "threat", _("Threat of violence")
        ARMED_MOVEMENT = "armed_movement", _("Armed group movement")
        ATTACK = "attack", _("Attack under way or just happened")
        ABDUCTION = "abduction", _("Abduction")
        SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
        DISPLACEMENT = "displacement", _("Displacement")
        TENSION = "tension", _("Community tension")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        INCIDENT = "incident", _("Turned into an incident")
        DISMISSED = "dismissed", _("Dismissed")

    OPEN = (Status.NEW, Status.ACKNOWLEDGED)

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="ca_alerts", verbose_name=_("mission"))
    received_at = models.DateTimeField(_("received at"), db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.FORM)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    location = models.CharField(_("where"), max_length=300, blank=True, help_text=_("village, road, landmark"))
    text = models.TextField(_("what is happening"))
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
        verbose_name=_("reported through partner"),
    )
    sender = EncryptedTextField(
        _("sender's phone or name"),
        blank=True,
        help_text=_("protected: seen by civil affairs officers and administrators only"),
    )
    sensitivity = models.CharField(
        _("sensitivity"), max_length=10, choices=Sensitivity.choices, default=Sensitivity.AMBER
    )
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.NEW, db_index=True)
    gateway = models.ForeignKey(
        AlertGateway, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts", verbose_name=_("gateway")
    )
    external_id = models.CharField(_("gateway message id"), max_length=100, blank=True)
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community_alerts",
        verbose_name=_("incident"),
    )
    triaged_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("triaged by")
    )
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triage_note = models.TextField(_("triage note"), blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "external_id"], condition=~Q(external_id=""), name="ca_alert_once_per_message"
            )
        ]
        verbose_name = _("community alert")
        verbose_name_plural = _("community alerts")

    def __str__(self) -> str:
        return f"{_('Alert')} {self.pk}"


# --- Grievances -----------------------------------------------------------------------------


class Grievance(Exercise):
    class Against(models.TextChoices):
        MISSION = "mission", _("The mission (UN personnel)")
        GOVERNMENT = "government", _("Government or security forces")
        ARMED_GROUP = "armed_group", _("Armed group")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        COMMUNITY = "community", _("Another community")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ASSIGNED = "assigned", _("Assigned")
        INVESTIGATING = "investigating", _("Under investigation")
        RESOLVED = "resolved", _("Resolved")
        REJECTED = "rejected", _("Rejected")

    CLOSED = (Status.RESOLVED, Status.REJECTED)

    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="ca_grievances", verbose_name=_("mission")
    )
    received_on = models.DateField(_("received on"))
    against = models.CharField(_("against"), max_length=16, choices=Against.choices)
    against_detail = models.CharField(_("party concerned"), max_length=200, blank=True)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    summary = models.TextField(_("grievance"))
    complainant = EncryptedTextField(
        _("complainant"), blank=True, help_text=_("protected: seen by civil affairs officers and administrators only")
    )
    sensitivity = models.CharField(
        _("sensitivity"), max_length=10, choices=Sensitivity.choices, default=Sensitivity.AMBER
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    assigned_to = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("assigned to")
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("grievance")
        verbose_name_plural = _("grievances")

    def __str__(self) -> str:
        return f"{_('Grievance')} {self.pk}"


class GrievanceEvent(models.Model):
    """One step of a grievance's handling. Append-only: written by cases.move_grievance."""

    grievance = models.ForeignKey(
        Grievance, on_delete=models.CASCADE, related_name="history", verbose_name=_("grievance")
    )
    on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=14, choices=Grievance.Status.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("grievance step")
        verbose_name_plural = _("grievance steps")


# --- Perception surveys ---------------------------------------------------------------------


class Survey(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="ca_surveys", verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=200)
    trust_question = models.CharField(_("trust question column"), max_length=200, blank=True)
    security_question = models.CharField(_("security question column"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("last imported"), auto_now=True)

    class Meta:
        ordering = ["mission", "name"]
        constraints = [models.UniqueConstraint(fields=["mission", "name"], name="ca_unique_survey")]
        verbose_name = _("perception survey")
        verbose_name_plural = _("perception surveys")

    def __str__(self) -> str:
        return self.name


class SurveyResponse(models.Model):
    """One submission: where, when, and whether the respondent trusts the mission and feels
    safe (None: no answer, don't know or refused)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey"))
    uuid = models.CharField(max_length=100, verbose_name=_("response identifier (UUID)"))
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    answered_on = models.DateField(db_index=True, verbose_name=_("answered on"))
    trust = models.BooleanField(null=True, verbose_name=_("trust"))
    security = models.BooleanField(null=True, verbose_name=_("feels secure"))
    trust_answer = models.CharField(max_length=50, blank=True, verbose_name=_("answer on trust"))
    security_answer = models.CharField(max_length=50, blank=True, verbose_name=_("answer on security"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "uuid"], name="ca_response_once")]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")


# --- Mediation and agreements ---------------------------------------------------------------


class MediationProcess(Exercise):
    class Status(models.TextChoices):
        ONGOING = "ongoing", _("Ongoing")
        SUSPENDED = "suspended", _("Suspended")
        AGREEMENT = "agreement", _("Ended in an agreement")
        FAILED = "failed", _("Ended without agreement")

    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="ca_mediations", verbose_name=_("mission")
    )
    title = models.CharField(_("title"), max_length=200)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    parties = models.TextField(_("parties"), help_text=_("one per line"))
    mediators = models.TextField(_("mediators"), help_text=_("one per line"))
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ONGOING)
    outcome = models.TextField(_("outcome"), blank=True)
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        ordering = ["-started_on", "pk"]
        verbose_name = _("mediation process")
        verbose_name_plural = _("mediation processes")

    def __str__(self) -> str:
        return self.title


class MediationSession(models.Model):
    process = models.ForeignKey(
        MediationProcess, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("mediation process")
    )
    held_on = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")

    def __str__(self) -> str:
        return f"{self.process} {self.held_on}"


class PeaceAgreement(Exercise):
    """A national peace agreement or a local agreement, broken into provisions."""

    class Kind(models.TextChoices):
        PEACE = "peace", _("Peace agreement")
        LOCAL = "local", _("Local agreement")

    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="ca_agreements", verbose_name=_("mission")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.PEACE)
    title = models.CharField(_("title"), max_length=300)
    signed_on = models.DateField(_("signed on"))
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    parties = models.TextField(_("parties"), help_text=_("one per line"))
    mediation = models.ForeignKey(
        MediationProcess,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
        verbose_name=_("mediation process"),
    )
    summary = models.TextField(_("summary"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("where the text is published"))
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)

    class Meta:
        ordering = ["-signed_on", "pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title


class Implementation(models.IntegerChoices):
    """The Peace Accords Matrix (Kroc Institute) implementation scale."""

    NOT_IMPLEMENTED = 0, _("Not implemented")
    MINIMAL = 1, _("Minimal")
    INTERMEDIATE = 2, _("Intermediate")
    FULL = 3, _("Full")


class Provision(models.Model):
    agreement = models.ForeignKey(
        PeaceAgreement, on_delete=models.CASCADE, related_name="provisions", verbose_name=_("agreement")
    )
    reference = models.CharField(_("reference"), max_length=50, help_text=_("article or clause, e.g. Art. IX"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what it provides"), blank=True)
    responsible = models.CharField(_("responsible actor"), max_length=200)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # The latest assessment, kept here for lists; the history holds every one.
    status = models.PositiveSmallIntegerField(
        _("implementation"), choices=Implementation.choices, default=Implementation.NOT_IMPLEMENTED
    )
    status_on = models.DateField(_("assessed on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["agreement", "order", "pk"]
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def overdue_on(self, day) -> bool:
        return self.deadline is not None and self.deadline < day and self.status != Implementation.FULL


class ProvisionStatus(models.Model):
    """One assessment of a provision's implementation. Append-only (cases.assess_provision)."""

    provision = models.ForeignKey(
        Provision, on_delete=models.CASCADE, related_name="history", verbose_name=_("provision")
    )
    on = models.DateField(_("assessed on"))
    status = models.PositiveSmallIntegerField(_("implementation"), choices=Implementation.choices)
    note = models.TextField(_("evidence / note"), blank=True)
    exercise = models.BooleanField(_("exercise assessment"), default=False)
    by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("implementation assessment")
        verbose_name_plural = _("implementation assessments")
