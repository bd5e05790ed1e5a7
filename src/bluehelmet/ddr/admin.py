"""DDR in the Django admin: the programme records without personal data. Names, birth
dates, phones and visit notes are shown only on the DDR pages, where each view is logged;
registration goes through the DDR page (duplicate check, child rule)."""

from django.contrib import admin

from .models import Demobilisation, FollowUpVisit, Participant, Reintegration, Weapon


class NoAddAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False


class WeaponInline(admin.TabularInline):
    model = Weapon
    extra = 0
    fields = ["kind", "model", "serial", "quantity", "handed_in_on", "site"]


@admin.register(Participant)
class ParticipantAdmin(NoAddAdmin):
    list_display = ["reference", "mission", "category", "faction", "place", "registered_on", "exercise"]
    list_filter = ["mission", "category", "faction", "exercise"]
    search_fields = ["reference"]
    exclude = ["full_name", "birth_date", "phone"]
    readonly_fields = ["duplicate_key", "age_at_registration", "registered_by"]
    inlines = [WeaponInline]


@admin.register(Weapon)
class WeaponAdmin(admin.ModelAdmin):
    list_display = ["participant", "kind", "model", "serial", "quantity", "handed_in_on"]
    list_filter = ["kind"]
    search_fields = ["serial", "participant__reference"]
    raw_id_fields = ["participant"]


@admin.register(Demobilisation)
class DemobilisationAdmin(admin.ModelAdmin):
    list_display = ["participant", "site", "entered_on", "discharged_on", "allowance", "currency"]
    raw_id_fields = ["participant"]


@admin.register(Reintegration)
class ReintegrationAdmin(admin.ModelAdmin):
    list_display = ["participant", "programme", "status", "reinsertion_on", "completed_on"]
    list_filter = ["programme", "status"]
    raw_id_fields = ["participant"]


@admin.register(FollowUpVisit)
class FollowUpVisitAdmin(NoAddAdmin):
    list_display = ["participant", "visited_on", "outcome"]
    exclude = ["notes"]
    raw_id_fields = ["participant"]
