"""Forecast runs and what they forecast: risk of violence per place and month ahead."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.job_records import JobRecord
from bluehelmet.core.models import Mission, Place, Sharing


class ForecastRun(JobRecord):
    """One forecast for a mission: the model fitted on the data up to `data_cutoff`, its
    out-of-sample scores, and forecasts for the months after the cut-off. A failed run keeps
    its reason and changes nothing else; the pages show the latest successful run."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="forecast_runs", verbose_name=_("mission")
    )
    model_name = models.CharField(_("model"), max_length=60)
    target = models.CharField(_("target"), max_length=30, default="ged_best")
    data_cutoff = models.DateField(
        _("data cut-off"), null=True, blank=True, help_text=_("last month of data the model saw")
    )
    horizons = models.JSONField(_("horizons"), default=list)
    options = models.JSONField(default=dict, blank=True, verbose_name=_("options"))
    metrics = models.JSONField(_("out-of-sample scores"), default=dict, blank=True)
    importance = models.JSONField(_("feature importance"), default=dict, blank=True)
    notes = models.JSONField(
        default=list,
        blank=True,
        help_text=_("what the run could not do, e.g. no boundary file"),
        verbose_name=_("notes"),
    )
    sharing = models.CharField(_("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.MISSION)
    review = models.JSONField(
        _("look back at the previous run"),
        default=dict,
        blank=True,
        help_text=_("the previous run's forecasts against what happened, and what changed since (earlywarning.review)"),
    )

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("forecast run")
        verbose_name_plural = _("forecast runs")

    def __str__(self) -> str:
        cutoff = f"{self.data_cutoff:%Y-%m}" if self.data_cutoff else "?"
        return f"{self.mission} {self.model_name} to {cutoff} ({self.status})"


class ForecastUnit(models.Model):
    """One place a run forecasts: a PRIO-GRID cell or an admin area (a Place where the
    mission's boundary files have it, else the area's GED name)."""

    class Level(models.TextChoices):
        CELL = "pgm", _("PRIO-GRID cell")
        ADMIN = "admin", _("Admin area")

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="units", verbose_name=_("forecast run"))
    level = models.CharField(_("level"), max_length=5, choices=Level.choices)
    key = models.CharField(
        max_length=255, help_text=_("cell id or area name as in the data"), verbose_name=_("unit key")
    )
    label = models.CharField(_("name"), max_length=255)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("place")
    )
    priogrid_gid = models.IntegerField(_("PRIO-GRID cell"), null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True, verbose_name=_("latitude"))
    longitude = models.FloatField(null=True, blank=True, verbose_name=_("longitude"))
    history = models.JSONField(
        default=list, help_text=_("observed values of the last months up to the cut-off"), verbose_name=_("history")
    )
    drivers = models.JSONField(
        default=dict,
        help_text=_("per horizon, the features that moved this forecast most (SHAP values)"),
        verbose_name=_("drivers"),
    )

    class Meta:
        ordering = ["run", "level", "label"]
        constraints = [models.UniqueConstraint(fields=["run", "level", "key"], name="one_unit_per_run_level_key")]
        verbose_name = _("forecast unit")
        verbose_name_plural = _("forecast units")

    def __str__(self) -> str:
        return self.label


class UnitForecast(models.Model):
    """The forecast for one unit, `horizon` months after the run's cut-off."""

    unit = models.ForeignKey(
        ForecastUnit, on_delete=models.CASCADE, related_name="forecasts", verbose_name=_("forecast unit")
    )
    horizon = models.PositiveSmallIntegerField(_("months ahead"))
    month = models.DateField(_("month"))
    point = models.FloatField(_("fatalities (point forecast)"))
    mean = models.FloatField(_("fatalities (mean)"))
    q05 = models.FloatField(verbose_name=_("5th percentile"))
    q25 = models.FloatField(verbose_name=_("25th percentile"))
    q50 = models.FloatField(verbose_name=_("median"))
    q75 = models.FloatField(verbose_name=_("75th percentile"))
    q95 = models.FloatField(verbose_name=_("95th percentile"))
    p_ge1 = models.FloatField(_("probability of at least 1 fatality"), db_index=True)
    p_ge25 = models.FloatField(_("probability of at least 25 fatalities"))

    class Meta:
        ordering = ["unit", "horizon"]
        constraints = [models.UniqueConstraint(fields=["unit", "horizon"], name="one_forecast_per_unit_horizon")]
        verbose_name = _("unit forecast")
        verbose_name_plural = _("unit forecasts")
