from django.contrib import admin

from .models import ImportJob, PlaceAlias, UnmatchedPlaceName
from .places import normalize_place_name


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """A log of what was loaded: readable, never edited by hand (imports run from /imports/
    or `bluehelmet import`)."""

    list_display = ("created", "kind", "file_name", "status", "rows_done", "rows_total", "actor", "finished")
    list_filter = ("status", "kind")
    search_fields = ("file_name", "kind")
    date_hierarchy = "created"
    list_select_related = ("actor",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PlaceAlias)
class PlaceAliasAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "place", "created_by", "created")
    list_filter = ("kind",)
    search_fields = ("name", "place__name")
    raw_id_fields = ("place",)
    exclude = ("normalized",)

    def save_model(self, request, obj, form, change):
        obj.normalized = normalize_place_name(obj.name)
        super().save_model(request, obj, form, change)


@admin.register(UnmatchedPlaceName)
class UnmatchedPlaceNameAdmin(admin.ModelAdmin):
    """Matched on /imports/places/; listed here to review or delete."""

    list_display = ("name", "kind", "country", "source", "file_name", "matched_to", "last_seen")
    list_filter = ("kind", "source")
    search_fields = ("name", "file_name")
    readonly_fields = ("normalized", "rows", "matched_to")
    raw_id_fields = ("country",)
