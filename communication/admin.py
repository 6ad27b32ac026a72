from django.contrib import admin

from .models import Activity, ActivityKind, InformationKind


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    """The kinds of activity are data: the province edits, adds and retires them here."""

    list_display = ("name", "code", "subproject", "position", "active", "confirmed")
    list_editable = ("position", "active", "confirmed")
    list_filter = ("subproject", "active", "confirmed")
    search_fields = ("name", "code")


@admin.register(InformationKind)
class InformationKindAdmin(admin.ModelAdmin):
    """Which kinds of household support count as information support (sub-project 6.1)."""

    list_display = ("support_kind", "confirmed")
    list_editable = ("confirmed",)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "unit", "held_on", "reach", "materials", "cost")
    list_filter = ("kind",)
    search_fields = ("title",)
    raw_id_fields = ("unit", "created_by")
