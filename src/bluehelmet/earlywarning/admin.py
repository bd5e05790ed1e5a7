from django.contrib import admin

from .models import ForecastRun, ForecastUnit, UnitForecast


@admin.register(ForecastRun)
class ForecastRunAdmin(admin.ModelAdmin):
    list_display = ("mission", "model_name", "data_cutoff", "status", "sharing", "actor", "created", "finished")
    list_filter = ("status", "sharing", "mission")
    search_fields = ("mission__acronym", "model_name", "error")
    readonly_fields = ("created", "started", "finished")
    list_select_related = ("mission", "actor")


class UnitForecastInline(admin.TabularInline):
    model = UnitForecast
    extra = 0
    fields = ("horizon", "month", "point", "q05", "q50", "q95", "p_ge1", "p_ge25")


@admin.register(ForecastUnit)
class ForecastUnitAdmin(admin.ModelAdmin):
    list_display = ("label", "level", "run", "place", "priogrid_gid")
    list_filter = ("level", "run__mission")
    search_fields = ("label", "key")
    raw_id_fields = ("run", "place")
    list_select_related = ("run", "run__mission", "place")
    inlines = [UnitForecastInline]


@admin.register(UnitForecast)
class UnitForecastAdmin(admin.ModelAdmin):
    list_display = ("unit", "horizon", "month", "point", "p_ge1", "p_ge25")
    list_filter = ("horizon", "unit__level", "unit__run__mission")
    raw_id_fields = ("unit",)
    list_select_related = ("unit",)
