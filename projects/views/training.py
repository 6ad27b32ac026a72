"""Courses (list, create, edit), participants and attendance, employment records."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from areas.scope import Capability, request_reach

from .. import services
from ..forms.filters import CourseFilter
from ..forms.training import CourseForm, EmploymentForm, PeopleSearchForm
from ..selectors.households import members_under
from ..selectors.training import (
    course_can_manage,
    course_get_for_change,
    course_get_for_user,
    course_host_units,
    course_list_for_user,
    course_people_chosen,
    course_rows,
    course_unit_choices,
    employment_list_for_user,
    member_get_for_user,
    members_to_employ,
    staff_candidates,
)
from .common import add_errors, paginate

SEARCH_LIMIT = 50


def _can_hold_courses(reach) -> bool:
    return reach.can(Capability.ENTER) or reach.can(Capability.REVIEW)


@login_required
@require_GET
def course_list(request):
    reach = request_reach(request)
    filters = CourseFilter(request.GET or None, queryset=course_list_for_user(reach))
    return render(
        request,
        "projects/course_list.html",
        {
            "filters": filters,
            "page": paginate(request, course_rows(filters.qs)),
            "can_create": _can_hold_courses(reach),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request):
    reach = request_reach(request)
    if not _can_hold_courses(reach):
        raise PermissionDenied
    form = CourseForm(request.POST or None, units=course_host_units(reach))
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã tạo lớp. Thêm người tham gia."))
            return redirect("course_detail", pk=course.pk)
    return render(request, "projects/course_form.html", {"form": form, "course": None})


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request, pk: int):
    reach = request_reach(request)
    course = course_get_for_change(reach, pk)
    form = CourseForm(
        request.POST or None,
        initial=CourseForm.initial_for(course),
        units=course_unit_choices(reach, course),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("unit")  # the host unit decides the scope: it does not move
        try:
            services.course_update(by=request.user, course=course, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin lớp."))
            return redirect("course_detail", pk=course.pk)
    form.fields["unit"].disabled = True
    return render(request, "projects/course_form.html", {"form": form, "course": course})


def _attendance(request, course) -> dict[int, tuple[bool, bool]]:
    ids = [int(i) for i in request.POST.getlist("participant") if i.isdigit()]
    attended = set(request.POST.getlist("attended"))
    completed = set(request.POST.getlist("completed"))
    return {i: (str(i) in attended, str(i) in completed) for i in ids}


@login_required
@require_http_methods(["GET", "POST"])
def course_detail(request, pk: int):
    """The course with its participants; managers record attendance and completion here."""
    reach = request_reach(request)
    if request.method == "POST":
        course = course_get_for_change(reach, pk)
        try:
            services.course_attendance_save(
                by=request.user, course=course, rows=_attendance(request, course)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã lưu điểm danh."))
        return redirect("course_detail", pk=course.pk)
    course = course_get_for_user(reach, pk)
    participants = course.participants.select_related(
        "user", "member", "member__household"
    ).order_by("id")
    return render(
        request,
        "projects/course_detail.html",
        {
            "course": course,
            "participants": participants,
            "can_manage": course_can_manage(reach, course),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_participants(request, pk: int):
    course = course_get_for_change(request_reach(request), pk)
    if request.method == "POST":
        try:
            if request.POST.get("remove", "").isdigit():
                services.course_participant_remove(
                    by=request.user, course=course, participant_id=int(request.POST["remove"])
                )
            else:
                users, members = course_people_chosen(
                    request.POST.getlist("user"), request.POST.getlist("member")
                )
                added = services.course_participants_add(
                    by=request.user, course=course, users=users, members=members
                )
                messages.success(request, _("Đã thêm %(n)s người tham gia.") % {"n": added})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(request.get_full_path())
    search = PeopleSearchForm(request.GET or None)
    term = search.cleaned_data["q"] if search.is_valid() else ""
    present = course.participants.filter(member__isnull=False).values("member_id")
    return render(
        request,
        "projects/course_participants.html",
        {
            "course": course,
            "search": search,
            "staff": staff_candidates(course, term)[:SEARCH_LIMIT],
            "members": members_under(course.unit, term).exclude(pk__in=present)[:SEARCH_LIMIT]
            if term
            else [],
        },
    )


@login_required
@require_GET
def employment_list(request):
    reach = request_reach(request)
    records = employment_list_for_user(reach).select_related(
        "member", "member__household", "course"
    )
    search = PeopleSearchForm(request.GET or None)
    term = search.cleaned_data["q"] if search.is_valid() else ""
    members = []
    if term and reach.can(Capability.ENTER):
        members = members_to_employ(reach, term)[:SEARCH_LIMIT]
    return render(
        request,
        "projects/employment_list.html",
        {
            "page": paginate(request, records.order_by("-starts_on", "id")),
            "search": search,
            "members": members,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def employment_create(request, member_pk: int):
    reach = request_reach(request)
    member = member_get_for_user(reach, member_pk, Capability.ENTER)
    courses = course_list_for_user(reach).order_by("-starts_on")
    form = EmploymentForm(request.POST or None, courses=courses)
    if request.method == "POST" and form.is_valid():
        try:
            services.employment_record_create(by=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Đã ghi nhận việc làm của %(name)s.") % {"name": member.full_name}
            )
            return redirect("employment_list")
    return render(request, "projects/employment_form.html", {"form": form, "member": member})
