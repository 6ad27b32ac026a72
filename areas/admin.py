from django.contrib import admin

from .models import Assignment, Unit, UnitGroup, UnitSuccession
from .scope import staff_administrator


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to", "is_mountainous")
    list_filter = ("level", "kind", "is_mountainous", "is_poor_district", "is_urban")
    search_fields = ("code", "name", "name_folded")
    raw_id_fields = ("parent",)
    list_select_related = ("parent",)


@admin.register(UnitGroup)
class UnitGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "former_district")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    filter_horizontal = ("members",)
    raw_id_fields = ("former_district",)


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ("old", "new", "share")
    list_filter = ("share",)
    search_fields = ("old__code", "old__name", "new__code", "new__name")
    raw_id_fields = ("old", "new")
    list_select_related = ("old", "new")


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "group", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("user__username", "user__last_name", "unit__name", "unit__code", "group__name")
    raw_id_fields = ("user", "unit")
    list_select_related = ("user", "unit", "group")


class ReadOnlyForAdministrators(admin.ModelAdmin):
    """A read-only admin page that opens to staff administrators without model permissions: the
    outboxes (jobs, e-mails) their to-do list links to."""

    def has_module_permission(self, request):
        return staff_administrator(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return staff_administrator(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
