from django.contrib import admin

from .models import AccessConstraint, Activity, Delivery, NeedsAssessment


class RecordAdmin(admin.ModelAdmin):
    list_select_related = True
    raw_id_fields = ("place",)
    readonly_fields = ("created_by", "updated_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(RecordAdmin):
    list_display = (
        "assessed_on",
        "mission",
        "place",
        "sector",
        "people_in_need",
        "severity",
        "organization",
        "exercise",
    )
    list_filter = ("mission", "sector", "severity", "method", "exercise")
    search_fields = ("place__name", "organization__name")
    raw_id_fields = ("place", "organization")


@admin.register(Activity)
class ActivityAdmin(RecordAdmin):
    list_display = (
        "organization",
        "mission",
        "sector",
        "place",
        "start",
        "end",
        "status",
        "targeted",
        "reached",
        "exercise",
    )
    list_filter = ("mission", "sector", "status", "exercise")
    search_fields = ("organization__name", "activity", "place__name", "location")
    raw_id_fields = ("place", "organization")


@admin.register(Delivery)
class DeliveryAdmin(RecordAdmin):
    list_display = (
        "delivered_on",
        "mission",
        "organization",
        "item",
        "quantity",
        "unit",
        "place",
        "escorted",
        "outcome",
        "exercise",
    )
    list_filter = ("mission", "sector", "outcome", "escorted", "exercise")
    search_fields = ("item", "organization__name", "place__name", "destination")
    raw_id_fields = ("place", "organization", "access_constraint")


@admin.register(AccessConstraint)
class AccessConstraintAdmin(RecordAdmin):
    list_display = ("started_on", "ended_on", "mission", "type", "place", "impact", "incident", "exercise")
    list_filter = ("mission", "type", "impact", "exercise")
    search_fields = ("description", "place__name")
    raw_id_fields = ("place", "incident")
