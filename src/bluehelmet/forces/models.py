"""UN presence: where the mission deployed, with how many, and how strong it was."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.models import Mission, Organization, Place, Sharing


class Deployment(models.Model):
    """One deployment map's entry for one site in one month (Geo-PKO location-month).

    `troops` is None when the source says the number is unknown: unknown is not zero.
    One map can list a site more than once (separate units); `sequence` tells them apart.
    """

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="deployments")
    site = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="deployments")
    month = models.DateField(_("month"), db_index=True, help_text=_("first day of the month"))
    source = models.CharField(_("source map"), max_length=100, blank=True)
    sequence = models.PositiveSmallIntegerField(default=1)
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)
    troops = models.IntegerField(_("troops"), null=True, blank=True, help_text=_("empty = unknown"))
    contributor_count = models.IntegerField(_("contributing countries"), null=True, blank=True)
    police = models.BooleanField(_("UN police present"), default=False)
    observers = models.BooleanField(_("military observers present"), default=False)
    headquarters = models.PositiveSmallIntegerField(_("headquarters level"), null=True, blank=True, help_text=_("Geo-PKO HQ code: 0 none, 1 sector, 2 regional, 3 mission"))
    liaison_office = models.BooleanField(default=False)
    reserve_troops = models.IntegerField(null=True, blank=True)
    force_protection_troops = models.IntegerField(null=True, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["mission", "month", "site"]
        constraints = [models.UniqueConstraint(fields=["mission", "site", "month", "source", "sequence"], name="one_deployment_row")]
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")

    def __str__(self) -> str:
        return f"{self.mission} {self.site} {self.month:%Y-%m}"


class DeploymentContribution(models.Model):
    """Troops one contributing country had at a deployment."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="contributions")
    country = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="troop_contributions", limit_choices_to={"kind": Organization.Kind.MEMBER_STATE})
    troops = models.IntegerField(_("troops"), null=True, blank=True, help_text=_("empty = unknown"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["deployment", "country"], name="one_contribution_per_country")]
        verbose_name = _("troop contribution")
        verbose_name_plural = _("troop contributions")


class SiteYear(models.Model):
    """Geo-PKO v2.3 aggregates for one mission, site and year: strength, unit types, contributors.

    Three source files fill different columns of the same row; a column stays empty until
    its file is imported.
    """

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="site_years")
    site = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="site_years")
    year = models.PositiveSmallIntegerField(_("year"))
    # frontmap
    troops = models.IntegerField(_("troops"), null=True, blank=True)
    average_troops = models.FloatField(_("average troops"), null=True, blank=True)
    infantry = models.IntegerField(null=True, blank=True)
    reserve = models.IntegerField(null=True, blank=True)
    headquarters = models.IntegerField(null=True, blank=True)
    police = models.IntegerField(_("UN police"), null=True, blank=True)
    medical = models.IntegerField(null=True, blank=True)
    aviation = models.IntegerField(null=True, blank=True)
    observers = models.IntegerField(_("military observers"), null=True, blank=True)
    # ttmap: unit types present
    infantry_units = models.IntegerField(null=True, blank=True)
    engineering_units = models.IntegerField(null=True, blank=True)
    medical_units = models.IntegerField(null=True, blank=True)
    signals_units = models.IntegerField(null=True, blank=True)
    aviation_units = models.IntegerField(null=True, blank=True)
    riverine_units = models.IntegerField(null=True, blank=True)
    maintenance_units = models.IntegerField(null=True, blank=True)
    transport_units = models.IntegerField(null=True, blank=True)
    # tccmap
    contributor_count = models.IntegerField(_("contributing countries"), null=True, blank=True)
    contributors_overview = models.TextField(blank=True)

    class Meta:
        ordering = ["mission", "year", "site"]
        constraints = [models.UniqueConstraint(fields=["mission", "site", "year"], name="one_site_year")]
        verbose_name = _("site-year aggregate")
        verbose_name_plural = _("site-year aggregates")


class MissionStrength(models.Model):
    """Authorised versus deployed uniformed personnel of a mission in one month."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="strengths")
    month = models.DateField(_("month"), help_text=_("first day of the month"))
    authorised_troops = models.IntegerField(null=True, blank=True)
    authorised_police = models.IntegerField(null=True, blank=True)
    authorised_observers = models.IntegerField(null=True, blank=True)
    troops = models.IntegerField(_("deployed troops"), null=True, blank=True)
    police = models.IntegerField(_("deployed police"), null=True, blank=True)
    observers = models.IntegerField(_("deployed observers"), null=True, blank=True)
    contributor_count = models.IntegerField(_("contributing countries"), null=True, blank=True)

    class Meta:
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
