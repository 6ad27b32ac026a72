"""User-scoped reads of courses, their participants and employment records."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from areas.models import Assignment, Role, Unit
from areas.scope import Capability, Reach, reach_q, reached
from households.models import Member
from households.selectors import household_list_for_user

from ..models import Course, EmploymentRecord

MANAGE = (Capability.ENTER, Capability.REVIEW)


def course_list_for_user(reach: Reach) -> QuerySet[Course]:
    """Courses held by a unit the user sees (today, or at the course's start if it is gone)."""
    return Course.objects.filter(reach_q(reach, Capability.SEE, unit="unit", start="starts_on"))


def course_rows(courses: QuerySet[Course]) -> QuerySet[Course]:
    return (
        courses.select_related("unit", "component")
        .annotate(
            participant_total=Count("participants"),
            attended_total=Count("participants", filter=Q(participants__attended=True)),
            completed_total=Count("participants", filter=Q(participants__completed=True)),
        )
        .order_by("-starts_on", "-pk")
    )


def course_get_for_user(reach: Reach, pk: int) -> Course:
    course = (
        course_list_for_user(reach)
        .select_related("unit", "component", "component__program")
        .filter(pk=pk)
        .first()
    )
    if course is None:
        raise Http404
    return course


def course_can_manage(reach: Reach, course: Course) -> bool:
    """Commune officers (enter) and district staff (review) manage the courses of their units."""
    return any(reached(reach, cap, [course.unit], course.starts_on) for cap in MANAGE)


def course_get_for_change(reach: Reach, pk: int) -> Course:
    course = course_get_for_user(reach, pk)
    if not course_can_manage(reach, course):
        raise PermissionDenied
    return course


def course_host_units(reach: Reach) -> QuerySet[Unit]:
    """Units (valid today) where the user may hold a course."""
    ids = set()
    for cap in MANAGE:
        ids |= set(reach.today.units(cap).values_list("pk", flat=True))
    return Unit.objects.filter(pk__in=ids).select_related("parent").order_by("path")


def staff_candidates(course: Course, search: str = "") -> QuerySet:
    """Poverty-reduction staff (commune officers, district staff) assigned at the course's start
    to a unit in the course unit's province, by name or username."""
    province = "/" + course.unit.path.strip("/").split("/")[0] + "/"
    assignments = Assignment.objects.valid_on(course.starts_on).filter(
        role__in=[Role.COMMUNE_OFFICER, Role.DISTRICT_STAFF]
    )
    in_province = Q(unit__path__startswith=province) | Q(group__members__path__startswith=province)
    users = get_user_model().objects.filter(
        pk__in=assignments.filter(in_province).values("user_id"), is_active=True
    )
    if search.strip():
        term = search.strip()
        users = users.filter(
            Q(username__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
        )
    return users.exclude(course_participations__course=course).order_by("last_name", "first_name")


def employment_list_for_user(reach: Reach) -> QuerySet[EmploymentRecord]:
    households = household_list_for_user(reach.today)
    return EmploymentRecord.objects.filter(member__household__in=households.values("pk"))


def member_get_for_user(reach: Reach, pk: int, capability: str = Capability.SEE) -> Member:
    member = (
        Member.objects.select_related("household", "household__commune")
        .filter(pk=pk, household__in=household_list_for_user(reach.today).values("pk"))
        .first()
    )
    if member is None:
        raise Http404
    if not reach.today.covers(member.household.commune, capability):
        raise PermissionDenied
    return member


def course_unit_choices(reach: Reach, course: Course):
    """Units a course may be moved to: those the user hosts courses in, and its own."""
    return (course_host_units(reach) | Unit.objects.filter(pk=course.unit_id)).distinct()


def course_people_chosen(user_ids, member_ids) -> tuple[QuerySet, QuerySet]:
    """The staff and members ticked on a course page, as rows. Whether each may join is the
    service's check (``services.course_participants_add``: staff of the province, members of
    households under the course's unit), which answers every refused id the same way."""
    users = get_user_model().objects.filter(pk__in=[i for i in user_ids if str(i).isdigit()])
    members = Member.objects.filter(
        pk__in=[i for i in member_ids if str(i).isdigit()]
    ).select_related("household__commune")
    return users, members


def members_to_employ(reach: Reach, term: str) -> QuerySet:
    """Current members of households in the communes the user enters, by name, household code
    or head's name (an employment record is filed for one of them)."""
    from areas.text import fold

    households = household_list_for_user(reach.today).filter(
        commune__in=reach.today.communes(Capability.ENTER).values("pk")
    )
    return (
        Member.objects.filter(is_current=True, household__in=households.values("pk"))
        .filter(
            Q(full_name__icontains=term)
            | Q(household__code__icontains=term)
            | Q(household__head_name_folded__contains=fold(term))
        )
        .select_related("household")
    )
