from django.contrib import admin

from .models import Deployment, DeploymentContribution, MissionStrength, SiteYear


class DeploymentContributionInline(admin.TabularInline):
    model = DeploymentContribution
    extra = 0
    raw_id_fields = ("country",)


@admin.register(Deployment)
class DeploymentAdmin(admin.ModelAdmin):
    list_display = ("mission", "site", "month", "troops", "contributor_count", "police", "observers", "headquarters", "sharing")
    list_filter = ("mission", "sharing", "police", "observers", "headquarters")
    search_fields = ("site__name", "mission__acronym", "source")
    date_hierarchy = "month"
    raw_id_fields = ("mission", "site")
    list_select_related = ("mission", "site")
    inlines = [DeploymentContributionInline]


@admin.register(DeploymentContribution)
class DeploymentContributionAdmin(admin.ModelAdmin):
    list_display = ("deployment", "country", "troops")
    search_fields = ("country__name", "deployment__site__name", "deployment__mission__acronym")
    list_filter = ("deployment__mission",)
    raw_id_fields = ("deployment", "country")
    list_select_related = ("deployment__mission", "deployment__site", "country")


@admin.register(SiteYear)
class SiteYearAdmin(admin.ModelAdmin):
    list_display = ("mission", "site", "year", "troops", "average_troops", "police", "observers", "contributor_count")
    list_filter = ("mission", "year")
    search_fields = ("site__name", "mission__acronym")
    raw_id_fields = ("mission", "site")
    list_select_related = ("mission", "site")


@admin.register(MissionStrength)
class MissionStrengthAdmin(admin.ModelAdmin):
    list_display = ("mission", "month", "authorised_troops", "troops", "troop_shortfall", "police", "observers", "contributor_count")
    list_filter = ("mission",)
    search_fields = ("mission__acronym",)
    date_hierarchy = "month"
    raw_id_fields = ("mission",)
    list_select_related = ("mission",)
