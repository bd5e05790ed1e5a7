"""What happened: conflict events (UCDP GED) and national conflict-month series."""

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
    relid = models.CharField(max_length=50, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    active_year = models.BooleanField(default=False)
    code_status = models.CharField(max_length=30, blank=True)
    type_of_violence = models.PositiveSmallIntegerField(_("type of violence"), choices=ViolenceType.choices, db_index=True)
    conflict_dset_id = models.IntegerField(null=True, blank=True)
    conflict_new_id = models.IntegerField(null=True, blank=True)
    conflict_name = models.CharField(_("conflict"), max_length=300, blank=True)
    dyad_dset_id = models.IntegerField(null=True, blank=True)
    dyad_new_id = models.IntegerField(null=True, blank=True)
    dyad_name = models.CharField(_("dyad"), max_length=300, blank=True)
    side_a_dset_id = models.IntegerField(null=True, blank=True)
    side_a_new_id = models.IntegerField(null=True, blank=True)
    side_a_name = models.CharField(_("side A"), max_length=300, blank=True)
    side_a = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="events_as_side_a")
    side_b_dset_id = models.IntegerField(null=True, blank=True)
    side_b_new_id = models.IntegerField(null=True, blank=True)
    side_b_name = models.CharField(_("side B"), max_length=300, blank=True)
    side_b = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="events_as_side_b")
    number_of_sources = models.IntegerField(null=True, blank=True)
    source_article = models.TextField(_("source article"), blank=True)
    source_office = models.TextField(blank=True)
    source_date = models.TextField(blank=True)
    source_headline = models.TextField(blank=True)
    source_original = models.TextField(_("original source"), blank=True)
    where_prec = models.PositiveSmallIntegerField(_("location precision"), null=True, blank=True, help_text=_("1 exact place ... 7 international waters"))
    where_coordinates = models.CharField(max_length=300, blank=True)
    where_description = models.TextField(_("place description"), blank=True)
    adm_1 = models.CharField(_("admin 1"), max_length=200, blank=True, db_index=True)
    adm_2 = models.CharField(_("admin 2"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    priogrid_gid = models.IntegerField(_("PRIO-GRID cell"), null=True, blank=True, db_index=True)
    country_name = models.CharField(_("country"), max_length=200)
    country_gwno = models.IntegerField(_("Gleditsch-Ward number"), null=True, blank=True, help_text=_("GED column country_id"))
    country = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="conflict_events")
    region = models.CharField(max_length=100, blank=True)
    event_clarity = models.PositiveSmallIntegerField(null=True, blank=True)
    date_prec = models.PositiveSmallIntegerField(_("date precision"), null=True, blank=True, help_text=_("1 exact day ... 5 more than a month"))
    date_start = models.DateField(_("start date"), db_index=True)
    date_end = models.DateField(_("end date"))
    deaths_a = models.IntegerField(default=0)
    deaths_b = models.IntegerField(default=0)
    deaths_civilians = models.IntegerField(_("civilian deaths"), default=0)
    deaths_unknown = models.IntegerField(default=0)
    best = models.IntegerField(_("fatalities (best)"), default=0)
    high = models.IntegerField(_("fatalities (high)"), default=0)
    low = models.IntegerField(_("fatalities (low)"), default=0)
    gwnoa = models.CharField(max_length=100, blank=True)
    gwnob = models.CharField(max_length=100, blank=True)

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
    country = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="conflict_months")
    month = models.DateField(_("month"), help_text=_("first day of the month"))
    side_a = models.CharField(_("side A"), max_length=200, blank=True)
    side_a_2nd = models.CharField(max_length=200, blank=True)
    side_b = models.CharField(_("side B"), max_length=200, blank=True)
    side_b_2nd = models.CharField(max_length=200, blank=True)
    mission = models.ForeignKey(Mission, null=True, blank=True, on_delete=models.PROTECT, related_name="conflict_months")
    pko_present = models.BooleanField(null=True, blank=True)
    osv_all = models.FloatField(_("civilians killed (all perpetrators)"), null=True, blank=True)
    osv_rebels = models.FloatField(_("civilians killed by rebels"), null=True, blank=True)
    osv_government = models.FloatField(_("civilians killed by government"), null=True, blank=True)
    troops_lag = models.FloatField(_("UN troops last month (thousands)"), null=True, blank=True)
    police_lag = models.FloatField(_("UN police last month (thousands)"), null=True, blank=True)
    observers_lag = models.FloatField(_("UN observers last month (thousands)"), null=True, blank=True)
    battle_deaths_lag = models.FloatField(_("battle deaths last month"), null=True, blank=True)
    ceasefire = models.BooleanField(null=True, blank=True)
    poc_mandate = models.BooleanField(null=True, blank=True)
    robust_mandate = models.BooleanField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True, help_text=_("the source's other columns, as read"))

    class Meta:
        ordering = ["country", "month"]
        constraints = [models.UniqueConstraint(fields=["conflict_id", "month"], name="one_row_per_conflict_month")]
        verbose_name = _("conflict month")
        verbose_name_plural = _("conflict months")

    def __str__(self) -> str:
        return f"{self.country} {self.month:%Y-%m}"
