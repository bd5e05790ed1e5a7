from django.contrib import admin

from .ceasefires import ZoneGeometryError, reflag_incidents, zone_geometry
from .models import (
    Agreement,
    Alert,
    AlertRule,
    Attachment,
    Casualty,
    DuplicateProposal,
    Incident,
    IncidentHistory,
    IncidentType,
    MonitoredZone,
    ResponseTask,
    Source,
    Subscription,
)

# --- Situational awareness --------------------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the app writes and nobody edits: shown, never added, changed or deleted."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IncidentType)
class IncidentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "mission", "active", "order")
    list_filter = ("mission", "active")
    search_fields = ("name", "code")


class CasualtyInline(admin.TabularInline):
    model = Casualty
    extra = 0


class SourceInline(admin.TabularInline):
    """Gradings only: identities are read on the incident page, where each view is logged."""

    model = Source
    fk_name = "incident"
    extra = 0
    fields = ("kind", "description", "reliability", "credibility", "first_incident", "added_by", "added_at")
    readonly_fields = ("first_incident", "added_by", "added_at")


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    """Incidents change only in the app, where every change goes to the history with a reason."""

    list_display = (
        "id",
        "mission",
        "type",
        "status",
        "occurred_at",
        "place",
        "killed",
        "in_zone",
        "external",
        "sharing",
        "sensitivity",
    )
    list_filter = ("mission", "status", "in_zone", "external", "sharing", "sensitivity")
    search_fields = ("=id", "narrative", "location_description", "=client_id")
    date_hierarchy = "occurred_at"
    inlines = [CasualtyInline, SourceInline]
    list_select_related = ("mission", "type", "place")


@admin.register(IncidentHistory)
class IncidentHistoryAdmin(ReadOnlyAdmin):
    list_display = ("at", "mission", "incident", "alert", "task", "user", "action", "reason")
    list_filter = ("mission", "action")
    search_fields = ("=incident__id", "reason")
    date_hierarchy = "at"
    list_select_related = ("mission", "user")


@admin.register(DuplicateProposal)
class DuplicateProposalAdmin(ReadOnlyAdmin):
    list_display = ("first", "second", "distance_km", "hours_apart", "status", "decided_by", "decided_at")
    list_filter = ("status",)


class MonitoredZoneInline(admin.StackedInline):
    model = MonitoredZone
    extra = 0
    readonly_fields = ("min_lon", "min_lat", "max_lon", "max_lat")


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("name", "mission", "signed_on", "effective_from", "ends_on", "sharing")
    list_filter = ("mission",)
    search_fields = ("name",)
    autocomplete_fields = ("parties",)
    inlines = [MonitoredZoneInline]

    def save_formset(self, request, form, formset, change):
        # The bounding boxes follow the geometry, as when a zone is drawn in the app.
        zones = formset.save(commit=False)
        for zone in zones:
            try:
                for name, value in zone_geometry(zone.geometry, zone.agreement.mission).items():
                    setattr(zone, name, value)
            except ZoneGeometryError as exc:
                self.message_user(request, f"{zone.name}: {exc}", level="error")
                continue
            zone.save()
            reflag_incidents(zone)
        for zone in formset.deleted_objects:
            zone.delete()


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "mission", "kind", "severity", "active")
    list_filter = ("mission", "kind", "active")
    inlines = [SubscriptionInline]


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "mission", "title", "severity", "status", "acknowledged_by", "acknowledged_at")
    list_filter = ("mission", "status", "severity")


@admin.register(ResponseTask)
class ResponseTaskAdmin(ReadOnlyAdmin):
    list_display = ("title", "mission", "team", "assignee", "due_at", "status", "escalated_at", "closed_at")
    list_filter = ("mission", "status")
    list_select_related = ("mission", "team", "assignee")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "incident", "size", "uploaded_by", "uploaded_at")
