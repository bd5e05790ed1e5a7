"""A record of every import: who loaded what, how far it got, and what it said."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.job_records import JobRecord
from bluehelmet.core.models import Place


class ImportJob(JobRecord):
    """One file imported in the background (importers.tasks). `errors` holds the rows the
    file was refused for; `error` the reason a job stopped (a crash, a dead runner)."""

    kind = models.CharField(_("kind"), max_length=40)
    file_name = models.CharField(_("file"), max_length=300)
    stored_path = models.CharField(max_length=500, blank=True, verbose_name=_("stored file path"))
    rows_done = models.IntegerField(default=0, verbose_name=_("rows done"))
    rows_total = models.IntegerField(null=True, blank=True, verbose_name=_("total rows"))
    summary = models.JSONField(default=dict, blank=True, verbose_name=_("summary"))
    errors = models.JSONField(default=list, blank=True, verbose_name=_("errors"))

    class Meta:
        ordering = ["-created"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name} ({self.status})"

    @property
    def kind_label(self) -> str:
        """The kind as people read it (its importer's label, in the reader's language); the
        code itself for a kind no longer registered."""
        from .registry import REGISTRY

        importer = REGISTRY.get(self.kind)
        return str(importer.label) if importer is not None and importer.label else self.kind

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0 if self.status != self.Status.SUCCEEDED else 100
        return min(100, round(100 * self.rows_done / self.rows_total))


class PlaceAlias(models.Model):
    """A name that files use for a known admin area ("Western Rural" for "Western Area
    Rural"), set by a person matching the names an import could not find. Looked up by
    importers.places.PlaceResolver before the places' own names."""

    kind = models.CharField(_("level"), max_length=10, choices=Place.Kind.choices)
    name = models.CharField(_("name in the file"), max_length=200)
    normalized = models.CharField(max_length=200, db_index=True, verbose_name=_("normalised name"))
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("place"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["place", "kind", "normalized"], name="one_alias_per_place_level_name")
        ]
        verbose_name = _("place alias")
        verbose_name_plural = _("place aliases")

    def __str__(self) -> str:
        return f"{self.name} = {self.place}"


class UnmatchedPlaceName(models.Model):
    """A place name an import could not find, kept (with the rows that used it) until
    someone matches it to a place or an alias makes it known."""

    country = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("country")
    )
    kind = models.CharField(_("level"), max_length=10, choices=Place.Kind.choices)
    name = models.CharField(_("name in the file"), max_length=200)
    normalized = models.CharField(max_length=200, verbose_name=_("normalised name"))
    parent_name = models.CharField(_("within"), max_length=200, blank=True)
    source = models.CharField(_("import kind"), max_length=40)
    file_name = models.CharField(_("file"), max_length=300, blank=True)
    rows = models.JSONField(_("rows"), default=list)
    last_seen = models.DateTimeField(_("last seen"), auto_now=True)
    matched_to = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("matched to")
    )

    class Meta:
        ordering = ["-last_seen", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "kind", "normalized"], name="one_unmatched_name_per_country_level"
            )
        ]
        verbose_name = _("unmatched place name")
        verbose_name_plural = _("unmatched place names")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"
