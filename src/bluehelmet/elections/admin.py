from django.contrib import admin

from .models import (
    Candidate,
    CandidateVotes,
    ChecklistQuestion,
    Election,
    ElectionIncident,
    ObserverAnswer,
    ObserverDeployment,
    ObserverReport,
    OfficialTraining,
    PollingCentre,
    PollingStation,
    Round,
    SecurityAssignment,
    SecurityPlan,
    StationResult,
    StationRisk,
    VoterEducationEvent,
)


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["name", "mission", "kind", "sharing"]
    list_filter = ["mission", "kind"]
    inlines = [RoundInline]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["election", "number", "date", "label"]


class StationInline(admin.TabularInline):
    model = PollingStation
    extra = 0


@admin.register(PollingCentre)
class PollingCentreAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "mission", "place", "access", "exercise"]
    list_filter = ["mission", "access", "exercise"]
    search_fields = ["code", "name"]
    raw_id_fields = ["place"]
    inlines = [StationInline]


@admin.register(PollingStation)
class PollingStationAdmin(admin.ModelAdmin):
    list_display = ["code", "centre", "registered_voters", "accessible"]
    search_fields = ["code", "centre__name"]
    raw_id_fields = ["centre"]


@admin.register(StationRisk)
class StationRiskAdmin(admin.ModelAdmin):
    list_display = ["round", "station", "score", "incidents", "events", "early_warning", "access"]
    raw_id_fields = ["station"]


@admin.register(SecurityPlan)
class SecurityPlanAdmin(admin.ModelAdmin):
    list_display = ["round", "created_at", "status", "share_covered", "posture_share"]


@admin.register(SecurityAssignment)
class SecurityAssignmentAdmin(admin.ModelAdmin):
    list_display = ["plan", "station", "unit", "base"]
    raw_id_fields = ["plan", "station", "unit", "base"]


@admin.register(OfficialTraining)
class OfficialTrainingAdmin(admin.ModelAdmin):
    list_display = ["election", "course", "place", "date", "participants", "women"]


@admin.register(VoterEducationEvent)
class VoterEducationEventAdmin(admin.ModelAdmin):
    list_display = ["election", "kind", "place", "date", "audience"]


@admin.register(ChecklistQuestion)
class ChecklistQuestionAdmin(admin.ModelAdmin):
    list_display = ["election", "phase", "order", "text", "answer", "expected", "active"]
    list_filter = ["election", "phase", "active"]


@admin.register(ObserverDeployment)
class ObserverDeploymentAdmin(admin.ModelAdmin):
    list_display = ["round", "team", "station", "observer"]
    raw_id_fields = ["station"]


class AnswerInline(admin.TabularInline):
    model = ObserverAnswer
    extra = 0


@admin.register(ObserverReport)
class ObserverReportAdmin(admin.ModelAdmin):
    list_display = ["round", "station", "phase", "team", "submitted_at", "problems"]
    list_filter = ["phase"]
    raw_id_fields = ["station"]
    inlines = [AnswerInline]


@admin.register(ElectionIncident)
class ElectionIncidentAdmin(admin.ModelAdmin):
    list_display = ["round", "incident", "station"]
    raw_id_fields = ["incident", "station"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "election"]


class VotesInline(admin.TabularInline):
    model = CandidateVotes
    extra = 0


@admin.register(StationResult)
class StationResultAdmin(admin.ModelAdmin):
    list_display = ["round", "station", "registered_voters", "ballots_cast", "valid_votes", "invalid_votes", "flags"]
    raw_id_fields = ["station"]
    inlines = [VotesInline]
