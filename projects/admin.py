"""Admin: the program tree, caps and approval levels are edited here (they are the law, as data).
Projects are read here; they change through the portal's pages so the checks and the timeline
hold."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ApprovalLevel,
    Course,
    CourseParticipant,
    EmploymentRecord,
    Program,
    ProgramComponent,
    Project,
    ProjectAmendment,
    ProjectParticipant,
    ProjectStep,
    StateShareCap,
    SupportItem,
)


class ComponentInline(admin.TabularInline):
    model = ProgramComponent
    extra = 0
    fields = (
        "number",
        "parent",
        "position",
        "name",
        "for_projects",
        "for_trainings",
        "confirmed",
        "note",
    )
    raw_id_fields = ("parent",)


class CapInline(admin.TabularInline):
    model = StateShareCap
    extra = 0
    fields = ("form", "area_type", "max_share", "confirmed", "note")


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "starts_on",
        "ends_on",
        "min_beneficiary_share",
        "priority_share",
        "confirmed",
    )
    inlines = [ComponentInline, CapInline]


@admin.register(ProgramComponent)
class ProgramComponentAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "name",
        "program",
        "parent",
        "for_projects",
        "for_trainings",
        "confirmed",
    )
    list_filter = ("program", "for_projects", "for_trainings", "confirmed")
    search_fields = ("number", "name")


@admin.register(StateShareCap)
class StateShareCapAdmin(admin.ModelAdmin):
    list_display = ("program", "form", "area_type", "max_share", "confirmed")
    list_filter = ("program", "form", "area_type", "confirmed")
    list_editable = ("max_share", "confirmed")


@admin.register(ApprovalLevel)
class ApprovalLevelAdmin(admin.ModelAdmin):
    list_display = ("form", "level", "valid_from", "valid_to", "confirmed")
    list_filter = ("form", "level", "confirmed")


class ParticipantInline(admin.TabularInline):
    model = ProjectParticipant
    extra = 0
    fields = ("household", "category")
    readonly_fields = fields
    can_delete = False


class ItemInline(admin.TabularInline):
    model = SupportItem
    extra = 0
    fields = ("name", "unit", "quantity", "unit_cost", "amount")
    readonly_fields = fields
    can_delete = False


class StepInline(admin.TabularInline):
    model = ProjectStep
    extra = 0
    fields = ("action", "from_status", "to_status", "by", "at", "comment", "decision_number")
    readonly_fields = fields
    can_delete = False


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "form", "status", "starts_on", "total_cost", "is_priority")
    list_filter = ("status", "form", "sector", "is_priority", "area_type")
    search_fields = ("code", "title", "group_name")
    list_select_related = ("component",)
    # Changes go through the portal (checks, locking, timeline): read-only here.
    readonly_fields = [f.name for f in Project._meta.fields]
    filter_horizontal = ()
    inlines = [ParticipantInline, ItemInline, StepInline]

    def has_add_permission(self, request):
        return False


@admin.register(ProjectAmendment)
class ProjectAmendmentAdmin(admin.ModelAdmin):
    list_display = ("project", "number", "by", "at", "decision_number")
    raw_id_fields = ("project", "by")
    readonly_fields = ("project", "number", "reason", "before", "after", "by", "at")


@admin.register(Course)
class CourseAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "unit", "starts_on", "ends_on")
    list_filter = ("kind",)
    search_fields = ("title",)
    raw_id_fields = ("unit", "created_by")


@admin.register(CourseParticipant)
class CourseParticipantAdmin(SimpleHistoryAdmin):
    list_display = ("course", "user", "member", "attended", "completed")
    list_filter = ("attended", "completed")
    raw_id_fields = ("course", "user", "member")


@admin.register(EmploymentRecord)
class EmploymentRecordAdmin(SimpleHistoryAdmin):
    list_display = ("member", "employer", "contract", "starts_on", "is_sustainable")
    list_filter = ("contract", "is_sustainable", "is_abroad")
    raw_id_fields = ("member", "course", "created_by")
