from django.contrib import admin

from .models import ConflictEvent, ConflictMonth, Deployment, DeploymentContribution, MissionStrength, SiteYear

# --- Conflict events and months -----------------------------------------------------------


@admin.register(ConflictEvent)
class ConflictEventAdmin(admin.ModelAdmin):
    list_display = (
        "ged_id",
        "date_start",
        "type_of_violence",
        "country_name",
        "adm_1",
        "where_description",
        "side_a_name",
        "side_b_name",
        "best",
        "sharing",
    )
    list_filter = ("type_of_violence", "sharing", "year")
    # Exact ids first: searching 300,000 free-text rows is slow, so keep the fields few.
    search_fields = ("=ged_id", "where_description", "side_a_name", "side_b_name")
    date_hierarchy = "date_start"
    raw_id_fields = ("country", "side_a", "side_b")
    list_per_page = 50
    # The changelist's count(*) on 300,000 rows is wasted work; show "more" instead.
    show_full_result_count = False


@admin.register(ConflictMonth)
class ConflictMonthAdmin(admin.ModelAdmin):
    list_display = (
        "country",
        "month",
        "conflict_id",
        "side_b",
        "mission",
        "osv_all",
        "battle_deaths_lag",
        "troops_lag",
        "ceasefire",
    )
    list_filter = (
        ("country", admin.RelatedOnlyFieldListFilter),
        ("mission", admin.RelatedOnlyFieldListFilter),
        "ceasefire",
        "poc_mandate",
        "robust_mandate",
    )
    search_fields = ("side_a", "side_b", "=conflict_id")
    date_hierarchy = "month"
    raw_id_fields = ("country", "mission")
    list_select_related = ("country", "mission")


# --- Geo-PKO deployments, site-years and mission strength ---------------------------------


class DeploymentContributionInline(admin.TabularInline):
    model = DeploymentContribution
    extra = 0
    raw_id_fields = ("country",)


@admin.register(Deployment)
class DeploymentAdmin(admin.ModelAdmin):
    list_display = (
        "mission",
        "site",
        "month",
        "troops",
        "contributor_count",
        "police",
        "observers",
        "headquarters",
        "sharing",
    )
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
    list_display = (
        "mission",
        "month",
        "authorised_troops",
        "troops",
        "troop_shortfall",
        "police",
        "observers",
        "contributor_count",
    )
    list_filter = ("mission",)
    search_fields = ("mission__acronym",)
    date_hierarchy = "month"
    raw_id_fields = ("mission",)
    list_select_related = ("mission",)
