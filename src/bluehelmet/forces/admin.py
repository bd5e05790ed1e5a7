from django.contrib import admin

from .models import (
    AllocationPlan,
    Award,
    AwardDecision,
    Base,
    Equipment,
    MedalRule,
    Parade,
    Patrol,
    Person,
    PlacePopulation,
    PlaceRisk,
    TrainingCourse,
    TrainingRecord,
    TrainingRequirement,
    Unit,
    UnitPosting,
)


@admin.register(Base)
class BaseAdmin(admin.ModelAdmin):
    list_display = ("place", "mission", "kind", "opened", "closed", "max_units", "sharing")
    list_filter = ("mission", "kind", "sharing")
    search_fields = ("place__name", "mission__acronym")
    raw_id_fields = ("mission", "place")
    list_select_related = ("mission", "place")


class UnitPostingInline(admin.TabularInline):
    model = UnitPosting
    extra = 0
    raw_id_fields = ("base",)


class EquipmentInline(admin.TabularInline):
    model = Equipment
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "mission", "kind", "country", "authorised_strength", "actual_strength", "source", "sharing")
    list_filter = ("mission", "kind", "sharing")
    search_fields = ("name", "country__name", "mission__acronym")
    raw_id_fields = ("mission", "country")
    list_select_related = ("mission", "country")
    inlines = [UnitPostingInline, EquipmentInline]


@admin.register(UnitPosting)
class UnitPostingAdmin(admin.ModelAdmin):
    list_display = ("unit", "base", "kind", "start", "end", "troops", "source")
    list_filter = ("unit__mission", "kind")
    search_fields = ("unit__name", "base__place__name")
    raw_id_fields = ("unit", "base")
    list_select_related = ("unit", "base__place")


@admin.register(PlacePopulation)
class PlacePopulationAdmin(admin.ModelAdmin):
    list_display = ("place", "population", "year", "source")
    search_fields = ("place__name", "source")
    raw_id_fields = ("place",)


@admin.register(PlaceRisk)
class PlaceRiskAdmin(admin.ModelAdmin):
    list_display = ("place", "mission", "risk", "entered_by", "entered_at")
    list_filter = ("mission",)
    search_fields = ("place__name",)
    raw_id_fields = ("mission", "place", "entered_by")


@admin.register(AllocationPlan)
class AllocationPlanAdmin(admin.ModelAdmin):
    list_display = (
        "mission",
        "created",
        "actor",
        "status",
        "risk_source",
        "share_covered",
        "posture_share",
        "greedy_share",
        "mip_gap",
        "seconds",
    )
    list_filter = ("mission", "status", "risk_source")
    readonly_fields = [f.name for f in AllocationPlan._meta.fields]


@admin.register(Patrol)
class PatrolAdmin(admin.ModelAdmin):
    list_display = (
        "unit",
        "mission",
        "kind",
        "period",
        "status",
        "start",
        "end",
        "actual_start",
        "actual_end",
        "community_contacts",
    )
    list_filter = ("mission", "kind", "period", "status")
    search_fields = ("unit__name", "notes")
    raw_id_fields = ("mission", "unit", "places", "incidents")
    date_hierarchy = "start"


class TrainingRecordInline(admin.TabularInline):
    model = TrainingRecord
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "mission", "unit", "role", "rank", "arrival", "departure")
    list_filter = ("mission", "role")
    search_fields = ("name", "service_number", "unit__name")
    raw_id_fields = ("mission", "unit", "country")
    inlines = [TrainingRecordInline]


@admin.register(TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "topic", "validity_months")
    search_fields = ("code", "name")


@admin.register(TrainingRequirement)
class TrainingRequirementAdmin(admin.ModelAdmin):
    list_display = ("course", "role", "mission")
    list_filter = ("role", "mission")


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ("person", "course", "completed", "expires", "certificate_number")
    list_filter = ("course", "person__mission")
    search_fields = ("person__name", "certificate_number")
    raw_id_fields = ("person",)


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ("unit", "name", "category", "required", "present", "serviceable", "updated")
    list_filter = ("category", "unit__mission")
    search_fields = ("unit__name", "name")
    raw_id_fields = ("unit",)


@admin.register(MedalRule)
class MedalRuleAdmin(admin.ModelAdmin):
    list_display = ("mission", "qualifying_days")


@admin.register(Parade)
class ParadeAdmin(admin.ModelAdmin):
    list_display = ("name", "mission", "date", "base")
    list_filter = ("mission",)
    raw_id_fields = ("base", "units")


class AwardDecisionInline(admin.TabularInline):
    model = AwardDecision
    extra = 0
    readonly_fields = ("step", "approved", "comment", "decided_by", "decided_at")
    can_delete = False


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ("person", "kind", "status", "parade", "proposed_at")
    list_filter = ("kind", "status", "person__mission")
    search_fields = ("person__name", "citation")
    raw_id_fields = ("person", "parade", "proposed_by")
    inlines = [AwardDecisionInline]
