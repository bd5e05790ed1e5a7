"""What happened: conflict events (UCDP GED) and national conflict-month series; and the
mission's own situational picture: incidents with their sources, casualties, attachments and
append-only history, duplicate proposals, ceasefire agreements with monitored zones, alert
rules and alerts, and response tasks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.crypto import EncryptedTextField
from bluehelmet.core.models import Mission, Organization, Place, Sharing
from bluehelmet.core.sensitivity import Sensitivity


class ConflictEvent(models.Model):
    """One event of organised violence, with the UCDP GED fields.

    Field names follow the GED codebook so a GED row maps one to one; `side_a`/`side_b`
    link the named actors to organizations, and `country` to the country place.
    """

    class ViolenceType(models.IntegerChoices):
        STATE_BASED = 1, _("State-based conflict")
        NON_STATE = 2, _("Non-state conflict")
        ONE_SIDED = 3, _("One-sided violence")

    ged_id = models.BigIntegerField(_("GED id"), unique=True, null=True, blank=True)
    dataset = models.CharField(_("dataset"), max_length=50, default="UCDP GED")
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)
    relid = models.CharField(max_length=50, blank=True, verbose_name=_("UCDP release identifier"))
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    active_year = models.BooleanField(default=False, verbose_name=_("active conflict year"))
    code_status = models.CharField(max_length=30, blank=True, verbose_name=_("coding status"))
    type_of_violence = models.PositiveSmallIntegerField(
        _("type of violence"), choices=ViolenceType.choices, db_index=True
    )
    conflict_dset_id = models.IntegerField(null=True, blank=True, verbose_name=_("conflict identifier (dataset)"))
    conflict_new_id = models.IntegerField(null=True, blank=True, verbose_name=_("conflict identifier (new)"))
    conflict_name = models.CharField(_("conflict"), max_length=300, blank=True)
    dyad_dset_id = models.IntegerField(null=True, blank=True, verbose_name=_("dyad identifier (dataset)"))
    dyad_new_id = models.IntegerField(null=True, blank=True, verbose_name=_("dyad identifier (new)"))
    dyad_name = models.CharField(_("dyad"), max_length=300, blank=True)
    side_a_dset_id = models.IntegerField(null=True, blank=True, verbose_name=_("side A identifier (dataset)"))
    side_a_new_id = models.IntegerField(null=True, blank=True, verbose_name=_("side A identifier (new)"))
    side_a_name = models.CharField(_("side A"), max_length=300, blank=True)
    side_a = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events_as_side_a",
        verbose_name=_("side A"),
    )
    side_b_dset_id = models.IntegerField(null=True, blank=True, verbose_name=_("side B identifier (dataset)"))
    side_b_new_id = models.IntegerField(null=True, blank=True, verbose_name=_("side B identifier (new)"))
    side_b_name = models.CharField(_("side B"), max_length=300, blank=True)
    side_b = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events_as_side_b",
        verbose_name=_("side B"),
    )
    number_of_sources = models.IntegerField(null=True, blank=True, verbose_name=_("number of sources"))
    source_article = models.TextField(_("source article"), blank=True)
    source_office = models.TextField(blank=True, verbose_name=_("source agency"))
    source_date = models.TextField(blank=True, verbose_name=_("source date"))
    source_headline = models.TextField(blank=True, verbose_name=_("source headline"))
    source_original = models.TextField(_("original source"), blank=True)
    where_prec = models.PositiveSmallIntegerField(
        _("location precision"), null=True, blank=True, help_text=_("1 exact place ... 7 international waters")
    )
    where_coordinates = models.CharField(max_length=300, blank=True, verbose_name=_("place of the coordinates"))
    where_description = models.TextField(_("place description"), blank=True)
    adm_1 = models.CharField(_("admin 1"), max_length=200, blank=True, db_index=True)
    adm_2 = models.CharField(_("admin 2"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    priogrid_gid = models.IntegerField(_("PRIO-GRID cell"), null=True, blank=True, db_index=True)
    country_name = models.CharField(_("country"), max_length=200)
    country_gwno = models.IntegerField(
        _("Gleditsch-Ward number"), null=True, blank=True, help_text=_("GED column country_id")
    )
    country = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conflict_events",
        verbose_name=_("country"),
    )
    region = models.CharField(max_length=100, blank=True, verbose_name=_("region"))
    event_clarity = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("event clarity"))
    date_prec = models.PositiveSmallIntegerField(
        _("date precision"), null=True, blank=True, help_text=_("1 exact day ... 5 more than a month")
    )
    date_start = models.DateField(_("start date"), db_index=True)
    date_end = models.DateField(_("end date"))
    deaths_a = models.IntegerField(default=0, verbose_name=_("deaths on side A"))
    deaths_b = models.IntegerField(default=0, verbose_name=_("deaths on side B"))
    deaths_civilians = models.IntegerField(_("civilian deaths"), default=0)
    deaths_unknown = models.IntegerField(default=0, verbose_name=_("deaths of unknown status"))
    best = models.IntegerField(_("fatalities (best)"), default=0)
    high = models.IntegerField(_("fatalities (high)"), default=0)
    low = models.IntegerField(_("fatalities (low)"), default=0)
    gwnoa = models.CharField(max_length=100, blank=True, verbose_name=_("Gleditsch-Ward number of side A"))
    gwnob = models.CharField(max_length=100, blank=True, verbose_name=_("Gleditsch-Ward number of side B"))

    class Meta:
        ordering = ["-date_start", "ged_id"]
        verbose_name = _("conflict event")
        verbose_name_plural = _("conflict events")
        indexes = [models.Index(fields=["country", "date_start"])]

    def __str__(self) -> str:
        return f"{self.date_start} {self.where_description or self.country_name} ({self.best})"


class ConflictMonth(models.Model):
    """One month of one conflict in a country: violence against civilians, battle deaths and
    UN presence (the Hultman, Kathman & Shannon 2013 conflict-month design).

    Columns named `*_lag` hold the previous month's value, as in the source data.
    """

    conflict_id = models.IntegerField(_("conflict id"))
    episode_id = models.IntegerField(_("episode id"), null=True, blank=True)
    country = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="conflict_months", verbose_name=_("country")
    )
    month = models.DateField(_("month"), help_text=_("first day of the month"))
    side_a = models.CharField(_("side A"), max_length=200, blank=True)
    side_a_2nd = models.CharField(max_length=200, blank=True, verbose_name=_("secondary supporters of side A"))
    side_b = models.CharField(_("side B"), max_length=200, blank=True)
    side_b_2nd = models.CharField(max_length=200, blank=True, verbose_name=_("secondary supporters of side B"))
    mission = models.ForeignKey(
        Mission,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conflict_months",
        verbose_name=_("mission"),
    )
    pko_present = models.BooleanField(null=True, blank=True, verbose_name=_("peacekeeping operation present"))
    osv_all = models.FloatField(_("civilians killed (all perpetrators)"), null=True, blank=True)
    osv_rebels = models.FloatField(_("civilians killed by rebels"), null=True, blank=True)
    osv_government = models.FloatField(_("civilians killed by government"), null=True, blank=True)
    troops_lag = models.FloatField(_("UN troops last month (thousands)"), null=True, blank=True)
    police_lag = models.FloatField(_("UN police last month (thousands)"), null=True, blank=True)
    observers_lag = models.FloatField(_("UN observers last month (thousands)"), null=True, blank=True)
    battle_deaths_lag = models.FloatField(_("battle deaths last month"), null=True, blank=True)
    ceasefire = models.BooleanField(null=True, blank=True, verbose_name=_("ceasefire in force"))
    poc_mandate = models.BooleanField(null=True, blank=True, verbose_name=_("protection of civilians mandate"))
    robust_mandate = models.BooleanField(null=True, blank=True, verbose_name=_("robust mandate"))
    extra = models.JSONField(
        default=dict, blank=True, help_text=_("the source's other columns, as read"), verbose_name=_("other columns")
    )

    class Meta:
        ordering = ["country", "month"]
        constraints = [models.UniqueConstraint(fields=["conflict_id", "month"], name="one_row_per_conflict_month")]
        verbose_name = _("conflict month")
        verbose_name_plural = _("conflict months")

    def __str__(self) -> str:
        return f"{self.country} {self.month:%Y-%m}"


# --- Situational awareness: incidents reported by the mission, their sources and history ----


class IncidentType(models.Model):
    """One entry of a mission's incident taxonomy; the mission edits its own list."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="incident_types", verbose_name=_("mission")
    )
    code = models.SlugField(_("code"), max_length=50, help_text=_("short stable name used by the API and imports"))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("inactive types stay on old incidents but are not offered")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["mission", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["mission", "code"], name="one_incident_type_code_per_mission")]
        verbose_name = _("incident type")
        verbose_name_plural = _("incident types")

    def __str__(self) -> str:
        return self.name


class Incident(models.Model):
    """An incident reported to the mission (or imported from an external dataset)."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        UNDER_VERIFICATION = "under_verification", _("Under verification")
        VERIFIED = "verified", _("Verified")
        UNCONFIRMED = "unconfirmed", _("Unconfirmed")
        FALSE = "false", _("False")

    class DatePrecision(models.TextChoices):
        TIME = "time", _("Exact date and time")
        DAY = "day", _("Day (time unknown)")
        WEEK = "week", _("Within a week")
        MONTH = "month", _("Within a month")

    class LocationPrecision(models.IntegerChoices):
        # The UCDP GED where_prec codes, so exports read like GED.
        EXACT = 1, _("1: exact location")
        NEAR = 2, _("2: within about 25 km")
        ADM2 = 3, _("3: second-order admin area")
        ADM1 = 4, _("4: first-order admin area")
        LINEAR = 5, _("5: along a road or river, or a larger area")
        COUNTRY = 6, _("6: country only")

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("mission"))
    client_id = models.UUIDField(
        _("client id"),
        unique=True,
        help_text=_("generated by the reporting device, so a re-sent report is stored once"),
    )
    type = models.ForeignKey(IncidentType, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("type"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REPORTED, db_index=True
    )
    occurred_at = models.DateTimeField(_("date and time"), db_index=True)
    date_precision = models.CharField(
        _("date precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.TIME
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    location_precision = models.PositiveSmallIntegerField(
        _("location precision"), choices=LocationPrecision.choices, default=LocationPrecision.EXACT
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("admin area")
    )
    location_description = models.CharField(_("place description"), max_length=300, blank=True)
    priogrid_gid = models.IntegerField(_("PRIO-GRID cell"), null=True, blank=True, db_index=True)
    perpetrators = models.ManyToManyField(
        Organization, blank=True, related_name="incidents_as_perpetrator", verbose_name=_("perpetrators")
    )
    targets = models.ManyToManyField(
        Organization, blank=True, related_name="incidents_as_target", verbose_name=_("targets")
    )
    narrative = models.TextField(_("narrative"))
    # Totals of the casualty rows, kept on the incident for filters, maps and alert rules.
    killed = models.PositiveIntegerField(_("killed"), default=0)
    injured = models.PositiveIntegerField(_("injured"), default=0)
    abducted = models.PositiveIntegerField(_("abducted"), default=0)
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)
    # Who may see and export the report within the mission (core.sensitivity, TLP 2.0).
    sensitivity = models.CharField(
        _("sensitivity"),
        max_length=10,
        choices=Sensitivity.choices,
        default=Sensitivity.AMBER,
        db_index=True,
        help_text=_("TLP label: who in the mission may see and export this report"),
    )
    agreement = models.ForeignKey(
        "Agreement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="violations",
        verbose_name=_("ceasefire agreement"),
    )
    zones = models.ManyToManyField(
        "MonitoredZone", blank=True, related_name="incidents", verbose_name=_("monitored zones")
    )
    in_zone = models.BooleanField(_("inside a monitored zone"), default=False, db_index=True)
    external = models.BooleanField(
        _("external"), default=False, help_text=_("imported from a published dataset, verified by its source")
    )
    source_dataset = models.CharField(_("dataset"), max_length=50, blank=True)
    external_id = models.CharField(_("id in the dataset"), max_length=100, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_reports",
        verbose_name=_("merged into"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [models.Index(fields=["mission", "occurred_at"]), models.Index(fields=["mission", "updated_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "source_dataset", "external_id"],
                condition=models.Q(external=True),
                name="one_incident_per_external_record",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.type} {self.occurred_at:%Y-%m-%d}"

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class Casualty(models.Model):
    """A count of people killed, injured or abducted in an incident, by group, sex and age
    where known."""

    class Kind(models.TextChoices):
        KILLED = "killed", _("Killed")
        INJURED = "injured", _("Injured")
        ABDUCTED = "abducted", _("Abducted")

    class Group(models.TextChoices):
        CIVILIAN = "civilian", _("Civilians")
        COMBATANT = "combatant", _("Combatants")
        PEACEKEEPER = "peacekeeper", _("Peacekeepers")
        UNKNOWN = "unknown", _("Unknown")

    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        UNKNOWN = "unknown", _("Unknown")

    class Age(models.TextChoices):
        ADULT = "adult", _("Adult")
        CHILD = "child", _("Child (under 18)")
        UNKNOWN = "unknown", _("Unknown")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="casualties", verbose_name=_("incident")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    group = models.CharField(_("group"), max_length=12, choices=Group.choices, default=Group.UNKNOWN)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    age = models.CharField(_("age"), max_length=10, choices=Age.choices, default=Age.UNKNOWN)
    count = models.PositiveIntegerField(_("count"))

    # The largest count of one row, and of an incident's killed, injured or abducted total: the
    # report page, the API and the batch endpoint all check against it (a total past what a
    # database integer holds was a 500).
    MAX_COUNT = 100_000

    class Meta:
        ordering = ["incident", "kind", "group"]
        verbose_name = _("casualty count")
        verbose_name_plural = _("casualty counts")

    def __str__(self) -> str:
        return f"{self.count} {self.get_kind_display()} ({self.get_group_display()}, {self.get_sex_display()}, {self.get_age_display()})"


class Source(models.Model):
    """Who told us, graded on the 6x6 (Admiralty) scale. `identity` is sensitive: encrypted at
    rest, only the mission's administrators and analysts see it, and each view is logged."""

    class Kind(models.TextChoices):
        UN_PERSONNEL = "un_personnel", _("UN personnel / patrol")
        WITNESS = "witness", _("Witness or victim")
        COMMUNITY = "community", _("Community contact")
        AUTHORITY = "authority", _("Local or national authority")
        NGO = "ngo", _("NGO or humanitarian")
        MEDIA = "media", _("Media")
        DATASET = "dataset", _("Published dataset")
        OTHER = "other", _("Other")

    class Reliability(models.TextChoices):
        A = "A", _("A: completely reliable")
        B = "B", _("B: usually reliable")
        C = "C", _("C: fairly reliable")
        D = "D", _("D: not usually reliable")
        E = "E", _("E: unreliable")
        F = "F", _("F: reliability cannot be judged")

    class Credibility(models.IntegerChoices):
        CONFIRMED = 1, _("1: confirmed by other sources")
        PROBABLY_TRUE = 2, _("2: probably true")
        POSSIBLY_TRUE = 3, _("3: possibly true")
        DOUBTFUL = 4, _("4: doubtful")
        IMPROBABLE = 5, _("5: improbable")
        CANNOT_JUDGE = 6, _("6: truth cannot be judged")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="sources", verbose_name=_("incident"))
    kind = models.CharField(_("kind of source"), max_length=20, choices=Kind.choices)
    description = models.CharField(
        _("description"), max_length=300, blank=True, help_text=_("not identifying, e.g. 'market trader in the town'")
    )
    identity = EncryptedTextField(
        _("identity and contact"),
        blank=True,
        help_text=_("sensitive: visible to the mission's administrators and analysts only"),
    )
    reliability = models.CharField(_("reliability"), max_length=1, choices=Reliability.choices)
    credibility = models.PositiveSmallIntegerField(_("credibility"), choices=Credibility.choices)
    # The report a source came in with, kept when that report is merged into another.
    first_incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("first incident")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["incident", "added_at", "id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.grading}"

    @property
    def grading(self) -> str:
        return f"{self.reliability}{self.credibility}"


def attachment_path(attachment, filename: str) -> str:
    return f"incidents/{attachment.incident.mission_id}/{attachment.incident_id}/{filename}"


class Attachment(models.Model):
    """A photo or document attached to an incident; served only through the incident's page."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("incident")
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=100, blank=True, verbose_name=_("file type"))
    size = models.PositiveIntegerField(default=0, verbose_name=_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # The report it came with, kept when that report is merged into another: whoever may not
    # see that report (a RED one) is not served its files on the kept report's page.
    first_incident = models.ForeignKey(
        Incident,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("first incident"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["incident", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class AppendOnlyError(Exception):
    pass


class IncidentHistory(models.Model):
    """One entry of the append-only history: who did what, when, the values before and after,
    and why. Written through incidents.history.record; never changed or deleted."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+", verbose_name=_("mission"))
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="history", verbose_name=_("incident")
    )
    alert = models.ForeignKey(
        "Alert", null=True, blank=True, on_delete=models.PROTECT, related_name="history", verbose_name=_("alert")
    )
    task = models.ForeignKey(
        "ResponseTask",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="history",
        verbose_name=_("response task"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=40)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("incident history entry")
        verbose_name_plural = _("incident history")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("History entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("History entries are never deleted.")


class DuplicateProposal(models.Model):
    """Two reports that look like one incident (same type, close in place and time), proposed
    to an analyst who merges or rejects them. `first` has the smaller id."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        MERGED = "merged", _("Merged")
        REJECTED = "rejected", _("Not the same incident")

    first = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+", verbose_name=_("first report"))
    second = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+", verbose_name=_("second report"))
    distance_km = models.FloatField(_("distance (km)"))
    hours_apart = models.FloatField(_("hours apart"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="one_proposal_per_pair")]
        verbose_name = _("proposed duplicate")
        verbose_name_plural = _("proposed duplicates")

    def __str__(self) -> str:
        return f"#{self.first_id} ~ #{self.second_id} ({self.get_status_display()})"


# --- Ceasefires -------------------------------------------------------------------------------


class Agreement(models.Model):
    """A ceasefire or peace agreement the mission monitors."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=300)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    effective_from = models.DateField(_("in force from"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True, help_text=_("empty while in force"))
    parties = models.ManyToManyField(Organization, related_name="agreements", verbose_name=_("parties"))
    provisions = models.TextField(_("provisions"), blank=True)
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.PUBLIC)

    class Meta:
        ordering = ["mission", "-effective_from"]
        verbose_name = _("ceasefire agreement")
        verbose_name_plural = _("ceasefire agreements")

    def __str__(self) -> str:
        return self.name

    def in_force_on(self, day) -> bool:
        return self.effective_from <= day and (self.ends_on is None or day <= self.ends_on)


class MonitoredZone(models.Model):
    """A buffer or demilitarised zone of an agreement, a polygon in GeoJSON."""

    class Kind(models.TextChoices):
        BUFFER = "buffer", _("Buffer zone")
        DEMILITARISED = "demilitarised", _("Demilitarised zone")
        WEAPONS_FREE = "weapons_free", _("Weapons-free zone")
        OTHER = "other", _("Other monitored zone")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="zones", verbose_name=_("ceasefire agreement")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BUFFER)
    geometry = models.JSONField(_("geometry"), help_text=_("GeoJSON Polygon or MultiPolygon"))
    min_lon = models.FloatField(verbose_name=_("minimum longitude"))
    min_lat = models.FloatField(verbose_name=_("minimum latitude"))
    max_lon = models.FloatField(verbose_name=_("maximum longitude"))
    max_lat = models.FloatField(verbose_name=_("maximum latitude"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["agreement", "name"]
        verbose_name = _("monitored zone")
        verbose_name_plural = _("monitored zones")

    def __str__(self) -> str:
        return self.name


# --- Alerts and rapid response ----------------------------------------------------------------


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


class AlertRule(models.Model):
    """A condition the mission watches for; when it holds an alert is raised."""

    class Kind(models.TextChoices):
        CLUSTER = "cluster", _("N incidents of given types within R km in T hours")
        ZONE = "zone", _("Any incident inside a monitored zone")
        CASUALTIES = "casualties", _("Casualties at or above a threshold")
        RISK = "risk", _("Early-warning risk at or above a threshold")

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="alert_rules", verbose_name=_("mission")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    incident_types = models.ManyToManyField(
        IncidentType, blank=True, related_name="+", verbose_name=_("incident types"), help_text=_("none: every type")
    )
    min_count = models.PositiveIntegerField(_("N incidents"), null=True, blank=True)
    radius_km = models.FloatField(_("within R km"), null=True, blank=True)
    window_hours = models.PositiveIntegerField(_("in T hours"), null=True, blank=True)
    casualty_threshold = models.PositiveIntegerField(
        _("casualties (killed + injured + abducted) at least"), null=True, blank=True
    )
    risk_threshold = models.FloatField(_("risk probability at least"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    subscribers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Subscription", blank=True, related_name="+", verbose_name=_("subscribers")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["mission", "name"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    """A user told of a rule's alerts: always in the app, by e-mail and SMS if chosen."""

    rule = models.ForeignKey(
        AlertRule, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("alert rule")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscriptions", verbose_name=_("user")
    )
    by_email = models.BooleanField(_("by e-mail"), default=True)
    by_sms = models.BooleanField(_("by SMS"), default=False)
    phone = models.CharField(_("phone number for SMS"), max_length=30, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "user"], name="one_subscription_per_rule_user")]
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")


class Alert(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        CLOSED = "closed", _("Closed")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("mission"))
    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("alert rule"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    title = models.CharField(_("title"), max_length=300)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.OPEN, db_index=True)
    incident = models.ForeignKey(
        Incident,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
        verbose_name=_("triggering incident"),
    )
    incidents = models.ManyToManyField(Incident, blank=True, related_name="+", verbose_name=_("incidents"))
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    risk = models.FloatField(_("risk"), null=True, blank=True)
    # The strictest label of the incidents it derives from (incidents.labels), never set by hand:
    # its title and message tell what those incidents say.
    sensitivity = models.CharField(
        _("sensitivity"),
        max_length=10,
        choices=Sensitivity.choices,
        default=Sensitivity.AMBER,
        editable=False,
        db_index=True,
    )
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True, db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    """An alert shown to one user in the app until read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alert_notifications",
        verbose_name=_("recipient"),
    )
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("alert"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))
    emailed = models.BooleanField(default=False, verbose_name=_("sent by e-mail"))
    sms_sent = models.BooleanField(default=False, verbose_name=_("sent by SMS"))

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "alert"], name="one_notification_per_user_alert")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")


class ResponseTask(models.Model):
    """Something a unit or team is to do about an alert or an incident."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="response_tasks", verbose_name=_("mission")
    )
    alert = models.ForeignKey(
        Alert, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("alert")
    )
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("incident")
    )
    title = models.CharField(_("task"), max_length=300)
    assigned_to = models.CharField(_("assigned unit or team"), max_length=200)
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.OPEN, db_index=True)
    outcome = models.TextField(_("outcome"), blank=True)
    # The strictest label of its alert and incident (incidents.labels), never set by hand.
    sensitivity = models.CharField(
        _("sensitivity"),
        max_length=10,
        choices=Sensitivity.choices,
        default=Sensitivity.AMBER,
        editable=False,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("response task")
        verbose_name_plural = _("response tasks")

    def __str__(self) -> str:
        return self.title

    @property
    def time_to_respond(self):
        """From the alert (or the task, when it came from an incident) to the start of work."""
        if self.started_at is None:
            return None
        origin = self.alert.created_at if self.alert_id else self.created_at
        return self.started_at - origin
