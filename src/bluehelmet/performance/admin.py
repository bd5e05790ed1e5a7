from django.contrib import admin

from .models import (
    AfterActionReview,
    Assessment,
    EffectEstimate,
    Indicator,
    Lesson,
    LessonApplication,
    LessonLink,
    Measurement,
    Objective,
    Outcome,
    Output,
    Report,
)


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0


class OutputInline(admin.TabularInline):
    model = Output
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "mission"]
    list_filter = ["mission"]
    inlines = [OutcomeInline]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "objective"]
    list_filter = ["objective__mission"]
    inlines = [OutputInline]


@admin.register(Output)
class OutputAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "outcome"]
    list_filter = ["outcome__objective__mission"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "method", "formula", "frequency", "baseline", "target", "sharing", "computed_at"]
    list_filter = ["method", "frequency", "sharing", "output__outcome__objective__mission"]
    search_fields = ["code", "name"]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "value", "no_data_reason", "source", "updated"]
    list_filter = ["source", "indicator__output__outcome__objective__mission"]
    date_hierarchy = "period"


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "author", "created"]


@admin.register(EffectEstimate)
class EffectEstimateAdmin(admin.ModelAdmin):
    list_display = ["mission", "kind", "sharing", "problem", "computed_at"]
    list_filter = ["kind", "mission"]
    readonly_fields = ["result", "figure_svg", "computed_at"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["mission", "status", "actor", "created", "finished"]
    list_filter = ["status", "mission"]


@admin.register(AfterActionReview)
class AfterActionReviewAdmin(admin.ModelAdmin):
    list_display = ["title", "mission", "date", "exercise", "sharing"]
    list_filter = ["mission", "exercise"]


class LessonLinkInline(admin.TabularInline):
    model = LessonLink
    extra = 0


class LessonApplicationInline(admin.TabularInline):
    model = LessonApplication
    extra = 0


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "mission", "theme", "date", "exercise", "sharing"]
    list_filter = ["mission", "theme", "exercise", "sharing"]
    search_fields = ["title", "observation", "lesson", "recommendation"]
    inlines = [LessonLinkInline, LessonApplicationInline]
