from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from areas.scope import Capability, user_scope

from .models import (
    AverageLivingRequest,
    CommuneSubmission,
    Exclusion,
    Household,
    Member,
    PersonalDataAccess,
    ReviewRound,
    SubmissionEvent,
    Survey,
)


@admin.register(ReviewRound)
class ReviewRoundAdmin(admin.ModelAdmin):
    list_display = ("__str__", "year", "kind", "starts_on", "ends_on", "standard", "status")
    list_filter = ("kind", "status", "standard")
    # Opening a round builds its household list: use the portal's "Mở đợt rà soát" page.
    readonly_fields = ("created_at", "closed_at")

    def has_add_permission(self, request):
        return False


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ("full_name", "sex", "birth_date", "relation", "ethnicity", "is_current")
    readonly_fields = fields
    can_delete = False


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ("code", "head_name", "commune", "village", "status")
    list_filter = ("status", "is_ethnic_minority", "is_farm_household")
    search_fields = ("code", "head_name", "head_name_folded")
    raw_id_fields = ("commune",)
    list_select_related = ("commune",)
    inlines = [MemberInline]


@admin.register(Survey)
class SurveyAdmin(SimpleHistoryAdmin):
    list_display = ("household", "round", "commune", "status", "poverty_class", "transition")
    list_filter = ("round", "status", "poverty_class", "transition")
    search_fields = ("household__code", "household__head_name")
    raw_id_fields = ("household", "commune", "surveyed_by")
    list_select_related = ("household", "round", "commune")
    # Results are written by the rules; edit surveys in the portal so they are recomputed.
    readonly_fields = (
        "poverty_class",
        "previous_class",
        "transition",
        "deprived_count",
        "b2_score",
        "members_snapshot",
    )


@admin.register(Exclusion)
class ExclusionAdmin(SimpleHistoryAdmin):
    list_display = ("household", "round", "commune", "reason", "transition")
    list_filter = ("round", "reason")
    raw_id_fields = ("household", "commune", "created_by")


class SubmissionEventInline(admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    readonly_fields = ("action", "by", "at", "comment")
    can_delete = False


@admin.register(CommuneSubmission)
class CommuneSubmissionAdmin(admin.ModelAdmin):
    list_display = ("commune", "round", "status", "updated_at")
    list_filter = ("round", "status")
    raw_id_fields = ("commune",)
    inlines = [SubmissionEventInline]


@admin.register(AverageLivingRequest)
class AverageLivingRequestAdmin(admin.ModelAdmin):
    """Requests are filed and decided on the portal's page (the services reclassify the entry);
    the admin lists them and shows who decided what."""

    list_display = (
        "household",
        "round",
        "requested_on",
        "income_12_months",
        "member_count",
        "decision",
        "decided_by",
        "decided_on",
    )
    list_filter = ("round", "decision")
    search_fields = ("household__code", "household__head_name")
    raw_id_fields = ("household", "decided_by", "created_by")
    list_select_related = ("household", "round", "decided_by")
    readonly_fields = (*list_display, "reason", "created_by", "created_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """The access log of personal data (Decree 13/2023): read-only, for administrators only.
    Rows are written by the portal (``services.personal_data_access_record``), never here."""

    list_display = (
        "at",
        "user",
        "action",
        "household",
        "commune",
        "citizen_ids_shown",
        "reference",
    )
    list_filter = (
        "action",
        "at",
        ("user", admin.RelatedOnlyFieldListFilter),
        ("commune", admin.RelatedOnlyFieldListFilter),
        "citizen_ids_shown",
    )
    date_hierarchy = "at"
    search_fields = ("user__username", "household__code", "reference")
    list_select_related = ("user", "household", "commune")
    fields = ("at", "user", "action", "household", "commune", "citizen_ids_shown", "reference")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        user = request.user
        if user.is_superuser:
            return True
        return super().has_view_permission(request, obj) and user_scope(user).can(
            Capability.ADMINISTER
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
