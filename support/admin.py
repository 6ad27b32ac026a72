from django.contrib import admin

from .models import HelperAssignment, SupportKind, SupportPlanItem, SupportRecord, Visit


@admin.register(SupportKind)
class SupportKindAdmin(admin.ModelAdmin):
    """The kinds of support are data: the province edits, adds and retires them here."""

    list_display = ("name", "code", "group", "unit", "position", "active", "confirmed")
    list_editable = ("position", "active", "confirmed")
    list_filter = ("active", "confirmed")
    search_fields = ("name", "code", "group")


@admin.register(HelperAssignment)
class HelperAssignmentAdmin(admin.ModelAdmin):
    list_display = ("household", "helper_name", "organisation", "position", "starts_on", "ends_on")
    search_fields = ("household__code", "helper_name", "organisation")
    raw_id_fields = ("household", "created_by")


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("assignment", "visited_on")
    raw_id_fields = ("assignment", "created_by")


@admin.register(SupportPlanItem)
class SupportPlanItemAdmin(admin.ModelAdmin):
    list_display = ("household", "kind", "action", "due_on", "status")
    list_filter = ("status", "kind")
    raw_id_fields = ("household", "created_by")


@admin.register(SupportRecord)
class SupportRecordAdmin(admin.ModelAdmin):
    list_display = ("household", "kind", "source", "amount", "quantity", "received_on")
    list_filter = ("kind", "source")
    raw_id_fields = ("household", "member", "plan_item", "component", "created_by")
