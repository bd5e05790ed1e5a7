from django.contrib import admin

from .models import ConflictEvent, ConflictMonth


@admin.register(ConflictEvent)
class ConflictEventAdmin(admin.ModelAdmin):
    list_display = ("ged_id", "date_start", "type_of_violence", "country_name", "adm_1", "where_description", "side_a_name", "side_b_name", "best", "sharing")
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
    list_display = ("country", "month", "conflict_id", "side_b", "mission", "osv_all", "battle_deaths_lag", "troops_lag", "ceasefire")
    list_filter = (("country", admin.RelatedOnlyFieldListFilter), ("mission", admin.RelatedOnlyFieldListFilter), "ceasefire", "poc_mandate", "robust_mandate")
    search_fields = ("side_a", "side_b", "=conflict_id")
    date_hierarchy = "month"
    raw_id_fields = ("country", "mission")
    list_select_related = ("country", "mission")
