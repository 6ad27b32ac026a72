from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Indicator, RollupRun, Target


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "kind", "unit", "group")
    list_filter = ("group", "kind")
    search_fields = ("code", "name_vi", "name_en")
    # The formula fields are the catalog's (indicators/catalog.py); names can be edited.
    readonly_fields = ("code", "kind", "numerator", "denominator", "group")


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "unit", "group", "year", "kind", "low", "high")
    list_filter = ("year", "kind", "indicator__group")
    search_fields = ("indicator__name_vi", "unit__name", "group__name")
    raw_id_fields = ("unit",)
    autocomplete_fields = ("indicator",)
    list_select_related = ("indicator", "unit", "group")

    def get_changeform_initial_data(self, request):
        return {"kind": "range"}


@admin.register(RollupRun)
class RollupRunAdmin(admin.ModelAdmin):
    list_display = ("round", "full", "commune", "status", "done_parts", "total_parts", "created_at")
    list_filter = ("status", "full", "round")
    readonly_fields = [f.name for f in RollupRun._meta.fields]

    def has_add_permission(self, request):
        return False
