"""Jobs in the admin, read-only: administrators find failed and stuck exports and imports (the
home page's to-do list links here). Users retry their own jobs from "Báo cáo của tôi"."""

from django.contrib import admin

from areas.admin import ReadOnlyForAdministrators

from .models import Job


@admin.register(Job)
class JobAdmin(ReadOnlyForAdministrators):
    list_display = ("id", "title", "owner", "kind", "status", "created_at", "heartbeat_at",
                    "attempts", "finished_at")  # fmt: skip
    list_filter = ("status", "kind")
    search_fields = ("title", "owner__username")
    date_hierarchy = "created_at"
    list_select_related = ("owner",)
