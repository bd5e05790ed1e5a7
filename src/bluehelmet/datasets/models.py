"""Reference data: published data sets about conflicts and UN presence, read by every area.

Conflict events (UCDP GED) and conflict months (Hultman, Kathman & Shannon); Geo-PKO
deployments with their troop contributions and site-year aggregates; monthly mission
strength. They moved here from incidents and forces (issue 14) and keep the tables they had
there (`db_table`), so the move changed no data.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.models import Mission, Organization, Place, Sharing


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
    # The admin 1 area `adm_1` names ("Haute-Kotto prefecture" -> the Haute-Kotto place),
    # where the country's boundaries are loaded; see importers.places for the matching.
    admin_area = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("admin area"),
        help_text=_("the admin level 1 area named in adm_1"),
    )
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
        db_table = "incidents_conflictevent"  # the table it had in incidents (kept by the move)
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
        db_table = "incidents_conflictmonth"  # the table it had in incidents (kept by the move)
        ordering = ["country", "month"]
        constraints = [models.UniqueConstraint(fields=["conflict_id", "month"], name="one_row_per_conflict_month")]
        verbose_name = _("conflict month")
        verbose_name_plural = _("conflict months")

    def __str__(self) -> str:
        return f"{self.country} {self.month:%Y-%m}"


class Deployment(models.Model):
    """One deployment map's entry for one site in one month (Geo-PKO location-month).

    `troops` is None when the source says the number is unknown: unknown is not zero.
    One map can list a site more than once (separate units); `sequence` tells them apart.
    """

    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="deployments", verbose_name=_("mission")
    )
    site = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="deployments", verbose_name=_("site"))
    month = models.DateField(_("month"), db_index=True, help_text=_("first day of the month"))
    source = models.CharField(_("source map"), max_length=100, blank=True)
    sequence = models.PositiveSmallIntegerField(default=1, verbose_name=_("sequence number"))
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)
    troops = models.IntegerField(_("troops"), null=True, blank=True, help_text=_("empty = unknown"))
    contributor_count = models.IntegerField(_("contributing countries"), null=True, blank=True)
    police = models.BooleanField(_("UN police present"), default=False)
    observers = models.BooleanField(_("military observers present"), default=False)
    headquarters = models.PositiveSmallIntegerField(
        _("headquarters level"),
        null=True,
        blank=True,
        help_text=_("Geo-PKO HQ code: 0 none, 1 sector, 2 regional, 3 mission"),
    )
    liaison_office = models.BooleanField(default=False, verbose_name=_("liaison office"))
    reserve_troops = models.IntegerField(null=True, blank=True, verbose_name=_("reserve troops"))
    force_protection_troops = models.IntegerField(null=True, blank=True, verbose_name=_("force protection troops"))
    comments = models.TextField(blank=True, verbose_name=_("comments"))

    class Meta:
        db_table = "forces_deployment"  # the table it had in forces (kept by the move)
        ordering = ["mission", "month", "site"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "site", "month", "source", "sequence"], name="one_deployment_row"
            )
        ]
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")

    def __str__(self) -> str:
        return f"{self.mission} {self.site} {self.month:%Y-%m}"


class DeploymentContribution(models.Model):
    """Troops one contributing country had at a deployment."""

    deployment = models.ForeignKey(
        Deployment, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("deployment")
    )
    country = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="troop_contributions",
        limit_choices_to={"kind": Organization.Kind.MEMBER_STATE},
        verbose_name=_("contributing country"),
    )
    troops = models.IntegerField(_("troops"), null=True, blank=True, help_text=_("empty = unknown"))

    class Meta:
        db_table = "forces_deploymentcontribution"  # the table it had in forces (kept by the move)
        constraints = [models.UniqueConstraint(fields=["deployment", "country"], name="one_contribution_per_country")]
        verbose_name = _("troop contribution")
        verbose_name_plural = _("troop contributions")


class SiteYear(models.Model):
    """Geo-PKO v2.3 aggregates for one mission, site and year: strength, unit types, contributors.

    Three source files fill different columns of the same row; a column stays empty until
    its file is imported.
    """

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="site_years", verbose_name=_("mission"))
    site = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="site_years", verbose_name=_("site"))
    year = models.PositiveSmallIntegerField(_("year"))
    # frontmap
    troops = models.IntegerField(_("troops"), null=True, blank=True)
    average_troops = models.FloatField(_("average troops"), null=True, blank=True)
    infantry = models.IntegerField(null=True, blank=True, verbose_name=_("infantry"))
    reserve = models.IntegerField(null=True, blank=True, verbose_name=_("reserve"))
    headquarters = models.IntegerField(null=True, blank=True, verbose_name=_("headquarters"))
    police = models.IntegerField(_("UN police"), null=True, blank=True)
    medical = models.IntegerField(null=True, blank=True, verbose_name=_("medical"))
    aviation = models.IntegerField(null=True, blank=True, verbose_name=_("aviation"))
    observers = models.IntegerField(_("military observers"), null=True, blank=True)
    # ttmap: unit types present
    infantry_units = models.IntegerField(null=True, blank=True, verbose_name=_("infantry units"))
    engineering_units = models.IntegerField(null=True, blank=True, verbose_name=_("engineering units"))
    medical_units = models.IntegerField(null=True, blank=True, verbose_name=_("medical units"))
    signals_units = models.IntegerField(null=True, blank=True, verbose_name=_("signals units"))
    aviation_units = models.IntegerField(null=True, blank=True, verbose_name=_("aviation units"))
    riverine_units = models.IntegerField(null=True, blank=True, verbose_name=_("riverine units"))
    maintenance_units = models.IntegerField(null=True, blank=True, verbose_name=_("maintenance units"))
    transport_units = models.IntegerField(null=True, blank=True, verbose_name=_("transport units"))
    # tccmap
    contributor_count = models.IntegerField(_("contributing countries"), null=True, blank=True)
    contributors_overview = models.TextField(blank=True, verbose_name=_("contributors overview"))

    class Meta:
        db_table = "forces_siteyear"  # the table it had in forces (kept by the move)
        ordering = ["mission", "year", "site"]
        constraints = [models.UniqueConstraint(fields=["mission", "site", "year"], name="one_site_year")]
        verbose_name = _("site-year aggregate")
        verbose_name_plural = _("site-year aggregates")


class MissionStrength(models.Model):
    """Authorised versus deployed uniformed personnel of a mission in one month."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="strengths", verbose_name=_("mission"))
    month = models.DateField(_("month"), help_text=_("first day of the month"))
    authorised_troops = models.IntegerField(null=True, blank=True, verbose_name=_("authorised troops"))
    authorised_police = models.IntegerField(null=True, blank=True, verbose_name=_("authorised police"))
    authorised_observers = models.IntegerField(null=True, blank=True, verbose_name=_("authorised observers"))
    troops = models.IntegerField(_("deployed troops"), null=True, blank=True)
    police = models.IntegerField(_("deployed police"), null=True, blank=True)
    observers = models.IntegerField(_("deployed observers"), null=True, blank=True)
    contributor_count = models.IntegerField(_("contributing countries"), null=True, blank=True)

    class Meta:
        db_table = "forces_missionstrength"  # the table it had in forces (kept by the move)
        ordering = ["mission", "month"]
        constraints = [models.UniqueConstraint(fields=["mission", "month"], name="one_strength_per_month")]
        verbose_name = _("mission strength")
        verbose_name_plural = _("mission strengths")

    def __str__(self) -> str:
        return f"{self.mission} {self.month:%Y-%m}"

    @staticmethod
    def _shortfall(authorised, deployed):
        return None if authorised is None or deployed is None else max(authorised - deployed, 0)

    @property
    def troop_shortfall(self):
        return self._shortfall(self.authorised_troops, self.troops)

    @property
    def police_shortfall(self):
        return self._shortfall(self.authorised_police, self.police)

    @property
    def observer_shortfall(self):
        return self._shortfall(self.authorised_observers, self.observers)
