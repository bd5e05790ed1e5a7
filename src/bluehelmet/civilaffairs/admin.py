"""Admin registration. Encrypted personal data (contacts, alert senders, complainants) is not
listed or searched here: it is read on the civil affairs pages, where each view is logged."""

from django.contrib import admin

from .models import (
    AlertGateway,
    Commitment,
    CommunityAlert,
    Engagement,
    Grievance,
    GrievanceEvent,
    MediationProcess,
    MediationSession,
    Partner,
    PeaceAgreement,
    Provision,
    ProvisionStatus,
    Survey,
)


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "mission", "kind", "place", "relationship", "trust", "last_contact", "exercise"]
    list_filter = ["mission", "kind", "relationship", "exercise"]
    search_fields = ["name"]
    raw_id_fields = ["place", "organization"]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["held_on", "title", "mission", "kind", "place", "exercise"]
    list_filter = ["mission", "kind", "exercise"]
    search_fields = ["title", "topics"]
    raw_id_fields = ["place"]
    filter_horizontal = ["partners"]
    inlines = [CommitmentInline]


@admin.register(CommunityAlert)
class CommunityAlertAdmin(admin.ModelAdmin):
    list_display = ["__str__", "mission", "received_at", "category", "channel", "status", "sensitivity", "exercise"]
    list_filter = ["mission", "status", "category", "channel", "sensitivity"]
    exclude = ["sender"]
    raw_id_fields = ["place", "incident", "partner"]


@admin.register(AlertGateway)
class AlertGatewayAdmin(admin.ModelAdmin):
    list_display = ["name", "mission", "active", "created_at", "last_used"]
    list_filter = ["mission", "active"]
    readonly_fields = ["created_at", "last_used"]

    def has_add_permission(self, request):
        return False  # a gateway's secret is made and shown once on the mission's gateways page


class GrievanceEventInline(admin.TabularInline):
    model = GrievanceEvent
    extra = 0
    can_delete = False
    readonly_fields = ["on", "status", "note", "by", "recorded_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Grievance)
class GrievanceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "mission", "received_on", "against", "status", "exercise"]
    list_filter = ["mission", "status", "against"]
    exclude = ["complainant"]
    readonly_fields = ["status", "closed_on"]
    raw_id_fields = ["place"]
    inlines = [GrievanceEventInline]


class SessionInline(admin.TabularInline):
    model = MediationSession
    extra = 0


@admin.register(MediationProcess)
class MediationAdmin(admin.ModelAdmin):
    list_display = ["title", "mission", "started_on", "status", "exercise"]
    list_filter = ["mission", "status"]
    raw_id_fields = ["place"]
    inlines = [SessionInline]


class ProvisionInline(admin.TabularInline):
    model = Provision
    extra = 0
    fields = ["order", "reference", "title", "responsible", "deadline", "status", "status_on"]
    readonly_fields = ["status", "status_on"]


@admin.register(PeaceAgreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "mission", "kind", "signed_on", "exercise"]
    list_filter = ["mission", "kind"]
    inlines = [ProvisionInline]


class StatusInline(admin.TabularInline):
    model = ProvisionStatus
    extra = 0
    can_delete = False
    readonly_fields = ["on", "status", "note", "exercise", "by", "recorded_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Provision)
class ProvisionAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "agreement", "responsible", "deadline", "status"]
    list_filter = ["agreement", "status"]
    readonly_fields = ["status", "status_on"]
    inlines = [StatusInline]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["name", "mission", "imported_at"]
