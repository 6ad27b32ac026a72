"""Admin: funds are read here; they change through the portal's pages, whose services hold the
checks (allocations within the plan, disbursements within the allocation)."""

from django.contrib import admin

from .models import Allocation, CapitalPlan, Disbursement


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CapitalPlan)
class CapitalPlanAdmin(ReadOnly):
    list_display = ("year", "component", "unit", "source", "amount", "carried_over")
    list_filter = ("year", "source")


@admin.register(Allocation)
class AllocationAdmin(ReadOnly):
    list_display = ("plan", "commune", "project", "amount", "allocated_on")


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnly):
    list_display = ("allocation", "paid_on", "amount", "purpose")
