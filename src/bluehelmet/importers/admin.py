from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """A log of what was loaded: readable, never edited by hand (imports run from /imports/
    or `bluehelmet import`)."""

    list_display = ("created", "kind", "file_name", "status", "rows_done", "rows_total", "created_by", "finished")
    list_filter = ("status", "kind")
    search_fields = ("file_name", "kind")
    date_hierarchy = "created"
    list_select_related = ("created_by",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
