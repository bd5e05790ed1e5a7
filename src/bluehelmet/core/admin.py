from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, Mission, Organization, Place, SensitiveAccess, Team


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "country", "parent", "latitude", "longitude", "priogrid_gid")
    list_filter = ("kind",)
    search_fields = ("name", "code", "key")
    # Thousands of places: pick parents by search, not from a select of every place.
    autocomplete_fields = ("parent", "country")
    list_select_related = ("country", "parent")
    list_per_page = 100


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "acronym", "kind", "country")
    list_filter = ("kind",)
    search_fields = ("name", "acronym", "key")
    autocomplete_fields = ("country",)
    list_select_related = ("country",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("user",)


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ("acronym", "name", "start", "end")
    list_filter = ("end",)
    search_fields = ("acronym", "name")
    date_hierarchy = "start"
    autocomplete_fields = ("host_countries", "area_of_operations")
    inlines = [MembershipInline]


class TeamAdminForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["mission", "name", "code", "members"]

    def clean(self):
        data = super().clean()
        mission, members = data.get("mission"), data.get("members")
        if mission is not None and members:
            strangers = [u for u in members if not Membership.objects.filter(mission=mission, user=u).exists()]
            if strangers:
                self.add_error(
                    "members", _("Not members of the mission: %(names)s.") % {"names": ", ".join(map(str, strangers))}
                )
        return data


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    """A mission's teams and units that response tasks are assigned to (members: the mission's)."""

    form = TeamAdminForm
    list_display = ("name", "code", "mission")
    list_filter = ("mission",)
    search_fields = ("name", "code")
    autocomplete_fields = ("members",)


@admin.register(SensitiveAccess)
class SensitiveAccessAdmin(admin.ModelAdmin):
    """Read-only: the trail is evidence, so nobody edits or deletes it through the app."""

    list_display = ("at", "username", "action", "record_type", "record_id", "mission", "detail")
    list_filter = ("action", "record_type")
    search_fields = ("username", "record_type", "record_id", "detail")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Two-factor devices (django-otp). Its own admin pages show every user's secret, QR code and
# backup codes to any administrator (and answer 500 for an unknown device): here they only
# list devices and delete them, which resets a user's second factor (a lost phone): the user
# enrols again at the next log-in.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


class TwoFactorDeviceAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = readonly_fields = ("user", "name", "confirmed", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(TOTPDevice, TwoFactorDeviceAdmin)
admin.site.register(StaticDevice, TwoFactorDeviceAdmin)
