from django.contrib import admin

from .models import JobFair, Trade, TrainingNeed


@admin.register(Trade)
class TradeAdmin(admin.ModelAdmin):
    """The trades of the training-needs survey are data: the province edits, adds and retires
    them here."""

    list_display = ("name", "code", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code")


@admin.register(TrainingNeed)
class TrainingNeedAdmin(admin.ModelAdmin):
    list_display = ("member", "commune", "year", "trade", "level", "where", "wants_job")
    list_filter = ("year", "level", "where")
    raw_id_fields = ("member", "commune", "created_by")


@admin.register(JobFair)
class JobFairAdmin(admin.ModelAdmin):
    list_display = ("held_on", "kind", "unit", "place", "attendees", "hires")
    list_filter = ("kind",)
    raw_id_fields = ("unit", "created_by")
