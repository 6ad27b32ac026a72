"""Jobs in the admin, read-only: administrators find failed and stuck exports and imports (the
home page's to-do list links here). Users retry their own jobs from "Báo cáo của tôi"."""

from django.contrib import admin

from areas.scope import staff_administrator

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "owner", "kind", "status", "created_at", "heartbeat_at",
                    "attempts", "finished_at")  # fmt: skip
    list_filter = ("status", "kind")
    search_fields = ("title", "owner__username")
    date_hierarchy = "created_at"
    list_select_related = ("owner",)

    def has_module_permission(self, request):
        return staff_administrator(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return staff_administrator(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
